"""The home's Dagster instance: where `smile run` records its runs and `dagster dev` reads them.

Its dagster.yaml names Dagster's default SQLite folders and our event log storage
(pooled_event_log.py: connections kept open, measured there). Imports nothing of Dagster, so
preparing a home for the app costs nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

EVENT_LOG_MODULE = "time_to_smile.pooled_event_log"


def instance_config(dagster_home: Path) -> str:
    """dagster.yaml for a home: Dagster's default SQLite layout, with the pooled event log."""
    base = dagster_home.resolve()
    return f"""\
# Written by smile (orchestration/time_to_smile/dagster_instance.py) at every run: the same
# folders as Dagster's default SQLite storage, with an event log that keeps its connections open.
telemetry:
  # no network here or in CI: telemetry would only fail quietly
  enabled: false
run_storage:
  module: dagster._core.storage.runs
  class: SqliteRunStorage
  config:
    base_dir: {_yaml_path(base / "history")}
event_log_storage:
  module: {EVENT_LOG_MODULE}
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {_yaml_path(base / "history" / "runs")}
schedule_storage:
  module: dagster._core.storage.schedules
  class: SqliteScheduleStorage
  config:
    base_dir: {_yaml_path(base / "schedules")}
"""


def _yaml_path(path: Path) -> str:
    return json.dumps(str(path))  # a JSON string is a YAML string, whatever the path holds


def write_instance_config(dagster_home: Path) -> None:
    """(Re)write the home's dagster.yaml when it differs (a home moved, or made by an older smile)."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    wanted = instance_config(dagster_home)
    if not config.exists() or config.read_text() != wanted:
        config.write_text(wanted)
