"""Atomic publication of checked marts to `serving.duckdb`.

Readers (the app, analysts) hold read-only connections to serving.duckdb, and a
DuckDB file cannot be written while another process reads it. So each
publication builds a complete new file beside it and renames it into place
with os.replace: a reader sees the previous publication or the new one, never a
mix, and a run that dies before the rename leaves the previous one untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from ..durability import fsync_path
from ..warehouse import scalar


@dataclass
class Publication:
    path: Path
    tables: dict[str, int]
    published_at: datetime
    as_of: datetime | None


def clear_partial_publications(serving: Path) -> None:
    """Remove the half-built files of publications killed before their rename.

    Safe because publications run under the run lock: no other one is being built.
    """
    for stale in serving.parent.glob(f".{serving.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def publish(warehouse: Path, serving: Path, tables: list[str], *, run_id: str) -> Publication:
    """Copy `marts.<table>` for each table from the warehouse into a fresh serving file."""
    serving.parent.mkdir(parents=True, exist_ok=True)
    clear_partial_publications(serving)
    staging_file = serving.with_name(f".{serving.name}.{run_id}.tmp")
    published_at = datetime.now(timezone.utc).replace(tzinfo=None)
    counts: dict[str, int] = {}
    con = duckdb.connect(str(staging_file))
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"attach '{warehouse}' as warehouse (read_only)")
        con.execute("create schema marts")
        for table in tables:
            con.execute(f"create table marts.{table} as select * from warehouse.marts.{table}")
            counts[table] = scalar(con, f"select count(*) from marts.{table}")
        as_of = scalar(con, "select max(as_of) from warehouse.intermediate.int_run_context")
        con.execute(
            "create table marts.publication as select ? as published_at, cast(? as timestamp) as as_of, ? as run_id",
            [published_at, as_of, run_id],
        )
        con.execute("detach warehouse")
        con.execute("checkpoint")
    finally:
        con.close()
    fsync_path(staging_file)
    os.replace(staging_file, serving)
    fsync_path(serving.parent)
    return Publication(path=serving, tables=counts, published_at=published_at, as_of=as_of)
