"""The raw landing on Spark: the file drop into the `raw` database's Parquet tables by the DuckDB
loader's rules (loading/loader.py, docs/data-quality.md), set-based, with no loop over records.

- Files load once: a file already in `raw._loaded_files` with the same size and modification
  time is not read again. A collection's new files are read together (drop_lines.py), each
  line numbered in its file; blank lines are skipped; a line that cannot be a record is
  quarantined with the DuckDB loader's reason (records.py), an empty file as line 0, a
  truncated gzip file's lost tail as one entry after its last complete line.
- Newest wins, as if the files were merged one by one in load order (oldest drop first), the
  way the DuckDB loader does: within a file the newest version of a record (then the later
  line) is the file's candidate; a file's candidate replaces the record held if its version
  is newer, or the held one has none, or the versions are equal and the content (record text
  and typed columns) differs. Computed for all files at once by windows over each record id's
  candidates in load order (`_fold`), which also gives each file's `records_upserted`.
- New top-level fields are noted once in `raw._new_fields`, from the first file (in load
  order) whose newest lines carry them; the record text keeps them.
- The typed columns are parsed once, by `from_json` with an explicit schema from
  source_collections.SCHEMAS (json_shapes.py), and `record` keeps the text by the DuckDB rule
  (keeps_text / TYPED_ONLY).

Atomicity (Parquet has no MERGE, DELETE or transaction): a collection's table is never changed
in place. Its new contents (the records held plus the batch, reduced by the fold) are written
whole to a new directory and the table is switched to it by one `ALTER TABLE ... SET LOCATION`
(table_swap.py); a failure before the switch leaves the old table whole. The bookkeeping tables
are replaced the same way once every collection is landed, `_loaded_files` last, so a crash
between two switches leaves every table whole and at worst has the next landing read those
files again: the collections do not change (the same records are no news), though their
quarantine entries and new-field notes could then be written twice (the DuckDB loader, one
transaction per file, has no such window).
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from ..loading.drop_files import collection_files
from ..loading.loader import EMPTY_FILE, TRUNCATED_GZIP, LoadResult
from ..loading.source_collections import COLLECTIONS, SourceCollection
from .drop_lines import INVALID_UTF8, RAW_LINE_CHARS, read_drop_lines
from .invalid_utf8 import duckdb_replaced
from .raw_tables import BOOKKEEPING, collection_schema, ensure_database, table_name
from .records import classify
from .table_swap import create_empty_table, replace_table

# An id's candidates in load order; a version-less one orders before every version.
_NO_VERSION = -(2**63)


@dataclass
class LandingSummary:
    collections: dict[str, LoadResult] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def files_loaded(self) -> int:
        return sum(len(r.files_loaded) for r in self.collections.values())


@dataclass
class _Batch:
    """One collection's part of the landing: its new files and what it does with them."""
    collection: SourceCollection
    files: list[tuple[Path, int, int, int]]  # path, size, mtime_ns, file_order
    result: LoadResult
    parsed: DataFrame | None = None
    folded: DataFrame | None = None


def land_drop(spark: SparkSession, source_dir: Path, collections: tuple[SourceCollection, ...] = COLLECTIONS
              ) -> LandingSummary:
    """Land every collection's new files from `source_dir` into `raw`; return what each did.

    Every step runs once for the whole batch (one read of all new files, one job for the
    quarantine, one for the counts, ...), not once per collection: on a small drop Spark's cost
    is its number of jobs. Only the tables that change are written, one job each."""
    started = datetime.now(timezone.utc)
    with _landing_settings(spark):
        summary = _land_drop(spark, source_dir, collections, started)
    summary.seconds = (datetime.now(timezone.utc) - started).total_seconds()
    return summary


# The landing's settings, for its own jobs only (the session's are restored after it):
LANDING_SETTINGS = {
    # a duplicate key is valid JSON to the DuckDB loader: let the VARIANT parse accept it too
    "spark.sql.variant.allowDuplicateKeys": "true",
    # The typed columns are wide expressions (every field, twice: json_shapes.py). Compiling
    # them took two thirds of a small drop's landing (45 of 60 s for the test's drop) and the
    # widest outgrow Java's 64 KB method limit, where Spark falls back to interpreting them
    # anyway; interpreted, the test's drop lands three times faster.
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
}


