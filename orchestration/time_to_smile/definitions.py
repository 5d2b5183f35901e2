"""The Dagster code location: `dagster dev -m time_to_smile.definitions`.

raw files -> raw.* (one asset per collection) -> enrichment (comment sentiment)
-> dbt (staging, intermediate, marts; tests as checks) -> Great Expectations
checks -> serving.publication -> serving.significant_move_alerts (when configured);
every run's summary -> serving.run_history.
"""

from __future__ import annotations

import dagster as dg
from .defs.automation.sensors_and_schedules import build_automation
from .defs.dbt.assets import build_dbt_assets, dbt_cli, published_mart_keys
from .defs.enrichment.assets import comment_sentiment
from .defs.extract.assets import API_PIPELINE_JOB, api_pull
from .defs.publish.move_alerts import significant_move_alerts
from .defs.publish.publication import build_publish_asset
from .defs.quality.checks import SUITE_CHECKS
from .defs.raw.assets import RAW_ASSETS
from .defs.resources import SmileSettings
from .defs.statistics.assets import EFFECTS_KEY, OUTLOOK_KEY, fct_open_case_outlook, metric_experience_driver_effects
from .defs.publish.run_history import RUN_HISTORY_SENSORS, run_history

PIPELINE_JOB = "time_to_smile_pipeline"


def build_definitions(settings: SmileSettings | None = None) -> dg.Definitions:
    """The code location for `settings` (a run's, from `smile run`), or for the settings in the
    environment when none are given (`dagster dev`: SmileSettings.from_environment)."""
    dbt_assets = build_dbt_assets()
    publication = build_publish_asset([*published_mart_keys(), EFFECTS_KEY, OUTLOOK_KEY])
    sensor, schedule = build_automation(PIPELINE_JOB, API_PIPELINE_JOB, settings)
    return dg.Definitions(
        sensors=[sensor, *RUN_HISTORY_SENSORS],
        schedules=[schedule],
        assets=[api_pull, *RAW_ASSETS, comment_sentiment, dbt_assets, metric_experience_driver_effects, fct_open_case_outlook, publication, significant_move_alerts, run_history],
        asset_checks=SUITE_CHECKS,
        jobs=[
            dg.define_asset_job(
                PIPELINE_JOB,
                selection=dg.AssetSelection.all() - dg.AssetSelection.groups("extract"),
                description="Load new files, build and test the dbt models, run the quality checks, publish.",
            ),
            dg.define_asset_job(
                API_PIPELINE_JOB,
                selection=dg.AssetSelection.all(),
                description="Pull the live APIs into the source directory, then the whole pipeline.",
            ),
        ],
        resources={
            "smile": settings if settings is not None else SmileSettings.from_environment(),
            "dbt": dbt_cli(),
        },
    )


defs = build_definitions()
