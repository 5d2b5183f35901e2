"""The publish asset: copies the checked marts to serving.duckdb, atomically."""


import dagster as dg

from ..publish import publish
from .resources import SmileSettings


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=["serving", "publication"],
        deps=mart_keys,
        group_name="serving",
        kinds={"duckdb"},
        description=(
            "The published marts in `serving.duckdb`, replaced atomically. Runs only when every "
            "upstream blocking check (dbt tests, Great Expectations suites) passed in this run."
        ),
    )
    def publication(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
        paths = smile.paths()
        tables = [key.path[-1] for key in mart_keys]
        result = publish(paths.warehouse, paths.serving, tables, run_id=context.run.run_id)
        context.log.info(f"published {len(tables)} marts to {result.path}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "as_of": str(result.as_of),
                **{f"rows/{t}": n for t, n in result.tables.items()},
            }
        )

    return publication
