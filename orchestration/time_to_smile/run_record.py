"""What a pipeline run did, for the operator: printed by `smile run`, kept in the run history.

The summary is read from the run's Dagster event log, so a run started by `smile run`
and one launched from the Dagster UI are summarised alike. Every run, published or
not, appends one line to `$SMILE_HOME/run_history.jsonl` (the app's data-quality
badge reads it) and records the same figures as a materialization of the asset
`serving/run_history`, so the Dagster UI charts them run after run.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from .settings import SmilePaths
from .warehouse import connect, table_exists

RUN_HISTORY_KEY = dg.AssetKey(["serving", "run_history"])
# runs `smile run` executes and records itself; the run-status sensors record the others
RECORDED_BY_CLI_TAG = "smile/recorded_by"
UNRECOGNISED_FILES_ASSET = "unrecognised_files"  # raw/unrecognised_files: not a collection, no rows in raw
# the summary line names this many unrecognised files at most; the rest are counted
# (all of them are in the run history and raw._unrecognised_files)
FILES_NAMED_IN_SUMMARY = 10


@dataclass
class RunSummary:
    run_id: str
    success: bool
    published: bool
    rows_loaded: dict[str, int] = field(default_factory=dict)
    quarantined: Counter = field(default_factory=Counter)  # lines of this run's files, by reason
    unrecognised_files: dict[str, str] = field(default_factory=dict)  # source-dir file no collection loads -> why
    held_back: Counter = field(default_factory=Counter)  # records failing validation now, by kind
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)  # blocking checks: publication stops
    checks_warned: list[str] = field(default_factory=list)  # warning checks: reported, publication goes on
    failed_steps: list[str] = field(default_factory=list)
    failure_reasons: dict[str, str] = field(default_factory=dict)  # failed step -> what its code raised, one line
    as_of: str | None = None
    alerts: str | None = None  # what the significant-move alerts did (docs/alerts.md)

    @property
    def not_published_because(self) -> str | None:
        if self.published:
            return None
        # a failed blocking check also fails its step: name the checks, the steps (and why) only when no check failed
        steps = [f"{step}: {self.failure_reasons[step]}" if self.failure_reasons.get(step) else step
                 for step in self.failed_steps]
        return "; ".join(self.checks_failed or steps) or "the run stopped before publication"

    def lines(self) -> list[str]:
        out = [f"rows in raw: {sum(self.rows_loaded.values())} across {len(self.rows_loaded)} collections"]
        total_q = sum(self.quarantined.values())
        out.append(f"lines quarantined: {total_q}" + (f" ({', '.join(f'{r}: {n}' for r, n in self.quarantined.most_common())}; see raw._quarantine)" if total_q else ""))
        if self.unrecognised_files:
            named = sorted(self.unrecognised_files.items())[:FILES_NAMED_IN_SUMMARY]
            more = len(self.unrecognised_files) - len(named)
            out.append(f"files not recognised: {len(self.unrecognised_files)} ("
                       + "; ".join(f"{path}: {reason}" for path, reason in named)
                       + (f"; and {more} more" if more else "") + "; see raw._unrecognised_files)")
        total_h = sum(self.held_back.values())
        out.append(f"records held back: {total_h}" + (f" ({', '.join(f'{r}: {n}' for r, n in self.held_back.most_common())}; see intermediate.int_quarantined_records)" if total_h else ""))
        out.append(f"checks passed: {self.checks_passed}, warnings: {len(self.checks_warned)}, failed: {len(self.checks_failed)}")
        out.extend(f"  failed check: {name}" for name in self.checks_failed)
        out.extend(f"  warning: {name}" for name in self.checks_warned)
        out.extend(f"  failed step: {name}" + (f": {self.failure_reasons[name]}" if self.failure_reasons.get(name) else "")
                   for name in self.failed_steps)
        out.append("published: yes" if self.published else "published: NO - the previous publication is unchanged")
        if self.alerts:
            out.append(f"alerts: {self.alerts}")
        return out


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


def summarise(run_id: str, success: bool, events: list[dg.DagsterEvent]) -> RunSummary:
    summary = RunSummary(run_id=run_id, success=success, published=False)
    for event in events:
        if event.is_step_materialization:
            mat = event.event_specific_data.materialization
            key = mat.asset_key
            meta = {k: v.value for k, v in mat.metadata.items()}
            if key.path[0] == "raw":
                if key.path[-1] == "run_context":
                    summary.as_of = meta.get("as_of")
                    continue
                if key.path[-1] == UNRECOGNISED_FILES_ASSET:
                    summary.unrecognised_files = dict(meta.get("unrecognised") or {})
                    continue
                summary.rows_loaded[key.path[-1]] = int(meta.get("dagster/row_count", 0))
                summary.quarantined.update(meta.get("quarantine_reasons") or {})
            if key.path == ["serving", "publication"]:
                summary.published = True
            if key.path == ["serving", "significant_move_alerts"]:
                summary.alerts = meta.get("alerts")
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            name = f"{data.asset_key.to_user_string()}:{data.check_name}"
            if data.passed:
                summary.checks_passed += 1
            elif data.severity == dg.AssetCheckSeverity.WARN:
                summary.checks_warned.append(name)
            else:
                summary.checks_failed.append(name)
        elif event.is_step_failure:
            summary.failed_steps.append(event.step_key)
            summary.failure_reasons[event.step_key] = failure_reason(event.event_specific_data.error)
    return summary


def failure_reason(error) -> str:
    """What the step's own code raised, in one line: the innermost cause of Dagster's error info
    (Dagster wraps it in "Error occurred while executing op ..."), without the exception's module path."""
    while error is not None and getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return ""
    text = " ".join((error.message or "").split())
    prefix = f"{error.cls_name}: " if error.cls_name else ""
    if prefix and prefix in text:
        text = text.split(prefix, 1)[1]
    return text if len(text) <= 400 else text[:399] + "…"


