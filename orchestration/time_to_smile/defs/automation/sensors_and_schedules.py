"""When the pipeline runs by itself: a sensor on the file drop and an hourly API pull.

Data engineers turn them on in the Dagster UI (`make dagster`, Automation tab); both
start the same job `smile run` executes, so every run is loaded, tested, checked and
published the same way.
"""

import hashlib
import json

import dagster as dg

from ...loading.drop_files import collection_files
from ...settings import resolve_paths
from ...loading.source_collections import COLLECTIONS
from ..resources import SmileSettings


def drop_fingerprint(source_dir) -> tuple[str, int]:
    """A digest of every source file's (path, size, mtime), and the number of files."""
    files = [path for collection in COLLECTIONS for path in collection_files(source_dir, collection)]
    listing = sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return hashlib.sha256(json.dumps(listing).encode()).hexdigest()[:16], len(files)


def build_automation(job_name: str, api_job_name: str, settings: SmileSettings | None = None
                     ) -> tuple[dg.SensorDefinition, dg.ScheduleDefinition]:
    """The sensor watches `settings`' source directory, or, given none (`dagster dev`), the one
    $SMILE_SOURCE_DIR names when it ticks."""

    @dg.sensor(
        name="new_files_in_source_dir",
        job_name=job_name,
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Starts a pipeline run when files in the source directory ($SMILE_SOURCE_DIR) are added or change.",
    )
    def new_files_in_source_dir(context: dg.SensorEvaluationContext):
        source_dir = (settings.paths() if settings is not None else resolve_paths()).source_dir
        if not source_dir.is_dir():
            return dg.SkipReason(f"source directory {source_dir} does not exist")
        fingerprint, count = drop_fingerprint(source_dir)
        if count == 0:
            return dg.SkipReason(f"no source files in {source_dir}")
        if fingerprint == context.cursor:
            return dg.SkipReason(f"{count} source files, unchanged since the last run")
        context.update_cursor(fingerprint)
        # the run key makes a re-evaluation of the same drop start nothing twice
        return dg.RunRequest(run_key=f"drop-{fingerprint}", tags={"smile/source_files": str(count)})

    hourly = dg.ScheduleDefinition(
        name="hourly_api_pull",
        job_name=api_job_name,
        cron_schedule="0 * * * *",
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Every hour: pull the live APIs incrementally (credentials from the environment), then run the pipeline.",
    )
    return new_files_in_source_dir, hourly
