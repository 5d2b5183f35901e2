"""Bad lines are quarantined with their reason and nothing else is lost; a newer
drop of a record wins; and a run whose blocking checks fail, whose dbt build fails,
or whose drop holds no ticket leaves the previous publication in place, saying why
in one line."""

from __future__ import annotations

import gzip
import json
import os
import shutil

import duckdb
import pytest

from tests.conftest import file_digest, query, run_smile
from tests.fixtures import handmade_company
from tests.fixtures.handmade_company import AS_OF
from time_to_smile.dbt_build.failure import build_failure_reason, failed_nodes, file_version, read_run_results
from time_to_smile.run_record import read_history


@pytest.fixture(scope="module")
def home_with_bad_lines(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_input")
    sources = handmade_company.write(root / "sources")
    tickets = sources / "zendesk" / "tickets.jsonl"
    good = tickets.read_text().splitlines()
    # line 3 malformed, line 5 an array, last a record without its id
    lines = good[:2] + ['{"id": 99, "status": "open"'] + good[2:4] + ["[1, 2]"] + good[4:] + ['{"status": "new"}']
    tickets.write_text("\n".join(lines) + "\n")
    # the users collection as a gzipped drop, with one bad line in it
    users = sources / "zendesk" / "users.jsonl"
    gz_lines = users.read_text().splitlines() + ["not json at all"]
    users.unlink()
    with gzip.open(sources / "zendesk" / "users.jsonl.gz", "wt") as handle:
        handle.write("\n".join(gz_lines) + "\n")
    # a later drop: ticket 4 is solved now (newer generated_timestamp); its audits arrive too
    later = json.loads(good[3])
    assert later["id"] == 4
    later.update(status="solved", updated_at="2026-03-09T22:00:00Z", generated_timestamp=later["generated_timestamp"] + 3600)
    (sources / "zendesk" / "tickets.later.jsonl").write_text(json.dumps(later) + "\n")
    audit = {"id": 900, "ticket_id": 4, "created_at": "2026-03-09T22:00:00Z", "author_id": 2001, "via": {"channel": "web"},
             "events": [{"id": 9001, "type": "Comment", "author_id": 2001, "body": "Done", "public": True},
                        {"id": 9002, "type": "Change", "field_name": "status", "value": "solved", "previous_value": "new"}]}
    (sources / "zendesk" / "ticket_audits.later.jsonl").write_text(json.dumps(audit) + "\n")
    summary = run_smile(root / "home", sources, as_of=AS_OF)
    return root, summary


def test_bad_lines_are_quarantined_with_file_line_and_reason(home_with_bad_lines):
    root, summary = home_with_bad_lines
    rows = query(root / "home" / "warehouse.duckdb",
                 "select collection, regexp_extract(file_path, '[^/]+$'), line_number, reason, raw_line from raw._quarantine order by collection, line_number")
    assert rows == [
        ("zendesk_tickets", "tickets.jsonl", 3, "malformed JSON", '{"id": 99, "status": "open"'),
        ("zendesk_tickets", "tickets.jsonl", 6, "not a JSON object", "[1, 2]"),
        ("zendesk_tickets", "tickets.jsonl", 11, "missing required key: id", '{"status": "new"}'),
        ("zendesk_users", "users.jsonl.gz", 6, "malformed JSON", "not json at all"),
    ]
    assert summary.quarantined == {"malformed JSON": 2, "not a JSON object": 1, "missing required key: id": 1}
    assert any("lines quarantined: 4" in line for line in summary.lines())


def test_good_rows_are_all_loaded_and_the_run_publishes(home_with_bad_lines):
    root, summary = home_with_bad_lines
    warehouse = root / "home" / "warehouse.duckdb"
    assert query(warehouse, "select count(*) from raw.zendesk_tickets") == [(8,)]
    assert query(warehouse, "select count(*) from raw.zendesk_users") == [(5,)]
    assert summary.published


def test_newest_version_of_a_record_wins(home_with_bad_lines):
    root, _ = home_with_bad_lines
    serving = root / "home" / "serving.duckdb"
    # ticket 4: created 20:00, assigned 21:00, solved at 22:00 by the later drop -> smiles after 2 hours
    assert query(serving, "select smile_status, time_to_smile_hours from marts.fct_case_journey where case_id = 4") == [("smiling", 2.0)]


def test_failed_blocking_check_keeps_the_previous_publication(home_with_bad_lines):
    root, _ = home_with_bad_lines
    serving = root / "home" / "serving.duckdb"
    before = file_digest(serving)
    # a later export marks most tickets deleted: every record is well formed and passes
    # dbt's tests, but the Great Expectations suite on fct_case_journey bounds how far
    # the published cases may shrink between runs, and that check blocks publication
    sources = root / "sources"
    cases = sorted(row[0] for row in query(serving, "select case_id from marts.fct_case_journey"))
    tickets = {t["id"]: t for t in handmade_company.build()["zendesk/tickets.jsonl"]}
    deleted = [dict(tickets[case_id], status="deleted", generated_timestamp=tickets[case_id]["generated_timestamp"] + 7200)
               for case_id in cases[:3]]
    (sources / "zendesk" / "tickets.bulk_delete.jsonl").write_text("".join(json.dumps(t) + "\n" for t in deleted))
    summary = run_smile(root / "home", sources, as_of=AS_OF)
    assert not summary.published
    assert summary.checks_failed == ["marts/fct_case_journey:gx_fct_case_journey"]
    assert "published: NO - the previous publication is unchanged" in summary.lines()
    assert file_digest(serving) == before
    # the run history keeps the unpublished run and why, for the operator and the app's badge
    newest = read_history(root / "home" / "run_history.jsonl")[0]
    assert (newest["run_id"], newest["published"]) == (summary.run_id, False)
    assert newest["not_published_because"] == "marts/fct_case_journey:gx_fct_case_journey"
    gone = [t["id"] for t in deleted]
    published_ids = {row[0] for row in query(serving, "select case_id from marts.fct_case_journey")}
    assert set(gone) <= published_ids
    assert not [p for p in serving.parent.iterdir() if p.name.endswith(".tmp")]
    # the warehouse did build the shrunken table: the check, not luck, kept it out
    built_ids = {row[0] for row in query(root / "home" / "warehouse.duckdb", "select case_id from marts.fct_case_journey")}
    assert not built_ids & set(gone) and len(built_ids) < 0.9 * len(published_ids)
    # The deleted cases left no row for the check to read: the shrink was caught on the whole
    # table. And a run with nothing new after it validates every row again (no check passed this
    # build), so the blocked build stays blocked until a drop mends it.
    again = run_smile(root / "home", sources, as_of=AS_OF)
    assert (again.published, again.checks_failed) == (False, ["marts/fct_case_journey:gx_fct_case_journey"])
    assert not any("per-case marts' checks read the cases" in line for line in again.progress)
    assert file_digest(serving) == before


def published_home_copy(root, name):
    """A copy of the module's published home (warehouse, publication, Dagster instance, dbt
    target), to break without touching the home the other tests read."""
    copy = root / name
    shutil.copytree(root / "home", copy)
    return copy


def test_a_failed_dbt_build_says_which_node_failed_and_why_in_one_line(home_with_bad_lines):
    """The dbt build fails for a reason no data fix makes go away: the warehouse's raw ticket
    table has lost a column the staging SQL reads (`_source_line`, as a hand edit or another
    tool's migration would leave it). The loader has nothing new to load, so it leaves the
    table alone; the operator asks for a full refresh (a run with nothing new would not read
    the raw tables at all: docs/incremental.md), dbt's model reading the table fails, and the
    run's one line names that model and DuckDB's own message, not dagster-dbt's command line
    and log path."""
    root, _ = home_with_bad_lines
    home = published_home_copy(root, "home_dbt_fails")
    serving = home / "serving.duckdb"
    before = file_digest(serving)
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("alter table raw.zendesk_tickets drop column _source_line")
    summary = run_smile(home, root / "sources", as_of=AS_OF, full_refresh=True)
    assert not summary.published
    reason = summary.not_published_because
    assert reason.startswith("time_to_smile_dbt: dbt build failed: "), reason
    assert "model base_zendesk__tickets" in reason  # the validated base model that reads raw.zendesk_tickets
    assert 'Binder Error: Referenced column "_source_line" not found' in reason
    assert "\n" not in reason and "compiled" not in reason and "dbt.log" not in reason and len(reason) < 450
    # the same line under FAILED, and in the run history
    assert f"  FAILED: {reason}" in summary.progress
    newest = read_history(home / "run_history.jsonl")[0]
    assert (newest["run_id"], newest["published"], newest["not_published_because"]) == (summary.run_id, False, reason)
    assert file_digest(serving) == before


def test_run_results_name_each_failed_node_with_dbt_message():
    """How the one line is made from dbt's run_results.json (shapes as dbt-core 1.11 writes them)."""
    manifest = {"nodes": {
        "model.time_to_smile.base_zendesk__tickets": {"resource_type": "model", "name": "base_zendesk__tickets"},
        "seed.time_to_smile.group_targets": {"resource_type": "seed", "name": "group_targets"},
        "test.time_to_smile.unique_fct_case_journey_case_id.8a1c": {"resource_type": "test", "name": "unique_fct_case_journey_case_id"},
    }}
    results = {"results": [
        {"unique_id": "model.time_to_smile.stg_zendesk__users", "status": "success", "message": "OK"},
        {"unique_id": "test.time_to_smile.unique_fct_case_journey_case_id.8a1c", "status": "fail",
         "message": "Got 2 results, configured to fail if != 0"},
        {"unique_id": "model.time_to_smile.base_zendesk__tickets", "status": "error",
         "message": "Runtime Error in model base_zendesk__tickets (models/staging/zendesk/validated/base_zendesk__tickets.sql)\n"
                    "  Conversion Error: Could not convert string 'abc' to INT64\n  \n  LINE 12: select cast(...)\n"
                    "  compiled code at /home/x/.smile/dbt/compiled/time_to_smile/models/base_zendesk__tickets.sql"},
        {"unique_id": "seed.time_to_smile.group_targets", "status": "error",
         "message": "Compilation Error in seed group_targets (seeds/group_targets.csv)\n  'x' is undefined"},
        {"unique_id": "model.time_to_smile.fct_case_journey", "status": "skipped", "message": None},
        {"unique_id": "test.time_to_smile.not_null_x.77", "status": "warn", "message": "Got 1 result"},
    ]}
    nodes = failed_nodes(results, manifest)
    assert nodes == [
        ("model base_zendesk__tickets", "Conversion Error: Could not convert string 'abc' to INT64"),
        ("seed group_targets", "Compilation Error: 'x' is undefined"),
        ("test unique_fct_case_journey_case_id", "Got 2 results, configured to fail if != 0"),
    ]
    assert build_failure_reason(nodes) == (
        "dbt build failed: model base_zendesk__tickets: Conversion Error: Could not convert string 'abc' to INT64; "
        "seed group_targets: Compilation Error: 'x' is undefined; "
        "test unique_fct_case_journey_case_id: Got 2 results, configured to fail if != 0")
    # more than three: three named, the rest counted; one shared message is said once
    same = [(f"model m{i}", "Out of Memory Error: could not allocate block") for i in range(5)]
    assert build_failure_reason(same) == (
        "dbt build failed: model m0, model m1, model m2: Out of Memory Error: could not allocate block; and 2 more (5 nodes)")
    # long messages: fewer nodes named, so the line stays whole
    long = [(f"model m{i}", f"Binder Error {i}: " + "x" * 120) for i in range(4)]
    assert len(build_failure_reason(long)) <= 400 and build_failure_reason(long).endswith("; and 2 more (4 nodes)")


def test_run_results_an_earlier_build_left_are_not_read(tmp_path):
    """dbt stopped before running a node (a parse error) writes no run_results.json: the one in
    the target folder is an earlier build's, and the step falls back to dagster-dbt's error."""
    path = tmp_path / "run_results.json"
    assert read_run_results(path, None) is None
    path.write_text(json.dumps({"results": []}))
    earlier = file_version(path)
    assert read_run_results(path, earlier) is None
    path.write_text(json.dumps({"results": [{"unique_id": "model.p.m", "status": "error", "message": "boom"}]}))
    assert read_run_results(path, earlier)["results"][0]["status"] == "error"


NO_TICKETS = "no cases to publish: no tickets were loaded (see raw._quarantine"


def test_a_drop_without_tickets_publishes_nothing_and_says_why(home_with_bad_lines):
    """A drop with no ticket file builds marts without a case, which every check passes (no row
    breaks a rule): a new home publishes nothing rather than empty marts, and a home with a
    publication (here: its warehouse removed to rebuild, the run pointed at the wrong folder)
    keeps it."""
    root, _ = home_with_bad_lines
    drop = root / "only_groups"
    (drop / "zendesk").mkdir(parents=True)
    shutil.copy(root / "sources" / "zendesk" / "groups.jsonl", drop / "zendesk" / "groups.jsonl")

    new_home = root / "new_home"
    summary = run_smile(new_home, drop, as_of=AS_OF)
    assert not summary.published
    assert summary.checks_failed == []
    assert summary.not_published_because.startswith(f"serving__publication: {NO_TICKETS}"), summary.not_published_because
    assert "\n" not in summary.not_published_because
    assert not (new_home / "serving.duckdb").exists()
    assert query(new_home / "warehouse.duckdb", "select count(*) from marts.fct_case_journey") == [(0,)]
    assert read_history(new_home / "run_history.jsonl")[0]["not_published_because"] == summary.not_published_because

    home = published_home_copy(root, "home_rebuilt")
    (home / "warehouse.duckdb").unlink()
    serving = home / "serving.duckdb"
    before = file_digest(serving)
    summary = run_smile(home, drop, as_of=AS_OF)
    assert not summary.published
    # the row-count bounds of the published marts already stop this one (the cases fall to none)
    assert "marts/fct_case_journey:gx_fct_case_journey" in summary.not_published_because
    assert file_digest(serving) == before
    assert query(serving, "select count(*) from marts.fct_case_journey")[0][0] > 0
