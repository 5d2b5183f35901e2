"""warehouse.duckdb's raw layer when Spark lands it: a view per landed table over its current
Parquet folder, so the raw Great Expectations suites, the build plan (`_loaded_at`) and the run
summary read what Spark landed, without a copy (docs/scale-out.md, "The raw layer on Spark").

Each view has its DuckDB table's columns and types, in order (the loader's and the sentiment
enrichment's DDL, run on an in-memory database), so a reader cannot tell the two apart: Spark's
instants come back as UTC `timestamp`s whatever the reader's time zone, and a table Spark holds
no file of (nothing landed yet) is an empty view of those columns.

A DuckDB run on a home Spark landed last turns the views back into tables first
(`materialize_views`): the DuckDB loader and the sentiment enrichment write to their tables,
and carry on from what Spark landed (its `_loaded_files` included), as if they had loaded it.
"""

from __future__ import annotations

import glob
from functools import cache

import duckdb

from ..enrichment.sentiment import DDL as SENTIMENT_DDL
from ..loading.raw_tables import ensure_tables
from ..loading.source_collections import COLLECTIONS

#: The schemas whose tables Spark lands.
LANDED_SCHEMAS = ("raw", "enrichment")


def _create_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The landed tables as the DuckDB loader and the sentiment enrichment create them (where
    no object of that name is there yet)."""
    for collection in COLLECTIONS:
        ensure_tables(con, collection)
    con.execute(SENTIMENT_DDL)


@cache
def duckdb_columns() -> dict[str, list[tuple[str, str]]]:
    """Each landed table's DuckDB columns (name, type), by `schema.table`, as the DDL creates them."""
    with duckdb.connect() as con:
        _create_tables(con)
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        return {f"{schema}.{table}": [(name, kind) for name, kind, *_ in con.execute(f"describe {schema}.{table}").fetchall()]
                for schema, table in tables}


def _view_sql(con: duckdb.DuckDBPyConnection, table: str, folder: str) -> str:
    columns = duckdb_columns()[table]
    files = f"{folder.rstrip('/')}/*.parquet"
    if not glob.glob(files):
        return "select " + ", ".join(f'cast(null as {kind}) as "{name}"' for name, kind in columns) + " where false"
    source = f"read_parquet('{files}')"
    written = {name: kind for name, kind, *_ in con.execute(f"describe select * from {source}").fetchall()}
    missing = [name for name, _ in columns if name not in written]
    if missing:
        raise RuntimeError(f"Spark's {table} at {folder} has no column {', '.join(missing)} that DuckDB's has")

    def typed(name: str, kind: str) -> str:
        if written[name] == "TIMESTAMP WITH TIME ZONE":  # an instant: its UTC wall time, in any session
            return f"""timezone('UTC', "{name}") as "{name}\""""
        return f'cast("{name}" as {kind}) as "{name}"' if written[name] != kind else f'"{name}"'

    return f"select {', '.join(typed(name, kind) for name, kind in columns)} from {source}"


def point_views_at_spark(con: duckdb.DuckDBPyConnection, locations: dict[str, str]) -> None:
    """Make each of `locations`' tables (`schema.table` -> Spark's folder) a view over that
    folder, in one transaction: replacing the table or view of that name."""
    con.execute("begin")
    for table, folder in sorted(locations.items()):
        schema, name = table.split(".")
        con.execute(f"create schema if not exists {schema}")
        if _kind(con, schema, name) == "table":
            con.execute(f"drop table {table}")
        con.execute(f"create or replace view {table} as {_view_sql(con, table, folder)}")
    con.execute("commit")


def materialize_views(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Turn the landed views back into tables (a DuckDB run after a Spark one), created by
    their DDL (constraints and defaults included) and filled from the views, in one
    transaction; return the tables made."""
    schemas = ", ".join(f"'{s}'" for s in LANDED_SCHEMAS)
    views = [f"{s}.{v}" for s, v in con.execute(
        f"select schema_name, view_name from duckdb_views() where not internal and schema_name in ({schemas})"
        " order by 1, 2").fetchall()]
    if not views:
        return []
    con.execute("begin")
    for view in views:  # out of the DDL's way first: it creates a table only where no object has the name
        con.execute(f"alter view {view} rename to {view.split('.')[1]}{_SET_ASIDE}")
    _create_tables(con)
    for view in views:
        con.execute(f"insert into {view} select * from {view}{_SET_ASIDE}")
        con.execute(f"drop view {view}{_SET_ASIDE}")
    con.execute("commit")
    return views


_SET_ASIDE = "__landed_by_spark"


def _kind(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> str | None:
    rows = con.execute("select table_type from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, name]).fetchall()
    if not rows:
        return None
    return "table" if rows[0][0] == "BASE TABLE" else "view"
