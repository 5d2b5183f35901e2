"""The marts Spark built, brought back into the warehouse so the mart checks and the
publication stay as they are (docs/scale-out.md, "Serving").

Spark keeps each mart as a Parquet table under its warehouse folder
(`$SMILE_HOME/spark/warehouse/marts.db/<name>/`). Once the Spark build has finished, DuckDB
reads those files into `marts.<name>` of warehouse.duckdb, all in one transaction, so a
failure part way leaves the marts of the last build as they were. The Great Expectations
suites then check them and publication copies them to serving.duckdb with its atomic swap.
A few intermediate tables come back too: the ones the publication and analysts read beside
the marts (INTERMEDIATE_READ_AFTER_BUILD).
"""

from __future__ import annotations

import glob
from pathlib import Path

from ..warehouse import connect
from .session import spark_dir

#: Intermediate tables read outside dbt: the publication's as-of (int_run_context), the
#: records held back and why (int_quarantined_records), what the metric marts count
#: (int_case_metric_facts, for analysts and the bad-input catalogue), the cases an incremental
#: build recomputed (int_cases_recomputed, whose rows the mart checks read: docs/data-quality.md),
#: what the experience-effects model is fitted on (int_experience_before_outcomes).
INTERMEDIATE_READ_AFTER_BUILD = ("intermediate.int_run_context", "intermediate.int_quarantined_records",
                                 "intermediate.int_case_metric_facts", "intermediate.int_cases_recomputed",
                                 "intermediate.int_experience_before_outcomes")


def table_files(home: Path, table: str) -> str | None:
    """The Parquet files of Spark's table `schema.name` (Hive's layout: <warehouse>/<schema>.db/<name>),
    or None when it has none. A work-list model keeps its rows in `<name>__by_range`, one folder
    per range of ids (macros/spark_work_list_partitions.sql); its name is only a view."""
    schema, name = table.split(".")
    folder = spark_dir(home).resolve() / "warehouse" / f"{schema}.db"
    for files in (f"{folder}/{name}/*.parquet", f"{folder}/{name}__by_range/*/*.parquet"):
        if glob.glob(files):
            return files
    return None


def _select_without_zone(con, source: str) -> str:
    """A select of the source's columns, timestamps as DuckDB's TIMESTAMP (the marts' contract
    type): Spark may write them as instants, which DuckDB reads WITH TIME ZONE (the session is UTC)."""
    columns = con.execute(f"describe select * from {source}").fetchall()
    return ", ".join(
        f'cast("{name}" as timestamp) as "{name}"' if kind == "TIMESTAMP WITH TIME ZONE" else f'"{name}"'
        for name, kind, *_ in columns
    )


def _create_empty(con, table: str, declared: list[tuple[str, str]] | None) -> None:
    """A table Spark holds no file of has no rows: a work-list model's table is partitioned, and
    Spark writes no folder for an empty result (a company with no handoff yet, say). Its columns
    are the model's contract (`declared`: name and data type, as the manifest gives them); a
    table without a contract keeps the columns of the warehouse's table of the last build."""
    schema, name = table.split(".")
    if declared:
        con.execute(f"create or replace table {table} ({', '.join(f'{col} {kind}' for col, kind in declared)})")
        return
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                         [schema, name]).fetchall()[0][0]
    if not exists:
        raise RuntimeError(f"Spark built {table} with no rows, and neither a contract nor an earlier build in the "
                           f"warehouse gives its columns (an empty partitioned table has no files to read them from)")
    con.execute(f"delete from {table}")


def export_marts(marts: list[str], warehouse: Path, home: Path,
                 contracts: dict[str, list[tuple[str, str]]] | None = None) -> dict[str, int]:
    """Replace `marts.<name>` (and INTERMEDIATE_READ_AFTER_BUILD) in the warehouse by Spark's
    tables of those names; return the marts' row counts. `contracts`: the declared columns
    (name, data type) of the models with an enforced contract, by `schema.name`."""
    tables = [f"marts.{mart}" for mart in marts] + list(INTERMEDIATE_READ_AFTER_BUILD)
    counts: dict[str, int] = {}
    with connect(warehouse) as con:
        con.execute("create schema if not exists marts; create schema if not exists intermediate")
        con.execute("begin")
        for table in tables:
            files = table_files(home, table)
            if files is None:
                _create_empty(con, table, (contracts or {}).get(table))
            else:
                # hive_partitioning off: a work-list table's range folders are storage, not a column
                source = f"read_parquet('{files}', hive_partitioning = false)"
                con.execute(f"create or replace table {table} as select {_select_without_zone(con, source)} from {source}")
            counts[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        con.execute("commit")
    return {table.split(".", 1)[1]: n for table, n in counts.items() if table.startswith("marts.")}
