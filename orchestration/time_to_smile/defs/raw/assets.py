"""One Dagster asset per raw collection: files in the drop -> `raw.<table>` in DuckDB; and
`raw/unrecognised_files`, the drop's files no collection loads."""


import dagster as dg

from ...loading.drop_files import unrecognised_files
from ...loading.loader import load_collection
from ...loading.source_collections import COLLECTIONS, SourceCollection
from ...warehouse import connect
from ..resources import SmileSettings


def build_raw_asset(collection: SourceCollection) -> dg.AssetsDefinition:
    @dg.asset(
        key=collection.asset_key,
        # an API pull (when a run includes it) lands new files before the loaders read the drop
        deps=[dg.AssetKey(["extract", "api_pull"])],
        group_name="raw",
        kinds={"duckdb", collection.system},
        description=(
            f"{collection.description}: `{collection.folder}/{collection.name}.jsonl[.gz]` loaded into "
            f"`raw.{collection.table}`, newest version per id; bad lines go to `raw._quarantine`."
        ),
    )
    def _load(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
        paths = smile.paths()
        with connect(paths.warehouse) as con:
            result = load_collection(con, collection, paths.source_dir)
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
        return dg.MaterializeResult(
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
            }
        )

    return _load


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


RAW_ASSETS = [run_context, unrecognised_files_in_drop, *(build_raw_asset(c) for c in COLLECTIONS)]
