"""The raw layer: files in the drop -> `raw.<table>` (one asset per collection, materialized together); and
`raw/unrecognised_files`, the drop's files no collection loads."""


import dagster as dg

from ...loading.drop_files import unrecognised_files
from ...loading.loader import LoadResult, load_collection
from ...loading.source_collections import COLLECTIONS, SourceCollection
from ...spark.duckdb_views import materialize_views, point_views_at_spark
from ...spark.landing_process import read_collections
from ...spark.run_landing import SparkLandingFailed, run_landing_process
from ...spark.session import check_spark_available
from ...warehouse import connect
from ..resources import SmileSettings


def _collection_spec(collection: SourceCollection) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=collection.asset_key,
        # an API pull (when a run includes it) lands new files before the loaders read the drop
        deps=[dg.AssetKey(["extract", "api_pull"])],
        group_name="raw",
        kinds={"duckdb", "spark", collection.system},
        description=(
            f"{collection.description}: `{collection.folder}/{collection.name}.jsonl[.gz]` loaded into "
            f"`raw.{collection.table}`, newest version per id; bad lines go to `raw._quarantine`. "
            "Loaded by DuckDB, or landed by Spark on the Spark engine (docs/scale-out.md)."
        ),
    )


@dg.multi_asset(
    name="raw_collections",
    specs=[_collection_spec(c) for c in COLLECTIONS],
    can_subset=True,
    description=(
        "The drop's new files into `raw`: on DuckDB, each collection loaded in turn by the DuckDB loader; "
        "on the Spark engine, every collection landed at once by PySpark in a process of its own, and "
        "`raw.<table>` in warehouse.duckdb made a view over Spark's files."
    ),
)
def raw_collections(context: dg.AssetExecutionContext, smile: SmileSettings):
    chosen = [c for c in COLLECTIONS if dg.AssetKey(c.asset_key) in context.selected_asset_keys]
    paths = smile.paths()
    if smile.engine == "spark":
        results = land_on_spark(context, paths, chosen)
    else:
        results = load_on_duckdb(context, paths, chosen)
    for collection in chosen:
        result = results[collection.table]
        if result.lines_quarantined:
            context.log.warning(
                f"{collection.table}: {result.lines_quarantined} line(s) quarantined "
                f"({', '.join(f'{k}: {v}' for k, v in sorted(result.quarantine_reasons.items()))}); see raw._quarantine"
            )
        if result.new_fields:
            context.log.warning(
                f"{collection.table}: new field(s) {', '.join(sorted(result.new_fields))} (kept in the records' JSON); "
                "see raw._new_fields"
            )
        yield dg.MaterializeResult(
            asset_key=collection.asset_key,
            metadata={
                "files_loaded": len(result.files_loaded),
                "files_skipped_unchanged": len(result.files_skipped),
                "lines_read": result.lines_read,
                "records_upserted": result.records_upserted,
                "lines_unchanged": result.lines_unchanged,
                "lines_quarantined": result.lines_quarantined,
                "quarantine_reasons": result.quarantine_reasons,
                "new_fields": result.new_fields,
                "dagster/row_count": result.total_records,
            },
        )


def load_on_duckdb(context: dg.AssetExecutionContext, paths, chosen: list[SourceCollection]) -> dict[str, LoadResult]:
    results = {}
    with connect(paths.warehouse) as con:
        made = materialize_views(con)
        if made:
            context.log.info(f"Spark landed the raw layer last: its {len(made)} views are tables again, and the "
                             "DuckDB loader carries on from what Spark loaded")
        for collection in chosen:
            context.log.info(f"loading {collection.table}")
            results[collection.table] = load_collection(con, collection, paths.source_dir)
    return results


def land_on_spark(context: dg.AssetExecutionContext, paths, chosen: list[SourceCollection]) -> dict[str, LoadResult]:
    """Land with PySpark, and score the new comments in the same Spark session (one Spark start
    per run; the enrichment asset reads what it scored from the report)."""
    check_spark_available()
    report = run_landing_process(paths.home, paths.source_dir,
                                 ["--collections", *(c.table for c in chosen), "--sentiment"],
                                 log=context.log.info, run_id=context.run.run_id)
    # the views follow the tables even after a failure: a switched table's old files are gone
    with connect(paths.warehouse) as con:
        point_views_at_spark(con, {t: folder for t, folder in report["locations"].items() if t.startswith("raw.")})
    if report["error"]:
        raise SparkLandingFailed(f"the Spark landing failed: {report['error']} (the tables it had not switched "
                                 "yet are as they were)")
    context.log.info("raw.<table> in the warehouse reads the files Spark landed")
    return read_collections(report)


@dg.asset(
    key=["raw", "run_context"],
    group_name="raw",
    kinds={"duckdb"},
    description="The run's as-of instant (UTC) in `raw._run_context`: open cases are measured up to it.",
)
def run_context(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    as_of = smile.resolved_as_of()
    with connect(smile.paths().warehouse) as con:
        con.execute("create schema if not exists raw")
        con.execute("create or replace table raw._run_context as select cast(? as timestamp) as as_of", [as_of])
    context.log.info(f"as of {as_of} UTC")
    return dg.MaterializeResult(metadata={"as_of": as_of})


@dg.asset(
    key=["raw", "unrecognised_files"],
    # after a pull, like the loaders: the pull's new files are judged by the same rule
    deps=[dg.AssetKey(["extract", "api_pull"])],
    group_name="raw",
    kinds={"duckdb"},
    description=(
        "Files in the source directory that no collection loads (a misnamed drop such as "
        "`zendesk/tickets-2026-03-13.jsonl`, a collection or folder sources.md does not list, not JSON Lines), "
        "with the reason, in `raw._unrecognised_files`: replaced every run, empty when every file is loaded. "
        "Hidden files (the extractor's `.part` files) are left out."
    ),
)
def unrecognised_files_in_drop(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    paths = smile.paths()
    found = unrecognised_files(paths.source_dir)
    with connect(paths.warehouse) as con:
        # one transaction: a reader sees the previous run's list or this one's, never an empty table between
        con.execute("begin transaction")
        con.execute("create schema if not exists raw")
        con.execute(
            "create or replace table raw._unrecognised_files "
            "(file_path varchar not null, reason varchar not null, noted_at timestamp not null)"
        )
        if found:
            # absolute paths, as raw._quarantine.file_path holds them
            con.executemany(
                "insert into raw._unrecognised_files values (?, ?, now()::timestamp)",
                [[str(paths.source_dir / f.path), f.reason] for f in found],
            )
        con.execute("commit")
    for f in found:
        context.log.warning(f"{f.path}: {f.reason}")
    return dg.MaterializeResult(metadata={"files": len(found), "unrecognised": {f.path: f.reason for f in found}})


RAW_ASSETS = [run_context, unrecognised_files_in_drop, raw_collections]
