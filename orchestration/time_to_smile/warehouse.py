"""Short-lived connections to the pipeline's working database.

DuckDB allows one read-write process per file, and dbt runs as a subprocess
against the same file, so every step opens, works and closes: no connection
outlives the step that needed it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

# DuckDB's memory budget for every pipeline connection and dbt (profiles.yml reads the same
# variable): past it, DuckDB spills to disk beside the database instead of growing. Without
# it a first load of a million tickets peaks at 13 GB; with 3 GB it takes about a quarter
# longer (docs/benchmarks.md). Raise it on a bigger machine with SMILE_MEMORY_LIMIT.
DEFAULT_MEMORY_LIMIT = "3GB"


def memory_limit() -> str:
    return os.environ.get("SMILE_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        # Every timestamp in the warehouse is UTC; make casts from TIMESTAMPTZ agree.
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set memory_limit = '{memory_limit()}'")
        yield con
    finally:
        con.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """First column of the first row; fetches the whole (one-row) result so the
    connection holds no unfinished result (DuckDB 2.0 refuses further work then)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(scalar(con, "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                       [schema, table]))
