"""The run history as Dagster sees it: an asset whose materializations are the runs'
summaries, and sensors that record runs launched from the UI, a schedule or a sensor
(`smile run` records its own runs as they finish)."""

import dagster as dg

from ...run_record import RECORDED_BY_CLI_TAG, RUN_HISTORY_KEY, record_run
from ...settings import SmilePaths, resolve_paths

run_history = dg.AssetSpec(
    key=RUN_HISTORY_KEY,
    group_name="serving",
    kinds={"json"},
    description=(
        "One entry per pipeline run, published or not (`$SMILE_HOME/run_history.jsonl`): rows in raw, lines "
        "quarantined, records held back, checks passed / warned / failed, and why a run did not publish. "
        "Each run's figures are this asset's materialization metadata; the app's data-quality badge reads the file."
    ),
)


def run_paths(run: dg.DagsterRun) -> SmilePaths:
    """The home a run worked on: the `smile` settings in its run config (`smile run` gives them
    all; the UI's launchpad may give some), the rest from the environment `dagster dev` started in."""
    given = ((run.run_config or {}).get("resources", {}).get("smile", {}) or {}).get("config", {}) or {}
    return resolve_paths(given.get("home") or None, given.get("source_dir") or None)


def _record(context: dg.RunStatusSensorContext) -> dg.SkipReason | None:
    run = context.dagster_run
    if run.tags.get(RECORDED_BY_CLI_TAG):
        return dg.SkipReason(f"run {run.run_id} was recorded by `smile run`")
    summary = record_run(context.instance, run_paths(run), run.run_id)
    context.log.info(f"run {run.run_id}: {'published' if summary.published else 'not published'}")
    return None


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="record_finished_runs",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds every run that finished to the run history.",
)
def record_finished_runs(context: dg.RunStatusSensorContext):
    return _record(context)


@dg.run_failure_sensor(
    name="record_failed_runs",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds every run that failed (a blocking check, a step error) to the run history.",
)
def record_failed_runs(context: dg.RunFailureSensorContext):
    return _record(context)


RUN_HISTORY_SENSORS = [record_finished_runs, record_failed_runs]
