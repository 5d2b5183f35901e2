"""The publish asset: copies the checked marts to serving.duckdb, atomically."""


from pathlib import Path

import dagster as dg

from ...dbt_build import build_state
from ...publication.publish import publish
from ...warehouse import connect, scalar, table_exists
from ..resources import SmileSettings


class NothingToPublish(Exception):
    """The marts about to be published hold no case."""


def nothing_to_publish(warehouse: Path) -> str | None:
    """Why the warehouse's marts must not be published, in one line, or None when they may.

    Marts without a single case (a new home given a drop with no ticket file, or only files
    the loader does not recognise) pass every check, since no row breaks a rule, and would
    replace the data readers see with nothing (or make a new home's first publication empty).
    """
    with connect(warehouse, read_only=True) as con:
        if not table_exists(con, "marts", "fct_case_journey") or scalar(con, "select count(*) from marts.fct_case_journey"):
            return None  # a missing mart fails the publication itself, with its own error
        tickets = scalar(con, "select count(*) from raw.zendesk_tickets") if table_exists(con, "raw", "zendesk_tickets") else 0
        where = [f"raw.{t}" for t in ("_quarantine", "_unrecognised_files") if table_exists(con, "raw", t)]
    if tickets:
        return (f"no cases to publish: none of the {tickets} tickets loaded makes a case "
                "(held back or deleted: see intermediate.int_quarantined_records)")
    return "no cases to publish: no tickets were loaded" + (f" (see {' and '.join(where)})" if where else "")


def build_publish_asset(mart_keys: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        key=["serving", "publication"],
        deps=mart_keys,
        group_name="serving",
        kinds={"duckdb"},
        description=(
            "The published marts in `serving.duckdb`, replaced atomically. Runs only when every "
            "upstream blocking check (dbt tests, Great Expectations suites) passed in this run, "
            "and publishes nothing when `marts.fct_case_journey` has no case."
        ),
    )
    def publication(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
        paths = smile.paths()
        # checked here rather than by an asset check: it holds however the run was launched
        # (a selection in the Dagster UI may leave the checks out), and the run's summary
        # gives the reason rather than a check's name
        if reason := nothing_to_publish(paths.warehouse):
            raise NothingToPublish(reason)
        tables = [key.path[-1] for key in mart_keys]
        result = publish(paths.warehouse, paths.serving, tables, run_id=context.run.run_id)
        # the next run's mart checks may then validate only the rows its build rewrites
        with connect(paths.warehouse) as con:
            build_state.mark_published(con)
        context.log.info(f"published {len(tables)} marts to {result.path}")
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "as_of": str(result.as_of),
                **{f"rows/{t}": n for t, n in result.tables.items()},
            }
        )

    return publication
