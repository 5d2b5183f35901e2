"""The `smile` command line and the Dagster code location, without a full run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import dagster as dg
import pytest

from tests.conftest import free_port, query, wait_until_serving
from time_to_smile.pipeline_run import RunRefused, run_lock, run_pipeline
from time_to_smile.settings import resolve_paths

SMILE = [sys.executable, "-m", "time_to_smile.cli"]


def test_help_lists_every_command():
    out = subprocess.run([*SMILE, "--help"], capture_output=True, text=True, check=True).stdout
    for command in ("demo", "generate", "run", "app", "bench"):
        assert command in out
    run_help = subprocess.run([*SMILE, "run", "--help"], capture_output=True, text=True, check=True).stdout
    assert "--source-dir" in run_help and "--home" in run_help


def test_run_without_sources_fails_with_a_one_line_reason(tmp_path):
    proc = subprocess.run([*SMILE, "run", "--home", str(tmp_path / "home"), "--source-dir", str(tmp_path / "missing")],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 1 and "does not exist" in errors[0] and "smile generate" in errors[0]


def test_a_second_concurrent_run_is_refused(tmp_path):
    (tmp_path / "sources").mkdir()
    paths = resolve_paths(tmp_path / "home", tmp_path / "sources")
    with run_lock(paths):
        with pytest.raises(RunRefused, match="already"):
            run_pipeline(paths, echo=lambda _: None)


def test_demo_generates_a_company_runs_it_and_serves_the_app(tmp_path):
    """`make demo`'s command on an empty home: a sample company, a published run, the app up."""
    home, port, log = tmp_path / "home", free_port(), tmp_path / "demo.log"
    with open(log, "w") as out:
        demo = subprocess.Popen([*SMILE, "demo", "--home", str(home), "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", demo, log, timeout=600)
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
    said = log.read_text()
    assert "zendesk/tickets.jsonl: 400 records" in said and f"Published to {home / 'serving.duckdb'}" in said
    assert query(home / "serving.duckdb", "select count(*) from marts.fct_case_journey")[0][0] > 0
    # Run on any day (today is weeks after the sample ends), the demo measures as of the sample's
    # own end, so the week the Overview and the one-pager headline has its cases and its numbers.
    assert "The sample company's history ends at 2026-11-16 00:00:00 UTC: measuring as of then" in said
    # a person's output: the run's progress; Dagster's and dbt's own lines are in the run's log file
    assert "START sql" not in said and "AssetObservation" not in said and "partial_parse" not in said
    log = next((home / "logs").glob("run-*.log"))
    assert f"(Dagster's and dbt's output: {log})" in said and "START sql" in log.read_text()
    headline = query(home / "serving.duckdb", """
        select week_start, value, n from marts.metric_weekly
        where metric = 'time_to_smile_median_hours' and segment = 'All'
          and week_start = (select date_trunc('week', as_of) - interval 7 day from marts.publication)""")
    assert len(headline) == 1 and headline[0][1] is not None and headline[0][2] >= 10, headline


@pytest.mark.parametrize("argv, said", [
    (["run", "--as-of", "yesterday"], "smile run: error: argument --as-of: expected a UTC time as 'YYYY-MM-DD HH:MM:SS'"),
    (["run", "--frobnicate"], "smile run: error: unrecognized arguments: --frobnicate"),
])
def test_a_bad_command_line_is_refused_at_once_with_the_commands_usage(tmp_path, argv, said):
    done = subprocess.run([*SMILE, *argv], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "SMILE_HOME": str(tmp_path / "home")})
    assert done.returncode == 2 and said in done.stderr and "usage: smile run" in done.stderr
    assert not (tmp_path / "home").exists(), "refused before any work"


def test_app_on_a_home_that_does_not_exist_says_so_and_creates_nothing(tmp_path):
    done = subprocess.run([*SMILE, "app", "--home", str(tmp_path / "typo")], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"smile: home {tmp_path / 'typo'} does not exist: `smile run --home {tmp_path / 'typo'}` "
                                   "(or `smile demo`) makes one")
    assert not (tmp_path / "typo").exists()


def test_generate_is_deterministic_from_the_command_line(tmp_path):
    for name in ("a", "b"):
        subprocess.run([*SMILE, "generate", "--out", str(tmp_path / name), "--tickets", "30", "--accounts", "5"], check=True, capture_output=True)
    assert (tmp_path / "a/zendesk/ticket_audits.jsonl").read_bytes() == (tmp_path / "b/zendesk/ticket_audits.jsonl").read_bytes()


