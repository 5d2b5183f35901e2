"""The serving file and how the app reads it: every query of every page goes through ``query``.

Why it looks like this:

* The pipeline publishes ``serving.duckdb`` by writing a new file and renaming it
  into place (``os.replace``). DuckDB lets one process write a file *or* many
  processes read it, never both, so the app only ever opens the file read-only,
  and only for the duration of one query: it never holds a lock a publication
  could trip over, and an open connection never pins a stale file for long.
* Query results are cached with ``st.cache_data`` keyed on the SQL, its
  parameters and the file's signature (path, inode, mtime, size). A new
  publication is a new inode, so it invalidates every cached result at once.
* Aggregation happens in DuckDB; pandas only ever sees small frames (the one
  row-level result, the case list, is LIMITed).

The queries themselves live with their subject: ``cases`` (the period's cases and
their Time to Smile), ``holders`` (who held a case, who handed it on), ``accounts``
(retention, renewals, the bug stack rank), ``metric_marts`` (the weekly metrics, the
catalogue, voice and lifecycle) and ``run_history`` (the quality badge's runs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import streamlit as st

from time_to_smile.settings import resolve_paths


class ServingNotPublished(FileNotFoundError):
    """No publication yet: ``serving.duckdb`` is absent from the home directory."""


class FileSignature(NamedTuple):
    """Identity of one publication of the serving file; changes on every os.replace."""

    path: str
    inode: int
    mtime_ns: int
    size: int


# --------------------------------------------------------------------------- paths


def serving_path() -> Path:
    """Where the published marts live: resolved by the same rule as the ``smile`` CLI."""
    return resolve_paths().serving


def file_signature(path: Path | None = None) -> FileSignature | None:
    """The (path, inode, mtime, size) of the serving file, or None when it is absent."""
    path = path or serving_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return FileSignature(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


def not_published_message() -> str:
    """What every page says before the first publication."""
    return (
        f"No published data yet: nothing has been published to `{serving_path()}`. "
        "Run `smile run` (or `smile demo` for a sample company) and reload this page."
    )


def is_published() -> bool:
    """True when a publication exists to read."""
    return file_signature() is not None


# ---------------------------------------------------------------------- querying


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh read-only connection to the serving file; the caller closes it.

    Read-only so that many readers coexist and the pipeline's publication is never
    blocked; short-lived so that a replaced file is released promptly.
    """
    path = path or serving_path()
    if not path.exists():
        raise ServingNotPublished(f"No published marts at {path}: run `smile run` first.")
    return duckdb.connect(str(path), read_only=True)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached_query(sql: str, params: tuple[Any, ...], signature: FileSignature) -> pd.DataFrame:
    # `signature` is only part of the cache key: a new publication misses the cache.
    con = connect_read_only(Path(signature.path))
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def query(sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run ``sql`` (positional ``?`` parameters) on the current publication, cached.

    Raises ``ServingNotPublished`` when nothing has been published yet.
    """
    signature = file_signature()
    if signature is None:
        raise ServingNotPublished(
            f"No published marts at {serving_path()}: run `smile run` first."
        )
    return _cached_query(sql, tuple(params or ()), signature)


def has_mart(table: str) -> bool:
    """Whether this publication has ``marts.table`` (one made before the mart was added has not)."""
    return not query("select 1 from information_schema.tables where table_schema = 'marts' and table_name = ?",
                     [table]).empty


def published_column(table: str, column: str, alias: str) -> str:
    """``alias.column`` when ``marts.table`` has that column in this publication, else a null
    (a publication made before the column was added still reads)."""
    has = query(
        "select count(*) as n from information_schema.columns"
        " where table_schema = 'marts' and table_name = ? and column_name = ?",
        [table, column],
    )["n"].iloc[0]
    return f"{alias}.{column}" if has else "cast(null as varchar)"


def publication() -> dict[str, Any] | None:
    """The publication's published_at, as_of and run_id; None when nothing is published."""
    if not is_published():
        return None
    df = query("select published_at, as_of, run_id from marts.publication limit 1")
    if df.empty:
        return {"published_at": None, "as_of": None, "run_id": None}
    row = df.iloc[0]
    return {
        "published_at": py_ts(row["published_at"]),
        "as_of": py_ts(row["as_of"]),
        "run_id": row["run_id"],
    }


# ------------------------------------------------- DuckDB values as Python values


def _is_missing(x: Any) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def py_float(x: Any) -> float | None:
    """A result cell as a float, None for SQL null (pandas' NaN/NA)."""
    return None if _is_missing(x) else float(x)


def py_ts(x: Any) -> dt.datetime | None:
    """A result cell as a datetime, None for SQL null."""
    return None if _is_missing(x) else pd.Timestamp(x).to_pydatetime()


def py_date(x: Any) -> dt.date | None:
    """A result cell as a date, None for SQL null."""
    return None if _is_missing(x) else pd.Timestamp(x).date()
