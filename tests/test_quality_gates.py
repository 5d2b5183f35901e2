"""The Great Expectations gates and the operator's view of a run (issue 5, items 1 and 6).

Two real runs in one home (tests/fixtures/two_runs.py): the hand-made company plus a
ticket from an unknown organization, then a later drop with one more good ticket. Raw suites warn and
validate only what each run added; mart suites validate what is published; every
run lands in the run history and in Dagster's metadata.
"""

from __future__ import annotations

import dagster as dg
import pytest

from tests.conftest import query
from tests.fixtures.two_runs import LATER_AS_OF
from time_to_smile.definitions import build_definitions
from time_to_smile.defs.dbt.assets import published_mart_keys
from time_to_smile.defs.publish.run_history import record_finished_runs
from time_to_smile.run_record import RECORDED_BY_CLI_TAG, RUN_HISTORY_KEY, read_history
from time_to_smile.loading.source_collections import COLLECTIONS

RAW_TICKETS_CHECK = "raw/zendesk_tickets:gx_raw_zendesk_tickets"


def _evaluations(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[bool, dict]]:
    out = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is not None and event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            out[f"{data.asset_key.to_user_string()}:{data.check_name}"] = (
                data.passed, {k: v.value for k, v in data.metadata.items()})
    return out


@pytest.fixture(scope="module")
def gated(two_runs):
    """The shared two runs (tests/fixtures/two_runs.py) with their check evaluations and the
    run history's latest Dagster metadata."""
    with dg.DagsterInstance.from_config(str(two_runs.home / "dagster")) as instance:
        evaluations = [_evaluations(instance, s.run_id) for s in (two_runs.first, two_runs.second)]
        latest = instance.get_latest_materialization_event(RUN_HISTORY_KEY)
        history_metadata = {k: v.value for k, v in latest.asset_materialization.metadata.items()}
    return two_runs.home, (two_runs.first, two_runs.second), evaluations, history_metadata


def test_every_raw_collection_and_published_mart_has_a_suite():
    graph = build_definitions().resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name): graph.get_check_spec(k).blocking for k in graph.asset_check_keys}
    for collection in COLLECTIONS:
        assert checks[(f"raw/{collection.table}", f"gx_raw_{collection.table}")] is False  # warns: validation holds records back
    for key in published_mart_keys():
        assert checks[(key.to_user_string(), f"gx_{key.path[-1]}")] is True  # blocks publication


def test_a_raw_warning_names_the_bad_record_and_the_run_still_publishes(gated):
    _, (first, _), (evaluations, _), _ = gated
    assert first.published
    assert first.checks_warned == [RAW_TICKETS_CHECK]
    passed, metadata = evaluations[RAW_TICKETS_CHECK]
    assert not passed
    assert metadata["failed"] == [{"expectation": "expect_column_values_to_be_in_set", "column": "organization_is_known",
                                   "unexpected_count": 1,
                                   "examples": [{"organization_is_known": False, "record_id": "171"}]}]


def test_raw_suites_validate_only_what_a_run_added(gated):
    home, (first, second), (before, after), _ = gated
    tickets_in_raw = query(home / "warehouse.duckdb", "select count(*) from raw.zendesk_tickets")[0][0]
    assert before[RAW_TICKETS_CHECK][1]["rows_checked"] == tickets_in_raw - 1  # all but the later ticket
    # the second run added one good ticket: only it is read, so the earlier bad one no longer warns
    assert after[RAW_TICKETS_CHECK] == (True, {"rows_checked": 1, "expectations": 15, "failed": []})
    assert after["raw/zendesk_users:gx_raw_zendesk_users"][1]["rows_checked"] == 0
    assert second.published and second.checks_warned == []


def test_mart_suites_validate_the_whole_publication(gated):
    home, (_, second), (_, after), _ = gated
    serving = home / "serving.duckdb"
    for mart in ("fct_case_journey", "fct_case_phases", "metric_weekly"):
        passed, metadata = after[f"marts/{mart}:gx_{mart}"]
        assert passed and metadata["rows_checked"] == query(serving, f"select count(*) from marts.{mart}")[0][0]
    assert second.checks_failed == []


def test_every_run_is_in_the_history_and_in_dagster_metadata(gated):
    home, (first, second), _, history_metadata = gated
    history = read_history(home / "run_history.jsonl")
    assert [h["run_id"] for h in history][:2] == [second.run_id, first.run_id]  # newest first
    newest, oldest = history[:2]
    assert oldest["published"] and oldest["checks_warned"] == [RAW_TICKETS_CHECK]
    # ticket 171 (unknown organization) is held back in both runs: validation is recomputed
    assert oldest["records_held_back"] == newest["records_held_back"] == 1
    assert newest["as_of"] == LATER_AS_OF and newest["not_published_because"] is None
    assert history_metadata["run_id"] == second.run_id
    assert history_metadata["records_held_back"] == 1
    assert history_metadata["held_back_by_reason"] == {"unknown organization": 1}
    assert history_metadata["published"] is True