def test_definitions_trace_lineage_from_raw_files_to_publication():
    from time_to_smile.definitions import PIPELINE_JOB, defs

    graph = defs.resolve_asset_graph()
    key = dg.AssetKey
    # raw records -> typed -> validated (with a rejection reason) -> the valid ones
    assert key(["raw", "zendesk_tickets"]) in graph.get(key(["staging", "base_zendesk__tickets_typed"])).parent_keys
    assert key(["staging", "base_zendesk__tickets_typed"]) in graph.get(key(["staging", "base_zendesk__tickets"])).parent_keys
    assert key(["staging", "base_zendesk__tickets"]) in graph.get(key(["staging", "stg_zendesk__tickets"])).parent_keys
    assert key(["raw", "run_context"]) in graph.get(key(["intermediate", "int_run_context"])).parent_keys
    publication_parents = graph.get(key(["serving", "publication"])).parent_keys
    published = {"fct_case_journey", "fct_case_phases", "fct_handoffs", "fct_lifecycle_stage_visits", "metric_weekly", "metric_catalog"}
    assert {key(["marts", t]) for t in published} <= publication_parents
    assert all(parent.path[0] == "marts" for parent in publication_parents)
    checks = {(c.asset_key.to_user_string(), c.name) for c in graph.asset_check_keys}
    assert ("marts/fct_case_journey", "gx_fct_case_journey") in checks
    assert ("marts/fct_case_journey", "unique_fct_case_journey_case_id") in checks  # a dbt test as a Dagster check
    gx_check = dg.AssetCheckKey(key(["marts", "fct_case_journey"]), "gx_fct_case_journey")
    assert graph.get_check_spec(gx_check).blocking  # a failure stops publication in the same run
    assert defs.resolve_job_def(PIPELINE_JOB) is not None


def test_sensor_starts_a_run_when_new_files_land(tmp_path, monkeypatch):
    from time_to_smile.definitions import defs

    monkeypatch.setenv("SMILE_SOURCE_DIR", str(tmp_path / "sources"))
    sensor = defs.get_sensor_def("new_files_in_source_dir")
    with dg.instance_for_test() as instance:
        skipped = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert not skipped.run_requests and "does not exist" in skipped.skip_message
        (tmp_path / "sources" / "zendesk").mkdir(parents=True)
        (tmp_path / "sources" / "zendesk" / "tickets.jsonl").write_text('{"id": 1}\n')
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert len(first.run_requests) == 1 and first.run_requests[0].job_name in (None, "time_to_smile_pipeline")
        unchanged = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor))
        assert not unchanged.run_requests and "unchanged" in unchanged.skip_message
        (tmp_path / "sources" / "zendesk" / "tickets.2026-11-20.jsonl").write_text('{"id": 2}\n')
        second = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor))
        assert len(second.run_requests) == 1 and second.run_requests[0].run_key != first.run_requests[0].run_key
    schedule = defs.get_schedule_def("hourly_api_pull")
    assert schedule.cron_schedule == "0 * * * *" and schedule.job_name == "time_to_smile_api_pipeline"


def test_the_dbt_resource_knows_its_dbt_version_without_asking_the_executable(tmp_path):
    """LeanDbtCliResource skips dagster-dbt's `dbt --version` (2.4 s a run) and its in-process
    adapter (1.9 s): the version it reports is the one the executable prints, and a command
    runs without an adapter."""
    import re

    from time_to_smile.defs.dbt.assets import dbt_cli
    from time_to_smile.settings import DBT_EXECUTABLE

    printed = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    resource = dbt_cli()
    assert str(resource._cli_version) == re.search(r"installed: (\d+\.\d+\.\d+)", printed).group(1)
    invocation = resource.cli(["parse", "--quiet"], target_path=tmp_path / "target")
    assert invocation.adapter is None
    invocation.wait()
    assert invocation.is_successful() and (tmp_path / "target" / "manifest.json").exists()


def test_materialize_all_without_api_credentials_leaves_the_pull_out(tmp_path, monkeypatch):
    """The Dagster UI's "Materialize all" on a file-drop machine: the API pull steps aside instead of
    failing the run; the job that pulls on purpose still needs its credentials (test_api_pipeline)."""
    from time_to_smile.defs.extract.assets import api_pull
    from time_to_smile.extract.config import CREDENTIAL_VARIABLES
    from time_to_smile.defs.resources import SmileSettings

    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    result = dg.materialize([api_pull], resources={"smile": SmileSettings(home=str(tmp_path / "home"))})
    assert result.success
    metadata = result.asset_materializations_for_node("extract__api_pull")[0].metadata
    assert metadata["skipped"].value == "no API credentials in the environment"
    assert not (tmp_path / "home" / "extract_state.json").exists()


@pytest.mark.parametrize("written, instant", [
    ("2026-11-16", "2026-11-16 00:00:00"), ("2026-11-16 09:30:00", "2026-11-16 09:30:00"),
    ("2026-11-16T09:30:00", "2026-11-16 09:30:00"), ("2026-11-16T09:30:00Z", "2026-11-16 09:30:00"),
])
def test_as_of_takes_a_date_or_a_utc_time_with_or_without_isos_t(written, instant):
    from time_to_smile.cli import as_of_instant

    assert as_of_instant(written) == instant
