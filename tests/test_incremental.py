"""The per-ticket incremental dbt build (docs/incremental.md) computes exactly what a full
rebuild computes, while recomputing only the tickets the new records touch.

It starts from a copy of the shared two runs (tests/fixtures/two_runs.py: the hand-made
company, whose ticket 171 names an organization the helpdesk does not know, so it is held
back). Then a drop lands with:

- the missing organization: ticket 171 becomes a case although none of its own records changed;
- ticket 1's creating audit, re-sent under a lower id at the same instant: it now sorts
  first, so its events count and the original audit's become the repeats;
- ticket 4 answered and solved (a new audit and a new version of the ticket);
- a new ticket with its creating audit, and a ticket record whose id is not a number;
- records that reach solved cases through something other than their ticket: Jira issue
  PLAT-2 reopened for half an hour while ticket 8 was linked to it, a new link from
  ticket 7 to PLAT-1, and agent C (whose reply is on ticket 3) no longer an agent.

The incremental run is a day later than the last build, so every open case's clock moves
(ticket 180 has no new record at all). It is compared table by table with a full refresh
of a copy of the same home at the same as-of instant.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from tests.conftest import comparable_columns, query, run_smile
from tests.fixtures import handmade_company as hm
from tests.fixtures.two_runs import LATER_TICKET, UNKNOWN_ORG_TICKET

UNKNOWN_ORGANIZATION = 77777  # ticket 171's
RESENT_AUDIT, RESENT_OF = 0, 1  # ticket 1's creating audit (id 1), again as id 0
SOLVED_TICKET, NEW_TICKET = 4, 190
REOPENED_ISSUE, ITS_CASE = "10002", 8  # PLAT-2, linked to solved ticket 8
NEWLY_LINKED_CASE = 7
DEMOTED_AGENT, HIS_REPLY_CASE = hm.C, 3
NEXT_AS_OF = "2026-07-02 00:00:00"  # a day after the last build's
NOT_A_TICKET_ID = "T-191"


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))


def _warehouse_tables(database: Path) -> list[str]:
    return [f"{schema}.{name}" for schema, name in query(
        database, "select table_schema, table_name from information_schema.tables "
        "where table_type = 'BASE TABLE' and table_schema in ('staging', 'intermediate', 'marts') order by 1, 2")]


def _differences(left: Path, right: Path, table: str) -> int:
    """Rows in one table but not the other (as multisets), in either direction, doubles to
    9 decimals (comparable_columns)."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as l (read_only); attach '{right}' as r (read_only)")
        columns = comparable_columns(con, table, catalog="l")
        return con.execute(
            f"select (select count(*) from (select {columns} from l.{table} except all select {columns} from r.{table})) "
            f"+ (select count(*) from (select {columns} from r.{table} except all select {columns} from l.{table}))").fetchone()[0]
    finally:
        con.close()


