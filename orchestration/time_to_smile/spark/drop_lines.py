"""The lines of a batch of drop files as one Spark DataFrame: file, line number, text, and the
reason a line could not be read (the DuckDB loader's line_reader.py, on Spark).

All files are read by one `spark.read.text`, which keeps no line numbers. A file is read in
splits (one for a gzip file, one per `maxPartitionBytes` otherwise), each split's lines in
order within one task (which may read several small files one after the other), so a line's
number is its position in its split (`monotonically_increasing_id` counts up within a task)
plus the lines of the file's earlier splits (`_metadata.file_block_start` orders them).

Spark keeps a line's bytes as they are, so a line that is not UTF-8 is found with
`is_valid_utf8`. A truncated gzip file fails the read; the batch is then read again with each
such file replaced by what `recover_truncated_gzip` (the DuckDB loader's own) still gets out of
it, every complete line, and its broken tail is quarantined as the DuckDB loader does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from ..loading.line_reader import MAX_LINE_BYTES, READER_REASONS, recover_truncated_gzip

INVALID_UTF8 = READER_REASONS["INVALID ENCODING"]
LINE_TOO_LONG = READER_REASONS["LINE SIZE OVER MAXIMUM"]
RAW_LINE_CHARS = 2000  # how much of an unreadable line the quarantine keeps, as DuckDB's reader does


@dataclass
class DropLines:
    lines: DataFrame  # collection, file_path, file_order, line_number, line, reader_reason (persisted)
    line_counts: dict[str, int]  # file -> its last line number (0: an empty file)
    truncated_tails: dict[str, str]  # gzip file -> the start of the line its stream broke off in
    files: list[tuple[str, Path]]  # collection, path: as asked for

    def release(self) -> None:
        self.lines.unpersist()


def read_drop_lines(spark: SparkSession, files: list[tuple[str, Path]], scratch: Path) -> DropLines:
    """Every line of `files` (collection, path; in load order: `file_order` counts from 1),
    numbered from 1 per file, blank ones included, all read by one job."""
    readable = {str(path): str(path) for _, path in files}
    tails: dict[str, str] = {}
    try:
        lines = _materialised(_numbered_lines(spark, files, readable))
    except Exception:
        gzipped = [path for _, path in files if path.name.endswith(".gz")]
        if not gzipped:
            raise
        scratch.mkdir(parents=True, exist_ok=True)
        for index, path in enumerate(gzipped):
            recovered, tail = recover_truncated_gzip(path, scratch / f"recovered-{index}.jsonl")
            if tail is not None:
                readable[str(path)] = str(recovered)
                tails[str(path)] = tail[:RAW_LINE_CHARS].decode("utf-8", "replace")
        if not tails:  # no cut-short stream: the reader's error stands
            raise
        lines = _materialised(_numbered_lines(spark, files, readable))
    counts = dict(lines.groupBy("file_path").agg(F.max("line_number")).collect())
    return DropLines(lines, {str(path): counts.get(str(path), 0) for _, path in files}, tails, files)


def _numbered_lines(spark: SparkSession, files: list[tuple[str, Path]], readable: dict[str, str]) -> DataFrame:
    # One scan of every file: Spark packs small files into a few tasks and splits big ones.
    # Each line is tied back to its drop file by the scan's own file path (a URI).
    drop_files = spark.createDataFrame(
        [(collection, str(path), order, str(Path(readable[str(path)]).absolute()))
         for order, (collection, path) in enumerate(files, start=1)],
        "collection string, file_path string, file_order int, read_path string")
    scanned = spark.read.text([readable[str(path)] for _, path in files]).select(
        F.url_decode(F.regexp_replace(F.col("_metadata.file_path"), "^file:", "")).alias("read_path"),
        F.col("_metadata.file_block_start").alias("split_start"),
        F.monotonically_increasing_id().alias("position"),
        F.col("value").alias("line"),
    )
    # the positions are counted once: the split table and the join must see the same ones
    scanned = scanned.localCheckpoint(eager=True)
    splits = scanned.groupBy("read_path", "split_start").agg(
        F.min("position").alias("split_first"), F.count(F.lit(1)).alias("split_lines"))
    earlier = Window.partitionBy("read_path").orderBy("split_start").rowsBetween(Window.unboundedPreceding, -1)
    splits = splits.withColumn("lines_before", F.coalesce(F.sum("split_lines").over(earlier), F.lit(0)))
    numbered = (scanned.join(F.broadcast(splits), ["read_path", "split_start"])
                .join(F.broadcast(drop_files), "read_path")
                .select("collection", "file_path", "file_order",
                        (F.col("position") - F.col("split_first") + F.col("lines_before") + 1).alias("line_number"),
                        "line"))
    reader_reason = (F.when(~F.is_valid_utf8("line"), F.lit(INVALID_UTF8))
                     .when(F.octet_length("line") > MAX_LINE_BYTES, F.lit(LINE_TOO_LONG)))
    return numbered.withColumn("reader_reason", reader_reason)


def _materialised(lines: DataFrame) -> DataFrame:
    """Read the files now (a damaged gzip file fails here, not halfway through the load)."""
    lines = lines.persist(StorageLevel.MEMORY_AND_DISK)
    lines.count()
    return lines
