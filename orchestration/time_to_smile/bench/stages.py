"""A run's stages, timed from its Dagster event log: when each step started and ended."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

#: The part of a run no step accounts for: building the definitions (dbt's manifest), starting and recording the run.
OUTSIDE_STEPS = "outside steps"
#: Stages in run order, and how a step key names the stage it belongs to.
STAGES: tuple[str, ...] = ("load", "sentiment", "raw checks", "dbt build", "mart checks", "publication")


def stage_of(step_key: str) -> str:
    if step_key.startswith("raw__") or step_key == "raw_collections":
        return "load"
    if step_key.startswith("enrichment__"):
        return "sentiment"
    if step_key == "raw_record_checks":
        return "raw checks"
    if step_key in ("published_mart_checks", "derived_mart_checks"):
        return "mart checks"
    if step_key.startswith("serving__"):
        return "publication"
    return "dbt build"


def stage_windows(dagster_home: Path, run_id: str) -> dict[str, tuple[float, float]]:
    """Each stage's (first step start, last step end), in wall-clock seconds. In-process runs execute
    one step at a time, so a stage's window is the time spent in it."""
    starts: dict[str, float] = {}
    windows: dict[str, list[float]] = {}
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        for entry in instance.all_logs(run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                starts[event.step_key] = entry.timestamp
            elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                stage = stage_of(event.step_key)
                span = windows.setdefault(stage, [])
                span.extend((starts[event.step_key], entry.timestamp))
    return {stage: (min(span), max(span)) for stage, span in windows.items()}