def _drop(zendesk: Path) -> None:
    organization = _lines(zendesk / "organizations.jsonl")[0]
    _write(zendesk / "organizations.late.jsonl", [dict(organization, id=UNKNOWN_ORGANIZATION, name="Late Arrival Ltd")])
    creating = next(a for a in _lines(zendesk / "ticket_audits.jsonl") if a["id"] == RESENT_OF)
    _write(zendesk / "ticket_audits.resent.jsonl", [dict(creating, id=RESENT_AUDIT)])
    solved = dict(hm._ticket(SOLVED_TICKET, "2026-03-09T20:00:00Z", "2026-03-11T09:00:00Z", "solved", hm.T1, hm.A))
    new = hm._ticket(NEW_TICKET, "2026-03-11T08:00:00Z", "2026-03-11T08:00:00Z", "new", hm.T1, None)
    _write(zendesk / "tickets.next.jsonl", [solved, new, dict(new, id=NOT_A_TICKET_ID)])
    _write(zendesk / "ticket_audits.next.jsonl", [
        {"id": 9000, "ticket_id": SOLVED_TICKET, "created_at": "2026-03-11T09:00:00Z", "author_id": hm.A, "via": {"channel": "web"},
         "events": [dict(hm.comment(hm.A, True, "Fixed"), id=90000), dict(hm.change("status", "new", "solved"), id=90001)]},
        {"id": 9001, "ticket_id": NEW_TICKET, "created_at": "2026-03-11T08:00:00Z", "author_id": hm.R, "via": {"channel": "web"},
         "events": [dict(e, id=90010 + i) for i, e in enumerate(hm.opening(hm.T1, None))]},
    ])
    # reaching solved cases without a record of their own
    jira = zendesk.parent / "jira"
    issue = next(i for i in _lines(jira / "issues.jsonl") if i["id"] == REOPENED_ISSUE)
    histories = issue["changelog"]["histories"] + [
        {"id": "4", "created": "2026-03-03T10:30:00.000+0000", "items": [{"field": "status", "fromString": "Done", "toString": "In Progress"}]},
        {"id": "5", "created": "2026-03-04T10:00:00.000+0000", "items": [{"field": "status", "fromString": "In Progress", "toString": "Done"}]}]
    _write(jira / "issues.reopened.jsonl", [dict(issue, fields=dict(issue["fields"], updated="2026-03-04T10:00:00.000+0000"),
                                                 changelog={"histories": histories})])
    _write(zendesk / "jira_links.next.jsonl", [
        {"id": 3, "ticket_id": NEWLY_LINKED_CASE, "issue_id": "10001", "issue_key": "PLAT-1",
         "created_at": "2026-03-02T15:10:00Z", "updated_at": "2026-03-02T15:10:00Z"}])
    agent = next(u for u in _lines(zendesk / "users.jsonl") if u["id"] == DEMOTED_AGENT)
    _write(zendesk / "users.next.jsonl", [dict(agent, role="end-user")])


@pytest.fixture(scope="module")
def runs(two_runs, tmp_path_factory):
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(two_runs.home.parent / "sources", root / "sources")
    shutil.copytree(two_runs.home, root / "home")
    _drop(root / "sources" / "zendesk")
    incremental = run_smile(root / "home", root / "sources", as_of=NEXT_AS_OF)
    assert incremental.published, incremental.lines()
    shutil.copytree(root / "home", root / "rebuilt")
    rebuilt = run_smile(root / "rebuilt", root / "sources", as_of=NEXT_AS_OF, full_refresh=True)
    assert rebuilt.published, rebuilt.lines()
    return root


def test_builds_are_logged_full_then_incremental(runs):
    builds = query(runs / "home" / "warehouse.duckdb", "select full_refresh from raw._dbt_builds order by finished_at")
    assert builds == [(True,), (False,), (False,)]
    rebuilt = query(runs / "rebuilt" / "warehouse.duckdb", "select full_refresh from raw._dbt_builds order by finished_at")
    assert rebuilt == [(True,), (False,), (False,), (True,)]


def test_a_homes_builds_share_one_dbt_target_and_its_parse(two_runs):
    """Both builds of the two-run home wrote to $SMILE_HOME/dbt, and the second reused the
    first's parse (a full parse costs seconds on every run)."""
    target = two_runs.home / "dbt"
    results = json.loads((target / "run_results.json").read_text())
    assert {r["unique_id"] for r in results["results"]} >= {"model.time_to_smile.fct_case_journey"}
    log = (target / "dbt.log").read_text()
    assert log.count("Running with dbt=") == 2
    assert "Partial parsing enabled" in log.split("Running with dbt=")[2]


def test_an_incremental_build_recomputes_only_the_touched_tickets(runs):
    changed = query(runs / "home" / "warehouse.duckdb", "select ticket_id from staging.base_zendesk__tickets_changed order by 1")
    assert changed == [(RESENT_OF,), (SOLVED_TICKET,), (UNKNOWN_ORG_TICKET,), (NEW_TICKET,)]


def test_an_incremental_build_recomputes_the_cases_it_reaches_and_the_open_ones(runs):
    recomputed = {case for (case,) in query(runs / "home" / "warehouse.duckdb",
                                            "select case_id from intermediate.int_cases_recomputed")}
    changed_tickets = {RESENT_OF, SOLVED_TICKET, UNKNOWN_ORG_TICKET, NEW_TICKET}
    reached = {ITS_CASE, NEWLY_LINKED_CASE, HIS_REPLY_CASE}
    assert recomputed == changed_tickets | reached | {LATER_TICKET}  # 180: open, its clock ran on a day
    # what reached them shows: engineering time from the reopened issue and the new link
    engineering = dict(query(runs / "home" / "serving.duckdb", "select case_id, engineering_hours from marts.fct_case_journey "
                                                              f"where case_id in ({ITS_CASE}, {NEWLY_LINKED_CASE})"))
    assert engineering == {ITS_CASE: 0.5, NEWLY_LINKED_CASE: 35 / 60}


