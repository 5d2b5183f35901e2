"""One pipeline run through Dagster, as `smile run` and the tests start it.

The job executes in-process (one process, steps in order): the multiprocess
executor spends seconds per step launching subprocesses, and DuckDB allows one
writer per file anyway. Runs are recorded in the Dagster instance under
$SMILE_HOME/dagster, so `dagster dev` shows their history.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from .settings import SmilePaths, export_environment
from .warehouse import connect, table_exists


class RunRefused(RuntimeError):
    """The run could not start (another run holds the lock, no source files...)."""


@dataclass
class RunSummary:
    run_id: str
    success: bool
    published: bool
    rows_loaded: dict[str, int] = field(default_factory=dict)
    quarantined: Counter = field(default_factory=Counter)  # lines of this run's files, by reason
    held_back: Counter = field(default_factory=Counter)  # records failing validation now, by kind
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"rows in raw: {sum(self.rows_loaded.values())} across {len(self.rows_loaded)} collections"]
        total_q = sum(self.quarantined.values())
        out.append(f"lines quarantined: {total_q}" + (f" ({', '.join(f'{r}: {n}' for r, n in self.quarantined.most_common())}; see raw._quarantine)" if total_q else ""))
        total_h = sum(self.held_back.values())
        out.append(f"records held back: {total_h}" + (f" ({', '.join(f'{r}: {n}' for r, n in self.held_back.most_common())}; see intermediate.int_quarantined_records)" if total_h else ""))
        out.append(f"checks passed: {self.checks_passed}, failed: {len(self.checks_failed)}")
        out.extend(f"  failed check: {name}" for name in self.checks_failed)
        out.extend(f"  failed step: {name}" for name in self.failed_steps)
        out.append("published: yes" if self.published else "published: NO - the previous publication is unchanged")
        return out


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
            if record.levelno >= logging.INFO and step:
                self.echo(f"  {meta.get('orig_message', record.getMessage())}")
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            # a step key joins the asset key's parts with '__': only the first one is a separator here
            self.echo(f"- {step.replace('__', '/', 1)}")
        elif kind == "STEP_FAILURE":
            self.echo(f"  FAILED: {step}")
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            status = "passed" if data.passed else "FAILED"
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


def run_pipeline(paths: SmilePaths, *, as_of: str | None = None, echo=print, pull: bool = False) -> RunSummary:
    if pull:  # the API pull creates the source directory
        paths.source_dir.mkdir(parents=True, exist_ok=True)
    if not paths.source_dir.is_dir():
        raise RunRefused(
            f"source directory {paths.source_dir} does not exist: run `smile generate --out {paths.source_dir}` "
            "or pass --source-dir pointing at your exports"
        )
    export_environment(paths)
    if as_of:
        os.environ["SMILE_AS_OF"] = as_of
    with run_lock(paths):
        from .definitions import API_PIPELINE_JOB, PIPELINE_JOB, build_definitions

        defs = build_definitions()
        job = defs.resolve_job_def(API_PIPELINE_JOB if pull else PIPELINE_JOB)
        job = job.with_logger_defs({"progress": _progress_logger(echo)})
        with dg.DagsterInstance.get() as instance:
            # only our progress logger: Dagster's console logger prints every DEBUG event
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config={"loggers": {"progress": {}}}
            )
        summary = summarise(result)
        summary.held_back = held_back_by_kind(paths.warehouse)
        return summary


def held_back_by_kind(warehouse: Path) -> Counter:
    """Records the validation holds back after the run (marts.data_quality, as built in the warehouse)."""
    if not warehouse.exists():
        return Counter()
    with connect(warehouse, read_only=True) as con:
        if not table_exists(con, "marts", "data_quality"):
            return Counter()
        return Counter(dict(con.execute(
            "select reason, sum(records) from marts.data_quality where stage = 'validation' group by reason"
        ).fetchall()))


def summarise(result: dg.ExecuteInProcessResult) -> RunSummary:
    summary = RunSummary(run_id=result.run_id, success=result.success, published=False)
    for event in result.all_events:
        if event.is_step_materialization:
            mat = event.event_specific_data.materialization
            key = mat.asset_key
            meta = {k: v.value for k, v in mat.metadata.items()}
            if key.path[0] == "raw":
                summary.rows_loaded[key.path[-1]] = int(meta.get("dagster/row_count", 0))
                summary.quarantined.update(meta.get("quarantine_reasons") or {})
            if key.path == ["serving", "publication"]:
                summary.published = True
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if data.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed.append(f"{data.asset_key.to_user_string()}:{data.check_name}")
        elif event.is_step_failure:
            summary.failed_steps.append(event.step_key)
    return summary
