"""The Spark raw tables: the same names, columns and column order as the DuckDB loader's
(loading/raw_tables.py), types mapped (VARCHAR -> string, BIGINT -> bigint, TIMESTAMP ->
timestamp, STRUCT -> struct, LIST -> array; the JSON-kept audit metadata -> string)."""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql import types as T

from ..loading.source_collections import SourceCollection
from .json_shapes import spark_type

DATABASE = "raw"

LOADED_FILES = T.StructType([
    T.StructField("collection", T.StringType()),
    T.StructField("file_path", T.StringType()),
    T.StructField("file_size", T.LongType()),
    T.StructField("file_mtime_ns", T.LongType()),
    T.StructField("lines_read", T.LongType()),
    T.StructField("records_upserted", T.LongType()),
    T.StructField("lines_quarantined", T.LongType()),
    T.StructField("loaded_at", T.TimestampType()),
    T.StructField("lines_unchanged", T.LongType()),
])

QUARANTINE = T.StructType([
    T.StructField("collection", T.StringType()),
    T.StructField("file_path", T.StringType()),
    T.StructField("line_number", T.LongType()),
    T.StructField("reason", T.StringType()),
    T.StructField("raw_line", T.StringType()),
    T.StructField("quarantined_at", T.TimestampType()),
])

NEW_FIELDS = T.StructType([
    T.StructField("collection", T.StringType()),
    T.StructField("field_name", T.StringType()),
    T.StructField("first_file_path", T.StringType()),
    T.StructField("first_line_number", T.LongType()),
    T.StructField("records", T.LongType()),
    T.StructField("noted_at", T.TimestampType()),
])

BOOKKEEPING = {"_loaded_files": LOADED_FILES, "_quarantine": QUARANTINE, "_new_fields": NEW_FIELDS}


def collection_schema(collection: SourceCollection) -> T.StructType:
    """raw.<table>: record_id, record_version, the typed columns, record, and where it came from."""
    typed = [T.StructField(name, spark_type(shape)) for name, shape in collection.schema.items()]
    return T.StructType([
        T.StructField("record_id", T.StringType()),
        T.StructField("record_version", T.TimestampType()),
        *typed,
        T.StructField("record", T.StringType()),
        T.StructField("_source_file", T.StringType()),
        T.StructField("_source_line", T.LongType()),
        T.StructField("_loaded_at", T.TimestampType()),
    ])


def table_name(table: str) -> str:
    return f"{DATABASE}.{table}"


def ensure_database(spark: SparkSession) -> None:
    spark.sql(f"create database if not exists {DATABASE}")
