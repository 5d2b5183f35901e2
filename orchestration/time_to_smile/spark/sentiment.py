"""Comment sentiment on Spark: `enrichment.comment_sentiment` with the DuckDB enrichment's
columns and values (enrichment/sentiment.py, metrics.md "Comment sentiment").

The same comments are picked (public `Comment` events of the audits loaded after the newest
audit already scored, not scored yet) and scored by the same VADER code
(`sentiment.compound_scores`), run by `mapInPandas` on the executors over each distinct text
of the batch, so no row passes through the driver. The table is replaced whole with the
scores it had plus the new ones (table_swap.py), as the raw tables are.
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

from ..enrichment.sentiment import ANALYZER, DDL, LABEL_SQL, MAX_SCORED_CHARACTERS
from .duckdb_schemas import spark_schema
from .raw_tables import table_name
from .table_swap import create_empty_table, replace_table

TABLE = "enrichment.comment_sentiment"

SCHEMA = spark_schema(DDL, TABLE)


def _score(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """VADER's compound score of each text (runs on an executor, one analyzer per worker)."""
    from ..enrichment.sentiment import compound_scores

    for batch in batches:
        yield pd.DataFrame({"body": batch["body"], "compound": compound_scores(batch["body"].tolist())})


def score_new_comments(spark: SparkSession) -> dict[str, int]:
    """Score the public comments not scored yet; return counts per label of the new ones."""
    spark.sql("create database if not exists enrichment")
    if not spark.catalog.tableExists(TABLE):
        create_empty_table(spark, TABLE, SCHEMA)
    audits = table_name("zendesk_ticket_audits")
    if not spark.catalog.tableExists(audits):
        return {}
    scored = spark.table(TABLE)
    newest_scored = scored.agg(F.max("audit_loaded_at")).first()[0]
    events = spark.table(audits)
    if newest_scored is not None:
        events = events.where(F.col("_loaded_at") > F.lit(newest_scored))
    comments = (events
                .select(F.col("ticket_id").try_cast("bigint").alias("ticket_id"),
                        F.col("_loaded_at").alias("audit_loaded_at"), F.explode("events").alias("event"))
                .where((F.col("event.type") == "Comment")
                       & F.coalesce(F.col("event.public").try_cast("boolean"), F.lit(False)))
                .select(F.col("event.id").try_cast("bigint").alias("event_id"), "ticket_id", "audit_loaded_at",
                        F.left(F.coalesce("event.body", F.lit("")), F.lit(MAX_SCORED_CHARACTERS)).alias("body"))
                .where(F.col("event_id").isNotNull())
                .join(scored.select("event_id"), "event_id", "left_anti")
                .localCheckpoint())
    if comments.isEmpty():
        return {}
    texts = comments.select("body").distinct()
    scores = texts.mapInPandas(_score, "body string, compound double")
    # an event sent twice (a re-sent audit) is scored once, as DuckDB's `distinct on (event_id)`
    once = Window.partitionBy("event_id").orderBy("audit_loaded_at", "ticket_id")
    new = (comments.join(scores, "body")
           .withColumn("n", F.row_number().over(once)).where("n = 1")
           .select("event_id", "ticket_id", "compound", F.expr(LABEL_SQL).alias("label"),
                   F.lit(ANALYZER).alias("analyzer"), F.current_timestamp().alias("scored_at"), "audit_loaded_at")
           .localCheckpoint())
    replace_table(spark, TABLE, scored.unionByName(new).localCheckpoint())
    return dict(new.groupBy("label").count().collect())