def test_the_incremental_build_equals_a_full_refresh_table_by_table(runs):
    tables = _warehouse_tables(runs / "home" / "warehouse.duckdb")
    assert tables == _warehouse_tables(runs / "rebuilt" / "warehouse.duckdb")
    for work_list in ("staging.base_zendesk__tickets_changed", "intermediate.int_cases_recomputed"):
        tables.remove(work_list)  # every ticket in a full refresh
    assert {"staging.stg_zendesk__ticket_audit_events", "intermediate.int_cases_identified", "marts.fct_case_journey"} <= set(tables)
    differing = {t: n for t in tables if (n := _differences(runs / "home" / "warehouse.duckdb",
                                                            runs / "rebuilt" / "warehouse.duckdb", t))}
    assert differing == {}


def test_records_that_change_other_tickets_reach_them(runs):
    journeys = dict(query(runs / "home" / "serving.duckdb", "select case_id, smile_status from marts.fct_case_journey"))
    # the late organization releases the held-back ticket; the new day's tickets are measured
    assert UNKNOWN_ORG_TICKET in journeys and journeys[NEW_TICKET] == "open" and journeys[SOLVED_TICKET] != "open"
    # the re-sent audit sorts first: the original creating audit's events are now the repeats
    creating = next(a for a in _lines(runs / "sources" / "zendesk" / "ticket_audits.jsonl") if a["id"] == RESENT_OF)
    repeats = query(runs / "home" / "warehouse.duckdb",
                    "select record_id, reason from intermediate.int_quarantined_records where reason like 'duplicate event id%'")
    assert sorted(repeats) == sorted((str(RESENT_OF), f"duplicate event id: {e['id']} (counted once)") for e in creating["events"])


def test_a_record_without_a_ticket_id_is_held_back_by_an_incremental_build(runs):
    """It touches no ticket, so the changed list cannot name it; base_zendesk__tickets still
    decides it (as a record loaded since the last build), and the quarantine says why."""
    held = query(runs / "home" / "warehouse.duckdb",
                 "select file_path, line_number, reason from intermediate.int_quarantined_records where record_id = ?",
                 [NOT_A_TICKET_ID])
    assert [(Path(f).name, n, r) for f, n, r in held] == [("tickets.next.jsonl", 3, "wrong type: id (not an integer)")]


def test_a_crm_change_reaches_every_case_of_its_account(runs, tmp_path):
    """The account moves to another segment: no Zendesk record changes, yet each of its
    cases is recomputed and published under the new segment."""
    home, sources = tmp_path / "home", tmp_path / "sources"
    shutil.copytree(runs / "home", home)
    shutil.copytree(runs / "sources", sources)
    account = next(a for a in _lines(sources / "salesforce" / "Account.jsonl") if a["Id"] == hm.ACCOUNT)
    _write(sources / "salesforce" / "Account.resegmented.jsonl", [dict(account, Segment__c="Mid-Market")])
    assert run_smile(home, sources, as_of=NEXT_AS_OF).published
    cases = query(home / "warehouse.duckdb", "select case_id from intermediate.int_cases_identified "
                                            f"where account_id = '{hm.ACCOUNT}' order by 1")
    assert len(cases) > 5
    assert query(home / "warehouse.duckdb", "select case_id from intermediate.int_cases_recomputed order by 1") == cases
    segments = query(home / "serving.duckdb", f"select distinct segment from marts.fct_case_journey where account_id = '{hm.ACCOUNT}'")
    assert segments == [("Mid-Market",)]


LATER_AS_OF = "2026-07-09 12:00:00"  # a week and a half on, with no new file in the drop


