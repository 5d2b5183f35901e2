"""One pipeline run through Dagster, as `smile run` and the tests start it.

The job executes in-process (one process, steps in order): the multiprocess
executor spends seconds per step launching subprocesses, and DuckDB allows one
writer per file anyway. Runs are recorded in the Dagster instance under
$SMILE_HOME/dagster, so `dagster dev` shows their history, and summarised in
$SMILE_HOME/run_history.jsonl (run_record.py).
"""

from __future__ import annotations

import fcntl
import logging
from contextlib import contextmanager

import dagster as dg

from .run_record import RECORDED_BY_CLI_TAG, RunSummary, failure_reason, record_run
from .defs.resources import SmileSettings
from .settings import SmilePaths, prepare_home

__all__ = ["RunRefused", "RunSummary", "run_lock", "run_pipeline"]


class RunRefused(RuntimeError):
    """The run could not start (another run holds the lock, no source files...)."""


@contextmanager
def run_lock(paths: SmilePaths):
    """One run per home at a time: a second `smile run` is refused, not interleaved."""
    paths.home.mkdir(parents=True, exist_ok=True)
    handle = open(paths.lock_file, "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunRefused(f"another smile run is already using {paths.home} (lock {paths.lock_file}); wait for it to finish") from None
        yield
    finally:
        handle.close()


# Messages of Dagster's and dagster-dbt's own about how they work, not about the data: the run
# log file keeps them (console.py). "Dependencies for step ... Not executing." follows a failure
# for each step downstream of it: the FAILED line and the summary say what matters.
INTERNAL_MESSAGES = (
    "Dependencies for step", "A dbt subsetted execution", "Copying `", "Running dbt command",
    "Finished dbt command", "Logging an `AssetObservation`",
)


class _ProgressHandler(logging.Handler):
    """Prints the run's progress in a line per step, check and user message."""

    def __init__(self, echo):
        # Dagster logs its events at DEBUG; emit() keeps only the ones worth a line
        super().__init__(level=logging.DEBUG)
        self.echo = echo

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            message = meta.get("orig_message", record.getMessage())
            if record.levelno >= logging.INFO and step and not message.startswith(INTERNAL_MESSAGES):
                self.echo(f"  {message}")
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            # a step key joins the asset key's parts with '__': only the first one is a separator here
            self.echo(f"- {step.replace('__', '/', 1)}")
        elif kind == "STEP_FAILURE":
            reason = failure_reason(event.event_specific_data.error)
            self.echo(f"  FAILED: {step}" + (f": {reason}" if reason else ""))
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            status = "passed" if data.passed else ("WARNING" if data.severity == dg.AssetCheckSeverity.WARN else "FAILED")
            self.echo(f"  check {data.asset_key.to_user_string()}:{data.check_name} {status}")


def _progress_logger(echo):
    @dg.logger
    def progress(_init_context):
        log = logging.getLogger("smile.progress")
        log.handlers = [_ProgressHandler(echo)]
        log.setLevel(logging.DEBUG)
        log.propagate = False
        return log

    return progress


def run_pipeline(paths: SmilePaths, *, as_of: str | None = None, echo=print, pull: bool = False,
                 full_refresh: bool = False, engine: str = "duckdb") -> RunSummary:
    if pull:  # the API pull creates the source directory
        paths.source_dir.mkdir(parents=True, exist_ok=True)
    if not paths.source_dir.is_dir():
        raise RunRefused(
            f"source directory {paths.source_dir} does not exist: run `smile generate --out {paths.source_dir}` "
            "or pass --source-dir pointing at your exports"
        )
    prepare_home(paths)
    # Everything that varies per run goes to the job explicitly: the definitions are built for
    # this run's settings, and the same settings are the run's config (the Dagster UI shows a
    # run's as-of, and re-executing it repeats it). No environment variable is set, so a second
    # run in this process starts from nothing the first one left behind.
    settings = SmileSettings.for_run(paths, as_of=as_of, full_refresh=full_refresh, engine=engine)
    with run_lock(paths):
        from .definitions import API_PIPELINE_JOB, PIPELINE_JOB, build_definitions

        defs = build_definitions(settings)
        job = defs.resolve_job_def(API_PIPELINE_JOB if pull else PIPELINE_JOB)
        job = job.with_logger_defs({"progress": _progress_logger(echo)})
        # the home's own Dagster instance, so `dagster dev` on it shows this run
        with dg.DagsterInstance.from_config(str(paths.dagster_home)) as instance:
            # only our progress logger: Dagster's console logger prints every DEBUG event
            result = job.execute_in_process(
                instance=instance, raise_on_error=False,
                run_config={"loggers": {"progress": {}}, "resources": {"smile": {"config": settings.run_config()}}},
                tags={RECORDED_BY_CLI_TAG: "smile run"},
            )
            return record_run(instance, paths, result.run_id)
