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
    the published marts are the same, with every raw row kept (and its text, but the audits',
    whose typed columns hold all of it)."""
    root = generated_company[0]
    home = tmp_path / "home"
    shutil.copytree(root / "home", home)
    warehouse = home / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        # the old shape held every record's text: the audits' (which keep none now) from the drop's lines
        con.execute("create temp table drop_lines (file varchar, line_number bigint, line varchar)")
        for (file,) in con.execute("select distinct _source_file from raw.zendesk_ticket_audits").fetchall():
            con.executemany("insert into drop_lines values (?, ?, ?)",
                            [(file, n, line) for n, line in enumerate(Path(file).read_text().splitlines(), start=1)])
        for c in COLLECTIONS:
            text = "record" if c.keeps_text else (
                "(select line from drop_lines where file = _source_file and drop_lines.line_number = _source_line)")
            con.execute(f"create table raw.{c.table}__old as select record_id, record_version, cast({text} as json) as record,"
                        f" _source_file, _source_line, _loaded_at from raw.{c.table}")
            con.execute(f"drop table raw.{c.table}")
            con.execute(f"alter table raw.{c.table}__old rename to {c.table}")
        con.execute("update raw._dbt_builds set project_fingerprint = 'the project before typed raw columns'")
        kept = {c.table: con.execute(f"select count(*), sum(hash(record_id, record_version, _source_line, _loaded_at)) from raw.{c.table}")
                .fetchone() for c in COLLECTIONS}
        texts = {c.table: con.execute(f"select sum(hash(record_id, cast(record as varchar))) from raw.{c.table}").fetchone()
                 for c in COLLECTIONS if c.keeps_text}
    (tmp_path / "emptied-drop").mkdir()
    summary = run_smile(home, tmp_path / "emptied-drop", as_of=GENERATED_AS_OF)
    assert summary.published, summary.lines()
    assert any("full refresh" in line and "project" in line for line in summary.progress), summary.progress
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert {c.table: con.execute(f"select count(*), sum(hash(record_id, record_version, _source_line, _loaded_at)) from raw.{c.table}")
                .fetchone() for c in COLLECTIONS} == kept
        assert {c.table: con.execute(f"select sum(hash(record_id, record)) from raw.{c.table}").fetchone()
                for c in COLLECTIONS if c.keeps_text} == texts
        # the audits' text went into their typed columns: the same events as a fresh load typed
        assert con.execute("select count(*) from raw.zendesk_ticket_audits where record is not null or events is null").fetchone() == (0,)
        assert con.execute("select data_type from duckdb_columns() where table_name = 'zendesk_ticket_audits'"
                           " and column_name = 'events'").fetchone()[0].endswith("[]")
    found, expected = digest(home / "serving.duckdb"), json.loads(EXPECTED.read_text())
    for table, facts in expected.items():
        assert (found[table]["rows"], found[table]["digest"]) == (facts["rows"], facts["digest"]), table


if __name__ == "__main__":
    EXPECTED.write_text(json.dumps(digest(Path(sys.argv[1])), indent=1) + "\n")
    print(f"wrote {EXPECTED}")
