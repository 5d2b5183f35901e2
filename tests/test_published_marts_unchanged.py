"""The published marts of the generated company are what they were: a guard for changes
that must not change behaviour (moving models between folders, splitting modules).

`tests/fixtures/published_marts.json` holds, for each table of `serving.duckdb`'s `marts`
schema, its columns, row count and a digest of its sorted rows, taken from `smile generate`'s
default company (seed 7) published as of 2026-11-16. What may differ from one home to the
next is left out of the digest: `marts.publication` (the run's id and clock), people's
pseudonyms (keyed per home, docs/privacy.md; written as `person`), and a float's last bits
(rounded to 6 decimals). A change that is meant to change the marts refreshes the file, and
its diff shows which tables moved:

    .venv/bin/python -m tests.test_published_marts_unchanged PATH/TO/serving.duckdb
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import duckdb

from tests.conftest import GENERATED_AS_OF, run_smile
from time_to_smile.loading.source_collections import COLLECTIONS

EXPECTED = Path(__file__).parent / "fixtures" / "published_marts.json"
#: Published, but not a result: which run published, and when.
NOT_DIGESTED = {"publication"}


def _cell(column: str, data_type: str) -> str:
    """SQL for one cell as text, the same in every home."""
    quoted = f'"{column}"'
    if data_type in ("DOUBLE", "FLOAT", "REAL") or data_type.startswith("DECIMAL"):
        return f"cast(round({quoted}, 6) as varchar)"
    if data_type == "VARCHAR":
        return f"case when {quoted} like 'person-%' then 'person' else {quoted} end"
    return f"cast({quoted} as varchar)"


def digest(serving: Path) -> dict[str, dict]:
    """Each published mart's columns, rows and a digest of its rows in a stable order."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()
            if t not in NOT_DIGESTED]
        result = {}
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position", [table]).fetchall()
            row = " || '|' || ".join(f"coalesce({_cell(c, t)}, 'null')" for c, t in columns)
            rows, rows_digest = con.execute(
                f"select count(*), md5(coalesce(string_agg(row, chr(10) order by row), '')) "
                f"from (select {row} as row from marts.{table})").fetchone()
            result[table] = {"columns": [c for c, _ in columns], "rows": rows, "digest": rows_digest}
        return result
    finally:
        con.close()


def test_the_generated_companys_published_marts_are_unchanged(generated_company):
    root = generated_company[0]
    found, expected = digest(root / "home" / "serving.duckdb"), json.loads(EXPECTED.read_text())
    assert sorted(found) == sorted(expected), "the published tables"
    for table, facts in expected.items():
        assert found[table]["columns"] == facts["columns"], table
        assert (found[table]["rows"], found[table]["digest"]) == (facts["rows"], facts["digest"]), table


def test_a_home_built_before_the_typed_raw_columns_publishes_the_same_marts(generated_company, tmp_path):
    """An existing home whose raw tables hold only the JSON (the shape before each record was
    typed at load), upgraded: the next run migrates its raw tables in place (the drop is not
    read again: here it is gone), the changed dbt project makes the build a full refresh, and
    the published marts are the same, with every raw row kept."""
    root = generated_company[0]
    home = tmp_path / "home"
    shutil.copytree(root / "home", home)
    warehouse = home / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        for c in COLLECTIONS:
            con.execute(f"create table raw.{c.table}__old as select record_id, record_version, cast(record as json) as record,"
                        f" _source_file, _source_line, _loaded_at from raw.{c.table}")
            con.execute(f"drop table raw.{c.table}")
            con.execute(f"alter table raw.{c.table}__old rename to {c.table}")
        con.execute("update raw._dbt_builds set project_fingerprint = 'the project before typed raw columns'")
        kept = {c.table: con.execute(f"select count(*), sum(hash(record_id, record, _source_line, _loaded_at)) from raw.{c.table}")
                .fetchone() for c in COLLECTIONS}
    (tmp_path / "emptied-drop").mkdir()
    summary = run_smile(home, tmp_path / "emptied-drop", as_of=GENERATED_AS_OF)
    assert summary.published, summary.lines()
    assert any("full refresh" in line and "project" in line for line in summary.progress), summary.progress
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert {c.table: con.execute(f"select count(*), sum(hash(record_id, record, _source_line, _loaded_at)) from raw.{c.table}")
                .fetchone() for c in COLLECTIONS} == kept
        assert con.execute("select data_type from duckdb_columns() where table_name = 'zendesk_ticket_audits'"
                           " and column_name = 'events'").fetchone()[0].endswith("[]")
    found, expected = digest(home / "serving.duckdb"), json.loads(EXPECTED.read_text())
    for table, facts in expected.items():
        assert (found[table]["rows"], found[table]["digest"]) == (facts["rows"], facts["digest"]), table


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(digest(Path(sys.argv[1])), indent=1) + "\n")
    print(f"wrote {EXPECTED}")
