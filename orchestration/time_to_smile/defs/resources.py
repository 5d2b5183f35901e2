"""The pipeline's settings as a Dagster resource, read from the environment so the
CLI, `dagster dev`, schedules and sensors all agree on where data lives."""


from datetime import datetime, timezone

import dagster as dg

from ..settings import SmilePaths, resolve_paths


class SmileSettings(dg.ConfigurableResource):
    """Where Time to Smile reads raw files and keeps its databases.

    Empty values fall back to SMILE_HOME / SMILE_SOURCE_DIR, then to ./.smile.
    `as_of` (UTC, "YYYY-MM-DD HH:MM:SS") pins the instant open cases are measured
    to; empty means the run's start. `full_refresh` rebuilds every incremental dbt model
    from all of history (docs/incremental.md).
    """

    home: str = ""
    source_dir: str = ""
    as_of: str = ""
    full_refresh: bool = False

    def paths(self) -> SmilePaths:
        return resolve_paths(self.home or None, self.source_dir or None)

    def resolved_as_of(self) -> str:
        return self.as_of or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