@contextmanager
def _landing_settings(spark: SparkSession):
    before = {key: spark.conf.get(key, None) for key in LANDING_SETTINGS}
    for key, value in LANDING_SETTINGS.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def _land_drop(spark: SparkSession, source_dir: Path, collections, started: datetime) -> LandingSummary:
    ensure_database(spark)
    _ensure_tables(spark, collections)
    # one timestamp for the whole landing, as text so it is read in the session's time zone (UTC)
    landed_at = F.lit(started.strftime("%Y-%m-%d %H:%M:%S.%f")).cast("timestamp")
    ledger = {tuple(row) for row in spark.table(table_name("_loaded_files")).select(
        "collection", "file_path", "file_size", "file_mtime_ns").collect()}
    batches, order = [], 0
    for collection in collections:
        batch = _Batch(collection, [], LoadResult(collection=collection.table))
        for path in collection_files(source_dir, collection):
            stat = path.stat()
            if (collection.table, str(path), stat.st_size, stat.st_mtime_ns) in ledger:
                batch.result.files_skipped.append(str(path))
            else:
                order += 1
                batch.files.append((path, stat.st_size, stat.st_mtime_ns, order))
        batches.append(batch)
    landing = [b for b in batches if b.files]
    if landing:
        with tempfile.TemporaryDirectory(prefix="smile-spark-landing-") as scratch:
            _land(spark, landing, landed_at, Path(scratch))
    totals = _counts(spark, [b.collection.table for b in batches])
    summary = LandingSummary()
    for batch in batches:
        batch.result.total_records = totals[batch.collection.table]
        summary.collections[batch.collection.table] = batch.result
    return summary


def _ensure_tables(spark: SparkSession, collections) -> None:
    """Every table exists from the first landing on, empty if nothing landed (as on DuckDB)."""
    wanted = {name: schema for name, schema in BOOKKEEPING.items()}
    wanted.update({c.table: collection_schema(c) for c in collections})
    for table, schema in wanted.items():
        if not spark.catalog.tableExists(table_name(table)):
            create_empty_table(spark, table_name(table), schema)


def _counts(spark: SparkSession, tables: list[str]) -> dict[str, int]:
    """Each table's row count, by one job."""
    counts = _union([spark.table(table_name(t)).select(F.lit(t).alias("t")) for t in tables]).groupBy("t").count()
    return {t: 0 for t in tables} | dict(counts.collect())


def _land(spark: SparkSession, batches: list[_Batch], landed_at: Column, scratch: Path) -> None:
    drop = read_drop_lines(spark, [(b.collection.table, path) for b in batches for path, *_ in b.files], scratch)
    try:
        quarantined, noted, stats, upserts = [], [], [], []
        for batch in batches:
            collection = batch.collection
            batch.parsed = classify(drop.lines.where(F.col("collection") == collection.table), collection).persist()
            quarantined.append(_quarantined(collection, batch.parsed))
            newest = batch.parsed.where(F.col("reason").isNull()).withColumn("is_newest", F.row_number().over(
                Window.partitionBy("file_order", "record_id").orderBy(
                    F.col("record_version").desc_nulls_last(), F.col("line_number").desc())) == 1
            ).where("is_newest")
            noted.append(_new_fields(spark, collection, newest, landed_at))
            stats.append(batch.parsed.groupBy("file_order").agg(
                F.count(F.lit(1)).alias("lines"), F.count("reason").alias("quarantined")))
            candidates = _candidates(collection, newest, landed_at).unionByName(
                spark.table(table_name(collection.table)).withColumn("pos", F.lit(0)))
            batch.folded = _fold(candidates).persist()
            upserts.append(batch.folded.where(F.col("replaced") & (F.col("pos") > 0)).groupBy("pos").count())
        # the batch's rows for the bookkeeping tables, kept: the lines are released before they are written
        quarantine = _raw_lines(_with_whole_file_entries(spark, _union(quarantined), drop)).localCheckpoint()
        new_fields = _union(noted).localCheckpoint()
        per_file = {row["file_order"]: (row["lines"], row["quarantined"]) for row in _union(stats).collect()}
        upserted = dict(_union(upserts).collect())
        for batch in batches:
            if any(upserted.get(order) for *_, order in batch.files):
                current = batch.folded.where("is_current").select(*collection_schema(batch.collection).fieldNames())
                replace_table(spark, table_name(batch.collection.table), current)
        ledger = []
        fields_noted = new_fields.select("collection", "field_name", "records").collect()
        for batch in batches:
            result = batch.result
            result.new_fields = {r["field_name"]: r["records"] for r in fields_noted if r["collection"] == batch.collection.table}
            for path, size, mtime_ns, order in batch.files:
                lines, quarantined_lines = per_file.get(order, (0, 0))
                records = lines - quarantined_lines
                if str(path) in drop.truncated_tails:
                    lines, quarantined_lines = lines + 1, quarantined_lines + 1
                elif drop.line_counts[str(path)] == 0:
                    quarantined_lines += 1
                records_upserted = upserted.get(order, 0)
                lines_unchanged = records - records_upserted
                ledger.append((batch.collection.table, str(path), size, mtime_ns, lines, records_upserted,
                               quarantined_lines, lines_unchanged))
                result.files_loaded.append(str(path))
                result.lines_read += lines
                result.lines_quarantined += quarantined_lines
                result.records_upserted += records_upserted
                result.lines_unchanged += lines_unchanged
    finally:
        for batch in batches:
            for frame in (batch.parsed, batch.folded):
                if frame is not None:
                    frame.unpersist()
        drop.release()
    for batch in batches:
        batch.result.quarantine_reasons = {}
    reasons = quarantine.groupBy("collection", "reason").count().collect()
    by_table = {b.collection.table: b.result for b in batches}
    for row in reasons:
        by_table[row["collection"]].quarantine_reasons[row["reason"]] = row["count"]
    _write_bookkeeping(spark, quarantine, new_fields, ledger, landed_at)


