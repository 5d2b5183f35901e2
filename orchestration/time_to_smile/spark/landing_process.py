"""The Spark engine's raw landing, run by the pipeline as a process of its own:

    python -m time_to_smile.spark.landing_process --home H --source-dir S --report R [--collections ...]
                                                  [--sentiment | --sentiment-only]

A process, not a SparkSession in the pipeline's: Spark's local metastore (Derby) admits one
process at a time and dbt's build opens it next; and the JVM goes away with the process, so the
pipeline's memory stays its own. It lands the drop's new files (landing.py), scores the new
comments on the same session when asked (sentiment.py: one Spark start per run, not two), and
writes a JSON report: what each collection did, the comments scored, and where each table's
current Parquet files are, which the pipeline points warehouse.duckdb's views at
(duckdb_views.py). The locations are written even when the landing fails part way, so the
views follow the tables that were already switched (a switch removes the previous files).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from dataclasses import asdict
from pathlib import Path

from ..loading.loader import LoadResult
from ..loading.source_collections import COLLECTIONS


def landed_tables() -> list[str]:
    """Every Spark table the pipeline reads from the landing: the collections, the bookkeeping, sentiment."""
    from .raw_tables import BOOKKEEPING, table_name
    from .sentiment import TABLE as SENTIMENT

    return [table_name(c.table) for c in COLLECTIONS] + [table_name(t) for t in BOOKKEEPING] + [SENTIMENT]


def table_locations(spark, tables: list[str]) -> dict[str, str]:
    """The folder of each existing table's current files (a local path where Spark's is `file:`)."""
    locations = {}
    for table in tables:
        if spark.catalog.tableExists(table):
            rows = spark.sql(f"describe table extended {table}").where("col_name = 'Location'").collect()
            locations[table] = rows[0]["data_type"].removeprefix("file:")
    return locations


def write_report(path: Path, report: dict) -> None:
    """Replace the report in one rename: the pipeline never reads half of one."""
    partial = path.with_name(path.name + ".part")
    partial.write_text(json.dumps(report, indent=1))
    os.replace(partial, path)


def read_collections(report: dict) -> dict[str, LoadResult]:
    return {table: LoadResult(**result) for table, result in report["collections"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m time_to_smile.spark.landing_process", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, required=True, help="SMILE_HOME: the Spark catalog is $SMILE_HOME/spark")
    parser.add_argument("--source-dir", type=Path, required=True, help="the file drop")
    parser.add_argument("--report", type=Path, required=True, help="where to write the JSON report")
    parser.add_argument("--run-id", default="", help="the pipeline run this landing belongs to (kept in the report)")
    parser.add_argument("--collections", nargs="*", help="raw tables to land (default: every collection)")
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--sentiment", action="store_true", help="also score the new comments")
    what.add_argument("--sentiment-only", action="store_true", help="score the new comments, land nothing")
    args = parser.parse_args(argv)

    from .landing import land_drop
    from .sentiment import score_new_comments
    from .session import spark_session

    chosen = tuple(c for c in COLLECTIONS if args.collections is None or c.table in args.collections)
    report: dict = {"run_id": args.run_id, "collections": {}, "sentiment": None, "locations": {}, "error": None}
    spark = spark_session(args.home)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        if not args.sentiment_only:
            print(f"landing the new files of {len(chosen)} collections from {args.source_dir}", flush=True)
            summary = land_drop(spark, args.source_dir, chosen)
            report["collections"] = {table: asdict(result) for table, result in summary.collections.items()}
            report["seconds"] = round(summary.seconds, 1)
            print(f"landed {summary.files_loaded} new files in {summary.seconds:.0f} s", flush=True)
        if args.sentiment or args.sentiment_only:
            report["sentiment"] = score_new_comments(spark)
            print(f"scored {sum(report['sentiment'].values())} new comments", flush=True)
    except Exception as error:  # the report says why; the exit status says that it failed
        report["error"] = f"{type(error).__name__}: {error}"
        traceback.print_exc()
    finally:
        report["locations"] = table_locations(spark, landed_tables())
        write_report(args.report, report)
        spark.stop()
    return 1 if report["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
