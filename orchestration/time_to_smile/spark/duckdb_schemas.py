"""Spark schemas read off the DuckDB tables they mirror, so a column added to a DuckDB table's
DDL reaches its Spark twin without a second list to keep in step.

The DDL runs in an in-memory DuckDB (it is `create ... if not exists` and `alter`s, harmless on
an empty database) and the table's columns, in DuckDB's order, are mapped to Spark types."""

from __future__ import annotations

import duckdb
from pyspark.sql import types as T

#: DuckDB's column types of the bookkeeping tables and their Spark equivalents.
SPARK_TYPES = {
    "VARCHAR": T.StringType(),
    "BIGINT": T.LongType(),
    "INTEGER": T.IntegerType(),
    "DOUBLE": T.DoubleType(),
    "BOOLEAN": T.BooleanType(),
    "TIMESTAMP": T.TimestampType(),
}


def spark_schema(ddl: str, table: str) -> T.StructType:
    """The Spark schema of DuckDB's `table` as `ddl` creates it."""
    with duckdb.connect() as con:
        con.execute(ddl)
        columns = con.execute(f"describe {table}").fetchall()
    unmapped = sorted({kind for _, kind, *_ in columns if kind not in SPARK_TYPES})
    if unmapped:
        raise ValueError(f"{table}: no Spark type for DuckDB's {', '.join(unmapped)} (spark/duckdb_schemas.py)")
    return T.StructType([T.StructField(name, SPARK_TYPES[kind]) for name, kind, *_ in columns])