def _quarantined(collection: SourceCollection, parsed: DataFrame) -> DataFrame:
    """A collection's quarantined lines, their raw_line still to be cut (`_raw_lines`)."""
    return parsed.where(F.col("reason").isNotNull()).select(
        F.lit(collection.table).alias("collection"), "file_path", "line_number", "reason", "line", "reader_reason",
        F.lit(None).cast("string").alias("raw_line"))


def _with_whole_file_entries(spark, rows: DataFrame, drop) -> DataFrame:
    """The entries of a file rather than a line: an empty file (line 0), a truncated gzip file's lost tail."""
    collection_of = {str(path): collection for collection, path in drop.files}
    whole_file = [(collection_of[path], path, drop.line_counts[path] + 1, TRUNCATED_GZIP, None, None, tail)
                  for path, tail in drop.truncated_tails.items()]
    whole_file += [(collection_of[path], path, 0, EMPTY_FILE, None, None, None)
                   for path, count in drop.line_counts.items() if count == 0 and path not in drop.truncated_tails]
    if whole_file:
        rows = rows.unionByName(spark.createDataFrame(whole_file, rows.schema))
    return rows


def _raw_lines(rows: DataFrame) -> DataFrame:
    """The quarantine's raw_line: a reader's reason keeps the line's start, as DuckDB's reader
    does (an invalid UTF-8 line with DuckDB's '?' for the broken bytes); a parse's the whole line."""
    duckdb_text = F.udf(lambda data: duckdb_replaced(data), "string")
    # one Python step for the whole batch, and only these lines' bytes go to Python
    invalid = F.col("reason") == INVALID_UTF8
    raw_line = (F.when(F.col("raw_line").isNotNull(), F.col("raw_line"))
                .when(invalid, F.left(duckdb_text(F.when(invalid, F.col("line").cast("binary"))), F.lit(RAW_LINE_CHARS)))
                .when(F.col("reason") == F.col("reader_reason"), F.left(F.make_valid_utf8("line"), F.lit(RAW_LINE_CHARS)))
                .otherwise(F.col("line")))
    return rows.select("collection", "file_path", "line_number", "reason", raw_line.alias("raw_line"))


def _new_fields(spark, collection: SourceCollection, newest: DataFrame, landed_at: Column) -> DataFrame:
    """Top-level fields the collection has not had: each from the first file that has it, once."""
    keys = newest.select("file_order", "file_path", "line_number", F.explode(F.json_object_keys("line")).alias("field_name"))
    unknown = keys.where(~F.col("field_name").isin(list(collection.fields)))
    per_file = unknown.groupBy("field_name", "file_order", "file_path").agg(
        F.min("line_number").alias("first_line_number"), F.count(F.lit(1)).alias("records"))
    first = per_file.withColumn("n", F.row_number().over(Window.partitionBy("field_name").orderBy("file_order"))).where("n = 1")
    known = spark.table(table_name("_new_fields")).where(F.col("collection") == collection.table).select("field_name")
    return first.join(known, "field_name", "left_anti").select(
        F.lit(collection.table).alias("collection"), "field_name", F.col("file_path").alias("first_file_path"),
        "first_line_number", "records", landed_at.alias("noted_at"))


