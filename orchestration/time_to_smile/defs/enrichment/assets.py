"""Enrichments computed in Python where SQL cannot: comment sentiment."""

import dagster as dg

from ...enrichment.sentiment import score_new_comments
from ...spark.duckdb_views import materialize_views, point_views_at_spark
from ...spark.run_landing import SparkLandingFailed, read_landing_report, run_landing_process
from ...spark.session import check_spark_available
from ...warehouse import connect
from ..resources import SmileSettings

SENTIMENT_TABLE = "enrichment.comment_sentiment"


@dg.asset(
    key=["enrichment", "comment_sentiment"],
    deps=[dg.AssetKey(["raw", "zendesk_ticket_audits"])],
    group_name="enrichment",
    kinds={"duckdb", "spark", "python"},
    description=(
        "VADER sentiment of every public comment in the ticket audits, scored once per comment "
        "(incremental: each run scores only comments it has not seen) into `enrichment.comment_sentiment`. "
        "On the Spark engine the comments are scored on Spark's executors, in the raw landing's session."
    ),
)
def comment_sentiment(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    paths = smile.paths()
    if smile.engine == "spark":
        new = score_on_spark(context, paths)
    else:
        with connect(paths.warehouse) as con:
            materialize_views(con)  # Spark landed last: the scores are a table again
            new = score_new_comments(con)
    with connect(paths.warehouse, read_only=True) as con:
        total = con.execute(f"select count(*) from {SENTIMENT_TABLE}").fetchall()[0][0]
    context.log.info(f"scored {sum(new.values())} new comments ({total} in all)")
    return dg.MaterializeResult(metadata={"new_comments_scored": sum(new.values()), "new_by_label": new, "dagster/row_count": total})


def score_on_spark(context: dg.AssetExecutionContext, paths) -> dict[str, int]:
    """What this run's Spark landing scored; a run without a landing (a selection of this asset
    alone) starts Spark to score."""
    report = read_landing_report(paths.home) or {}
    if report.get("run_id") != context.run.run_id or report.get("sentiment") is None:
        check_spark_available()
        report = run_landing_process(paths.home, paths.source_dir, ["--sentiment-only"], log=context.log.info,
                                     run_id=context.run.run_id)
    if report["error"]:
        raise SparkLandingFailed(f"scoring the comments on Spark failed: {report['error']}")
    with connect(paths.warehouse) as con:
        point_views_at_spark(con, {SENTIMENT_TABLE: report["locations"][SENTIMENT_TABLE]})
    return report["sentiment"]
