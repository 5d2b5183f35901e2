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

from pathlib import Path

from ..warehouse import connect
from .session import spark_dir

#: Intermediate tables read outside dbt: the publication's as-of (int_run_context), the
#: records held back and why (int_quarantined_records), what the metric marts count
#: (int_case_metric_facts, for analysts and the bad-input catalogue).
INTERMEDIATE_READ_AFTER_BUILD = ("intermediate.int_run_context", "intermediate.int_quarantined_records",
                                 "intermediate.int_case_metric_facts")


def table_files(home: Path, table: str) -> str:
    """The Parquet files of Spark's table `schema.name` (Hive's layout: <warehouse>/<schema>.db/<name>)."""
    schema, name = table.split(".")
    return str(spark_dir(home).resolve() / "warehouse" / f"{schema}.db" / name / "*.parquet")


def _select_without_zone(con, files: str) -> str:
    """A select of the files' columns, timestamps as DuckDB's TIMESTAMP (the marts' contract
    type): Spark may write them as instants, which DuckDB reads WITH TIME ZONE (the session is UTC)."""
    columns = con.execute(f"describe select * from read_parquet('{files}')").fetchall()
    return ", ".join(
        f'cast("{name}" as timestamp) as "{name}"' if kind == "TIMESTAMP WITH TIME ZONE" else f'"{name}"'
        for name, kind, *_ in columns
    )


def export_marts(marts: list[str], warehouse: Path, home: Path) -> dict[str, int]:
    """Replace `marts.<name>` (and INTERMEDIATE_READ_AFTER_BUILD) in the warehouse by Spark's
    tables of those names; return the marts' row counts."""
    tables = [f"marts.{mart}" for mart in marts] + list(INTERMEDIATE_READ_AFTER_BUILD)
    counts: dict[str, int] = {}
    with connect(warehouse) as con:
        con.execute("create schema if not exists marts; create schema if not exists intermediate")
        con.execute("begin")
        for table in tables:
            files = table_files(home, table)
            con.execute(f"create or replace table {table} as "
                        f"select {_select_without_zone(con, files)} from read_parquet('{files}')")
            counts[table] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        con.execute("commit")
    return {table.split(".", 1)[1]: n for table, n in counts.items() if table.startswith("marts.")}