@pytest.fixture(scope="module")
def clock_only_runs(runs, tmp_path_factory):
    """After the incremental run: a run with nothing new in the drop but a stray file and a later
    as-of (the clock-only build), and a full refresh of a copy at the same as-of. Both read the
    incremental run's own drop folder (a drop at another path would be loaded again as new files)."""
    root = tmp_path_factory.mktemp("clock_only")
    shutil.copytree(runs / "home", root / "home")
    stray = runs / "sources" / "zendesk" / "tickets.csv"  # not a drop file
    stray.write_text("id,status\n1,open\n")
    try:
        clock_only = run_smile(root / "home", runs / "sources", as_of=LATER_AS_OF)
        assert clock_only.published, clock_only.lines()
        shutil.copytree(root / "home", root / "rebuilt")
        rebuilt = run_smile(root / "rebuilt", runs / "sources", as_of=LATER_AS_OF, full_refresh=True)
        assert rebuilt.published, rebuilt.lines()
    finally:
        stray.unlink()
    return root


def test_a_run_with_nothing_new_rebuilds_only_what_the_clock_moves(clock_only_runs):
    built = {r["unique_id"].split(".")[-1]
             for r in json.loads((clock_only_runs / "home" / "dbt" / "run_results.json").read_text())["results"]}
    # the open cases' journeys, the weeks and the quarantine list (the stray file) ...
    assert {"int_cases_recomputed", "fct_case_journey", "metric_weekly_summary", "data_quality",
            "base_zendesk__tickets_changed"} <= built
    # ... but no raw record is parsed again and no ticket history replayed
    assert not built & {"base_zendesk__tickets_typed", "base_zendesk__ticket_audit_events", "stg_zendesk__tickets",
                        "int_ticket_states_tracked", "channels"}
    assert query(clock_only_runs / "home" / "warehouse.duckdb", "select count(*) from staging.base_zendesk__tickets_changed") == [(0,)]
    recomputed = query(clock_only_runs / "home" / "warehouse.duckdb", "select case_id from intermediate.int_cases_recomputed")
    assert (LATER_TICKET,) in recomputed and len(recomputed) < 10  # the open cases, not the history


def test_the_clock_only_build_equals_a_full_refresh_table_by_table(clock_only_runs):
    home, rebuilt = clock_only_runs / "home" / "warehouse.duckdb", clock_only_runs / "rebuilt" / "warehouse.duckdb"
    tables = _warehouse_tables(home)
    assert tables == _warehouse_tables(rebuilt)
    for work_list in ("staging.base_zendesk__tickets_changed", "intermediate.int_cases_recomputed"):
        tables.remove(work_list)
    differing = {t: n for t in tables if (n := _differences(home, rebuilt, t))}
    assert differing == {}
    stray = query(clock_only_runs / "home" / "serving.duckdb",
                  "select reason, records from marts.data_quality where collection = 'unrecognised file'")
    assert stray == [("not JSON Lines", 1)], "the stray file reaches data_quality without a load"


def test_after_a_published_build_the_case_marts_checks_read_the_recomputed_cases(runs):
    """The incremental run followed a published build: the per-case marts' suites validated the
    recomputed cases' rows only, and the whole tables' size and key in SQL."""
    home = runs / "home"
    recomputed = query(home / "warehouse.duckdb", "select count(*) from marts.fct_case_journey "
                                                  "where case_id in (select case_id from intermediate.int_cases_recomputed)")[0][0]
    all_cases = query(home / "warehouse.duckdb", "select count(*) from marts.fct_case_journey")[0][0]
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        incremental_run = instance.get_runs(limit=1)[0].run_id
        evaluations = {entry.dagster_event.event_specific_data.check_name: entry.dagster_event.event_specific_data
                       for entry in instance.all_logs(incremental_run)
                       if entry.dagster_event and entry.dagster_event.event_type_value == "ASSET_CHECK_EVALUATION"}
    journey = evaluations["gx_fct_case_journey"]
    assert journey.passed and 0 < recomputed < all_cases
    assert journey.metadata["rows_checked"].value == recomputed
    assert "of the cases this build recomputed, and on the whole table's size and key" in journey.description
    # a mart rebuilt in full is still validated whole
    health = evaluations["gx_fct_account_health"]
    assert health.metadata["rows_checked"].value == query(home / "warehouse.duckdb", "select count(*) from marts.fct_account_health")[0][0]