def _candidates(collection: SourceCollection, newest: DataFrame, landed_at: Column) -> DataFrame:
    """Each file's newest line of each record, in the table's columns, at its file's position."""
    typed = [F.col("doc").getField(name).alias(name) for name in collection.schema]
    return newest.select(
        "record_id", "record_version", *typed, _kept_text(collection).alias("record"),
        F.col("file_path").alias("_source_file"), F.col("line_number").alias("_source_line"),
        landed_at.alias("_loaded_at"), F.col("file_order").alias("pos"))


def _kept_text(collection: SourceCollection) -> Column:
    """`record`: the line, or for a TYPED_ONLY collection only a line its typed columns cannot
    hold (loading/raw_tables.kept_text_sql): a top-level key they lack, or an object or list
    field whose column is null though the JSON has a value there."""
    if collection.keeps_text:
        return F.col("line")
    extra = F.size(F.filter(F.json_object_keys("line"), lambda key: ~key.isin(list(collection.top_level_keys)))) > 0
    cannot_hold = extra
    for name, shape in collection.schema.items():
        if isinstance(shape, (dict, list)):
            present = F.get_json_object("line", f"$.{name}").isNotNull()
            cannot_hold = cannot_hold | (F.col("doc").getField(name).isNull() & present)
    return F.when(cannot_hold, F.col("line"))


def _fold(candidates: DataFrame) -> DataFrame:
    """The DuckDB loader's file-by-file merge, for all files at once: `replaced` says whether a
    candidate replaced the record held when its file loaded, `is_current` which one is held
    after the last file. The held record always has the greatest version seen so far, and its
    content is that of the latest candidate at that version."""
    content = F.struct(*[c for c in candidates.columns
                         if c not in ("record_id", "record_version", "_source_file", "_source_line", "_loaded_at", "pos")])
    by_id = Window.partitionBy("record_id").orderBy("pos")
    before = by_id.rowsBetween(Window.unboundedPreceding, -1)
    so_far = by_id.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    staged = (candidates
              .withColumn("_k", F.coalesce(F.unix_micros("record_version"), F.lit(_NO_VERSION)))
              .withColumn("_content", content)
              .withColumn("_max_before", F.max("_k").over(before))
              .withColumn("_at_max", F.col("_k") >= F.coalesce(F.col("_max_before"), F.lit(_NO_VERSION))))
    staged = staged.withColumn("_held_before", F.last(F.when(F.col("_at_max"), F.col("_content")), ignorenulls=True).over(before))
    replaced = (F.col("_max_before").isNull() | (F.col("_k") > F.col("_max_before"))
                | ((F.col("_k") == F.col("_max_before")) & ~F.col("_content").eqNullSafe(F.col("_held_before"))))
    staged = staged.withColumn("replaced", replaced)
    latest = Window.partitionBy("record_id").orderBy(F.col("replaced").desc(), F.col("pos").desc())
    return staged.withColumn("is_current", F.col("replaced") & (F.row_number().over(latest) == 1))


def _write_bookkeeping(spark: SparkSession, quarantine: DataFrame, new_fields: DataFrame, ledger: list[tuple],
                       landed_at: Column) -> None:
    """Append the landing's rows to the bookkeeping tables, `_loaded_files` last (module docstring)."""
    for table, rows in (("_new_fields", new_fields), ("_quarantine", quarantine.withColumn("quarantined_at", landed_at))):
        replace_table(spark, table_name(table), spark.table(table_name(table)).unionByName(rows))
    loaded = spark.createDataFrame([(*r[:7], None, r[7]) for r in ledger], BOOKKEEPING["_loaded_files"])
    replace_table(spark, table_name("_loaded_files"),
                  spark.table(table_name("_loaded_files")).unionByName(loaded.withColumn("loaded_at", landed_at)))


def _union(frames: list[DataFrame]) -> DataFrame:
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result
