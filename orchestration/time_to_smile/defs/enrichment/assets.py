"""Enrichments computed in Python where SQL cannot: comment sentiment."""

import dagster as dg

from ...enrichment.sentiment import score_new_comments
from ...warehouse import connect
from ..resources import SmileSettings


@dg.asset(
    key=["enrichment", "comment_sentiment"],
    deps=[dg.AssetKey(["raw", "zendesk_ticket_audits"])],
    group_name="enrichment",
    kinds={"duckdb", "python"},
    description=(
        "VADER sentiment of every public comment in the ticket audits, scored once per comment "
        "(incremental: each run scores only comments it has not seen) into `enrichment.comment_sentiment`."
    ),
)
def comment_sentiment(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    with connect(smile.paths().warehouse) as con:
        new = score_new_comments(con)
        total = con.execute("select count(*) from enrichment.comment_sentiment").fetchall()[0][0]
    context.log.info(f"scored {sum(new.values())} new comments ({total} in all)")
    return dg.MaterializeResult(metadata={"new_comments_scored": sum(new.values()), "new_by_label": new, "dagster/row_count": total})