def record_run(instance: dg.DagsterInstance, paths: SmilePaths, run_id: str) -> RunSummary:
    """Summarise a finished run from its event log, append it to the history and to Dagster's metadata."""
    record = instance.get_run_record_by_id(run_id)
    events = [entry.dagster_event for entry in instance.all_logs(run_id) if entry.dagster_event is not None]
    summary = summarise(run_id, record.dagster_run.status == dg.DagsterRunStatus.SUCCESS, events)
    summary.held_back = held_back_by_kind(paths.warehouse)
    entry = history_entry(summary, record)
    append_history(paths, entry)
    instance.report_runless_asset_event(dg.AssetMaterialization(
        asset_key=RUN_HISTORY_KEY,
        description=("published" if summary.published else f"not published: {summary.not_published_because}"),
        metadata={
            "run_id": run_id,
            "published": summary.published,
            "rows_in_raw": entry["rows_in_raw"],
            "lines_quarantined": entry["lines_quarantined"],
            "records_held_back": entry["records_held_back"],
            "held_back_by_reason": dict(summary.held_back),
            "quarantined_by_reason": dict(summary.quarantined),
            "files_not_recognised": len(summary.unrecognised_files),
            "checks_passed": summary.checks_passed,
            "checks_warned": len(summary.checks_warned),
            "checks_failed": len(summary.checks_failed),
        },
    ))
    return summary


def history_entry(summary: RunSummary, record) -> dict:
    def utc(timestamp: float) -> str:
        return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")

    return {
        "run_id": summary.run_id,
        "started_at": utc(record.start_time) if record.start_time is not None else None,
        # a run-status sensor may see the run before its end time is stored
        "finished_at": utc(record.end_time if record.end_time is not None else time.time()),
        "as_of": summary.as_of,
        "published": summary.published,
        "not_published_because": summary.not_published_because,
        "rows_in_raw": sum(summary.rows_loaded.values()),
        "lines_quarantined": sum(summary.quarantined.values()),
        "files_not_recognised": summary.unrecognised_files,
        "records_held_back": sum(summary.held_back.values()),
        "checks_passed": summary.checks_passed,
        "checks_warned": summary.checks_warned,
        "checks_failed": summary.checks_failed,
        "failed_steps": summary.failed_steps,
    }


def append_history(paths: SmilePaths, entry: dict) -> None:
    """One line per run, written in one call and synced: a kill leaves at most a torn last line, which readers skip."""
    paths.home.mkdir(parents=True, exist_ok=True)
    with open(paths.run_history, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_history(path: Path, limit: int | None = None) -> list[dict]:
    """The newest runs first (at most `limit`); a torn line from a killed write is skipped."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    entries.reverse()
    return entries[:limit] if limit else entries
