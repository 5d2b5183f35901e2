"""Pulling the live APIs into the file drop, so the rest of the pipeline is the same."""

import os

import dagster as dg

from ...extract import ExtractConfig, default_state_path, extract_all
from ...extract.config import CREDENTIAL_VARIABLES
from ..resources import SmileSettings

# The job that pulls on purpose (`smile run --pull`, the hourly schedule): there, missing
# credentials are an error. Anywhere else (the Dagster UI's "Materialize all") a machine with
# no API credentials at all is a file-drop machine, and the pull steps aside.
API_PIPELINE_JOB = "time_to_smile_api_pipeline"


@dg.asset(
    key=["extract", "api_pull"],
    group_name="extract",
    kinds={"python", "zendesk", "jira", "salesforce"},
    description=(
        "Incremental pull of every collection from the Zendesk, Jira Cloud and Salesforce REST APIs "
        "into the source directory as new drop files (cursors kept in $SMILE_HOME/extract_state.json). "
        "Credentials come from environment variables and are checked before anything is pulled "
        "(docs/extract.md); SMILE_API_SYSTEMS limits the systems pulled (comma-separated, default all three). "
        "A failure names the vendor, endpoint, status and the vendor's message in one line."
    ),
)
def api_pull(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    paths = smile.paths()
    if context.run.job_name != API_PIPELINE_JOB and not any(os.environ.get(v) for v in CREDENTIAL_VARIABLES):
        context.log.info("no API credentials in the environment: nothing pulled; the source directory is used as it is")
        return dg.MaterializeResult(metadata={"records_pulled": 0, "skipped": "no API credentials in the environment"})
    systems = tuple(s.strip() for s in os.environ.get("SMILE_API_SYSTEMS", "").split(",") if s.strip())
    config = ExtractConfig.from_env(**({"systems": systems} if systems else {}))
    result = extract_all(paths.source_dir, default_state_path(paths.home), config, progress=context.log.info)
    context.log.info(f"pulled {result.records} records in {result.requests} requests into {paths.source_dir}")
    return dg.MaterializeResult(metadata={
        "extract_id": result.extract_id,
        "records_pulled": result.records,
        "requests_sent": result.requests,
        "by_collection": {table: {"records": c.records, "requests": c.requests, **({"note": c.note} if c.note else {})}
                          for table, c in result.collections.items()},
    })
