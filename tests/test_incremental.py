"""The per-ticket incremental dbt build (docs/incremental.md) computes exactly what a full
rebuild computes, while recomputing only the tickets the new records touch.

One generated company is run in full; then a new day lands (bench/next_day.py: new tickets,
solves of open ones) with three awkward records on top:

- the requester of a ticket held back in the first run ("unknown requester") arrives, so
  that ticket becomes a case although none of its own records changed;
- an old ticket's creating audit is re-sent under a lower id at the same instant: it now
  sorts first, so its events count and the original audit's become the repeats;
- nothing else about the old tickets changes.

The incremental run is compared table by table with a full refresh of a copy of the same
home at the same as-of instant.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import query, run_smile
from time_to_smile.bench.next_day import write_next_day
from time_to_smile.generator import generate_company

AS_OF = "2026-11-17 00:00:00"
NEXT_AS_OF = "2026-11-18 00:00:00"
LATE_USER = 990_001
HELD_TICKET = 990_002
RESENT_AUDIT = 999_999_999  # below the generator's audit ids (from 1e9), so it sorts first at the same instant


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _warehouse_tables(database: Path) -> list[str]:
    return [f"{schema}.{name}" for schema, name in query(
        database, "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in ('staging', 'intermediate', 'marts') order by 1, 2")]


def _differences(left: Path, right: Path, table: str) -> int:
    """Rows in one table but not the other (as multisets), in either direction. Doubles are
    compared to 9 decimals: a sum's last bits depend on the order rows are read in."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only); attach '{right}' as r (read_only)")
        schema, name = table.split(".")
        columns = ", ".join(
            f'round("{column}", 9)' if kind in ("DOUBLE", "FLOAT") else f'"{column}"'
            for column, kind in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_catalog = 'l' and table_schema = ? and table_name = ? order by ordinal_position",
                [schema, name]).fetchall())
        return con.execute(
            f"select (select count(*) from (select {columns} from l.{table} except all select {columns} from r.{table})) "
            f"+ (select count(*) from (select {columns} from r.{table} except all select {columns} from l.{table}))").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    company, sources = root / "company", root / "sources"
    generate_company(company, accounts=12, tickets=150, days=30)
    shutil.copytree(company, sources)
    zendesk = sources / "zendesk"
    tickets, audits = _lines(company / "zendesk" / "tickets.jsonl"), _lines(company / "zendesk" / "ticket_audits.jsonl")

    # a ticket whose requester the helpdesk does not know yet: held back by the first run
    held = dict(tickets[0], id=HELD_TICKET, requester_id=LATE_USER)
    held_audit = dict(min((a for a in audits if a["ticket_id"] == tickets[0]["id"]), key=lambda a: a["id"]),
                      id=RESENT_AUDIT - 1, ticket_id=HELD_TICKET)
    held_audit["events"] = [dict(e, id=e["id"] + 900_000_000) for e in held_audit["events"]]
    _write(zendesk / "tickets.held.jsonl", [held])
    _write(zendesk / "ticket_audits.held.jsonl", [held_audit])
    home = root / "home"
    first = run_smile(home, sources, as_of=AS_OF)
    assert first.published, first.lines()

    added = write_next_day(company, sources, dt.datetime.fromisoformat(AS_OF))
    requester = next(u for u in _lines(company / "zendesk" / "users.jsonl") if u["role"] == "end-user")
    _write(zendesk / "users.late.jsonl", [dict(requester, id=LATE_USER, email="late@example.com")])
    old = next(t for t in tickets if t["status"] == "closed")
    creating = min((a for a in audits if a["ticket_id"] == old["id"]), key=lambda a: a["id"])
    _write(zendesk / "ticket_audits.resent.jsonl", [dict(creating, id=RESENT_AUDIT)])
    second = run_smile(home, sources, as_of=NEXT_AS_OF)
    assert second.published, second.lines()

    rebuilt = root / "rebuilt"
    shutil.copytree(home, rebuilt)
    third = run_smile(rebuilt, sources, as_of=NEXT_AS_OF, full_refresh=True)
    assert third.published, third.lines()
    new_day = [t["id"] for t in _lines(zendesk / "tickets.next_day.jsonl")]
    new_day += [a["ticket_id"] for a in _lines(zendesk / "ticket_audits.next_day.jsonl")]
    return {"home": home, "rebuilt": rebuilt, "added": added, "old": old, "creating": creating,
            "touched": set(new_day) | {HELD_TICKET, old["id"]}}


def test_builds_are_logged_full_then_incremental(runs):
    builds = query(runs["home"] / "warehouse.duckdb", "select full_refresh from raw._dbt_builds order by finished_at")
    assert builds == [(True,), (False,)]
    rebuilt = query(runs["rebuilt"] / "warehouse.duckdb", "select full_refresh from raw._dbt_builds order by finished_at")
    assert rebuilt == [(True,), (False,), (True,)]


def test_an_incremental_build_recomputes_only_the_touched_tickets(runs):
    changed = {t for (t,) in query(runs["home"] / "warehouse.duckdb",
                                   "select ticket_id from staging.base_zendesk__tickets_changed")}
    assert changed == runs["touched"]
    assert runs["added"]["zendesk/tickets.next_day.jsonl"] > 0


def test_the_incremental_build_equals_a_full_refresh_table_by_table(runs):
    tables = _warehouse_tables(runs["home"] / "warehouse.duckdb")
    assert tables == _warehouse_tables(runs["rebuilt"] / "warehouse.duckdb")
    tables.remove("staging.base_zendesk__tickets_changed")  # the work list: every ticket in a full refresh
    assert {"staging.stg_zendesk__ticket_audit_events", "intermediate.int_cases_identified", "marts.fct_case_journey"} <= set(tables)
    differing = {t: n for t in tables if (n := _differences(runs["home"] / "warehouse.duckdb",
                                                            runs["rebuilt"] / "warehouse.duckdb", t))}
    assert differing == {}


def test_records_that_change_other_tickets_reach_them(runs):
    serving = runs["home"] / "serving.duckdb"
    # the late requester releases the held-back ticket
    assert query(serving, "select count(*) from marts.fct_case_journey where case_id = ?", [HELD_TICKET]) == [(1,)]
    # the re-sent audit sorts first: the original creating audit's events are now the repeats
    repeats = query(runs["home"] / "warehouse.duckdb",
                    "select record_id, reason from intermediate.int_quarantined_records where reason like 'duplicate event id%'")
    assert sorted(repeats) == sorted((str(runs["creating"]["id"]), f"duplicate event id: {e['id']} (counted once)")
                                     for e in runs["creating"]["events"])
