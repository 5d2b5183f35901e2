"""The Spark raw tables: the same names, columns and column order as the DuckDB loader's
(loading/raw_tables.py). The bookkeeping tables' schemas are read off the loader's DDL
(duckdb_schemas.py); a collection's typed columns come from its JSON shapes (STRUCT -> struct,
LIST -> array; the JSON-kept audit metadata -> string)."""

from __future__ import annotations

from pyspark.sql import SparkSession
from pyspark.sql import types as T

from ..loading.raw_tables import MANIFEST_DDL
from ..loading.source_collections import SourceCollection
from .duckdb_schemas import spark_schema
from .json_shapes import spark_type

DATABASE = "raw"

# The loader's bookkeeping tables, with the columns its DDL gives them.
BOOKKEEPING = {name: spark_schema(MANIFEST_DDL, f"raw.{name}") for name in ("_loaded_files", "_quarantine", "_new_fields")}


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
