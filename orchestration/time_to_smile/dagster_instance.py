"""The home's Dagster instance: where `smile run` records its runs and `dagster dev` reads them.

Its dagster.yaml names Dagster's default SQLite folders and our event log storage
(pooled_event_log.py: connections kept open, measured there). smile writes the file when
there is none and keeps it current (a moved home, an older smile's), but only while it is
smile's own: an operator's dagster.yaml (Postgres storage, run retention, ...) is never
touched. Imports nothing of Dagster, so preparing a home for the app costs nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

EVENT_LOG_MODULE = "time_to_smile.pooled_event_log"
#: The first line of every dagster.yaml smile writes: how it knows the file is its own.
WRITTEN_BY_SMILE = "# Written by smile (orchestration/time_to_smile/dagster_instance.py)"
#: What smile wrote before the pooled event log, for a home made then.
EARLIER_CONFIG = "telemetry:\n  enabled: false\n"


def instance_config(dagster_home: Path) -> str:
    """dagster.yaml for a home: Dagster's default SQLite layout, with the pooled event log."""
    base = dagster_home.resolve()
    return f"""\
{WRITTEN_BY_SMILE} at every run while this line
# is here: the same folders as Dagster's default SQLite storage, with an event log that keeps its
# connections open. To configure the instance yourself, edit this file and delete this line.
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
    """Write the home's dagster.yaml when there is none, or rewrite smile's own when it differs
    (a home moved, or made by an older smile); leave an operator's as it is."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    wanted = instance_config(dagster_home)
    current = config.read_text() if config.exists() else None
    if current is None or (current != wanted and (current.startswith(WRITTEN_BY_SMILE) or current == EARLIER_CONFIG)):
        config.write_text(wanted)