def test_runs_launched_outside_smile_run_are_recorded_by_the_sensor(gated, monkeypatch):
    """The run-status sensor records a run from its event log exactly as `smile run` did;
    runs `smile run` recorded itself are skipped, not recorded twice."""
    home, (_, second), _, _ = gated
    monkeypatch.setenv("SMILE_HOME", str(home))  # as under `dagster dev` for this home
    before = read_history(home / "run_history.jsonl")
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        run = instance.get_run_by_id(second.run_id)
        success = next(e.dagster_event for e in instance.all_logs(run.run_id)
                       if e.dagster_event is not None and e.dagster_event.event_type_value == "PIPELINE_SUCCESS")

        def evaluate(dagster_run):
            context = dg.build_run_status_sensor_context(
                sensor_name="record_finished_runs", dagster_event=success, dagster_instance=instance, dagster_run=dagster_run)
            return record_finished_runs(context)

        assert isinstance(evaluate(run), dg.SkipReason)
        assert read_history(home / "run_history.jsonl") == before
        # the same run as if the UI had launched it (no `smile run` tag)
        ui_run = run.with_tags({k: v for k, v in run.tags.items() if k != RECORDED_BY_CLI_TAG})
        assert evaluate(ui_run) is None
    newest = read_history(home / "run_history.jsonl")[0]
    recorded_by_cli = next(h for h in before if h["run_id"] == second.run_id)
    assert {k: v for k, v in newest.items() if k != "finished_at"} == {k: v for k, v in recorded_by_cli.items() if k != "finished_at"}


def test_a_raw_suite_validated_in_chunks_reports_what_it_reports_whole(gated):
    """Raw frames are streamed to GX in chunks (a first load at 1M adds ~7M audits): the outcomes
    add up to the whole frame's, bad record and its example included."""
    import duckdb

    from expectations.runner import run_suite
    from time_to_smile.defs.quality.checks import RAW_SUITES, _chunks

    home = gated[0]
    suite = next(s for s in RAW_SUITES if s.table == "raw.zendesk_tickets")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        whole = con.execute(suite.frame + " order by record_id", ["1970-01-01"]).df()
        # DuckDB streams whole vectors of 2,048 rows: 5,000 rows arrive as 2,048 + 2,048 + 904
        assert [len(c) for c in _chunks(con, "select * from range(5000)", [], 2048)] == [2048, 2048, 904]
    in_one = run_suite(suite.name, suite.expectations, [whole], suite.key)
    in_chunks = run_suite(suite.name, suite.expectations, [whole.iloc[i:i + 3] for i in range(0, len(whole), 3)], suite.key)
    assert in_chunks == in_one
    assert in_one.rows_checked == len(whole) > 3 * 3  # four chunks
    assert not in_one.success
    assert [(f.column, f.unexpected_count, f.unexpected_examples) for f in in_one.failures] == [
        ("organization_is_known", 1, [{"organization_is_known": False, "record_id": "171"}])]
    assert run_suite(suite.name, suite.expectations, [], suite.key).summary() == "raw_zendesk_tickets: no new records to validate"


def test_low_cardinality_text_is_validated_as_categories_with_the_same_outcome():
    """GX's checks on millions of Python strings are twice as slow as on category codes;
    statuses become categories, ids do not, and the outcome is the same."""
    import pandas as pd

    from expectations.runner import SuiteOutcome, _add, _validator, _with_categories, run_suite
    from expectations.core import one_of, required, unique

    rows = 30_000
    frame = pd.DataFrame({
        "record_id": [f"r{i}" for i in range(rows)],
        "status": ["open", "solved", "pending"] * (rows // 3),
    })
    frame.loc[[5, 17_000, 29_999], "status"] = ["opened", None, "opened"]
    converted = _with_categories(frame)
    assert str(converted["status"].dtype) == "category" and converted["record_id"].dtype == object

    def expectations():
        return [one_of("status", ["open", "solved", "pending"]), *required("status"), unique("record_id")]

    as_text = _add(SuiteOutcome("s", True, 0), _validator("s", expectations, ("record_id",))(frame), rows)
    as_categories = run_suite("s", expectations, [frame], ("record_id",))
    assert as_categories == as_text
    assert [(f.expectation, f.unexpected_count) for f in as_categories.failures] == [
        ("expect_column_values_to_be_in_set", 2), ("expect_column_values_to_not_be_null", 1)]


def test_a_phase_segment_published_twice_fails_its_suite():
    """fct_case_phases' key (case_id, segment_start) is checked in SQL and reported by GX with
    the duplicated rows as examples."""
    import duckdb

    from expectations.runner import run_suite
    from expectations.suites import all_suites

    suite = next(s for s in all_suites() if s.name == "fct_case_phases")
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_case_journey as select unnest([1, 2]) as case_id")
        con.execute("""
            create table marts.fct_case_phases as
            select * from (values
                (1, 'first_response', 'Tier 1 Support', 1.0, 1.0, timestamp '2026-03-02 09:00', timestamp '2026-03-02 10:00'),
                (1, 'support_investigation', 'Tier 1 Support', 2.0, 2.0, timestamp '2026-03-02 10:00', timestamp '2026-03-02 12:00'),
                (2, 'first_response', 'Tier 1 Support', 1.0, 1.0, timestamp '2026-03-02 09:00', timestamp '2026-03-02 10:00'),
                (2, 'first_response', 'Tier 1 Support', 1.0, 1.0, timestamp '2026-03-02 09:00', timestamp '2026-03-02 10:00')
            ) as t(case_id, phase, holder, calendar_hours, business_hours, segment_start, segment_end)""")
        frame = con.execute(suite.frame).df()
    outcome = run_suite(suite.name, suite.expectations, [frame], suite.key)
    assert not outcome.success
    assert [(f.column, f.unexpected_count) for f in outcome.failures] == [("only_segment_at_its_start", 2)]
    assert {(e["case_id"], str(e["segment_start"])) for e in outcome.failures[0].unexpected_examples} == {(2, "2026-03-02 09:00:00")}
