"""The pipeline's settings as a Dagster resource.

A run's settings are given to it explicitly: `smile run` builds a `SmileSettings` for the
run and hands it to `build_definitions(settings)` and, as run config, to the run itself (so
the Dagster UI shows each run's as-of and a re-execution repeats it). Only a code location
started without settings (`dagster dev -m time_to_smile.definitions`) reads them from the
environment (`SmileSettings.from_environment`); launching a run from the UI may override
any of them in the run's config (`resources: smile: config:`).
"""

import os
from collections.abc import Mapping
from datetime import datetime, timezone

import dagster as dg

from ..settings import SmilePaths, resolve_paths

#: the variables `from_environment` reads, the fallback for `dagster dev`
ENVIRONMENT_VARIABLES = ("SMILE_HOME", "SMILE_SOURCE_DIR", "SMILE_AS_OF", "SMILE_FULL_REFRESH", "SMILE_ENGINE")


class SmileSettings(dg.ConfigurableResource):
    """Where Time to Smile reads raw files and keeps its databases.

    Empty values fall back to SMILE_HOME / SMILE_SOURCE_DIR, then to ./.smile.
    `as_of` (UTC, "YYYY-MM-DD HH:MM:SS") pins the instant open cases are measured
    to; empty means the run's start. `full_refresh` rebuilds every incremental dbt model
    from all of history (docs/incremental.md). `engine` is where the dbt project builds:
    `duckdb` (the default) or `spark` (docs/scale-out.md).
    """

    home: str = ""
    source_dir: str = ""
    as_of: str = ""
    full_refresh: bool = False
    engine: str = "duckdb"

    @classmethod
    def for_run(cls, paths: SmilePaths, *, as_of: str | None = None, full_refresh: bool = False,
                engine: str = "duckdb") -> "SmileSettings":
        """One run's settings, every one of them given: nothing is left to the environment."""
        return cls(home=str(paths.home), source_dir=str(paths.source_dir), as_of=as_of or "", full_refresh=full_refresh,
                   engine=engine)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "SmileSettings":
        """The settings `dagster dev` starts with: SMILE_HOME, SMILE_SOURCE_DIR, SMILE_AS_OF,
        SMILE_FULL_REFRESH=1 and SMILE_ENGINE, read once when the code location loads."""
        env = os.environ if environ is None else environ
        return cls(home=env.get("SMILE_HOME", ""), source_dir=env.get("SMILE_SOURCE_DIR", ""),
                   as_of=env.get("SMILE_AS_OF", ""), full_refresh=env.get("SMILE_FULL_REFRESH", "") == "1",
                   engine=env.get("SMILE_ENGINE", "") or "duckdb")

    def run_config(self) -> dict:
        """These settings as a run's config for the `smile` resource."""
        return {"home": self.home, "source_dir": self.source_dir, "as_of": self.as_of, "full_refresh": self.full_refresh,
                "engine": self.engine}

    def paths(self) -> SmilePaths:
        return resolve_paths(self.home or None, self.source_dir or None)

    def resolved_as_of(self) -> str:
        return self.as_of or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
