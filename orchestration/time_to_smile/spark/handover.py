"""The tables only DuckDB writes, handed to Spark: written as Parquet folders that the Spark
build reads as sources (macros/spark_sources.sql registers them at the start of each Spark build).

On the Spark engine the raw layer is landed by Spark itself (landing_process.py), and
warehouse.duckdb's collection, bookkeeping and sentiment tables are views over Spark's files
(duckdb_views.py); what is left to hand over is what the pipeline writes in DuckDB: the run's
as-of (`raw._run_context`), the files no collection loads (`raw._unrecognised_files`) and the
build history (`raw._dbt_builds`). Every base table of HANDED_OVER_SCHEMAS is handed over, so a
raw table DuckDB loaded (a build selected without the raw assets, say) reaches Spark too.
No SparkSession runs in the pipeline's process: Spark's local metastore (Derby) admits one
process at a time, and that is dbt's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..warehouse import connect
from .session import spark_dir

#: The DuckDB schemas whose tables the dbt project reads as sources.
HANDED_OVER_SCHEMAS = ("raw", "enrichment")


def handover_dir(home: Path) -> Path:
    return spark_dir(home).resolve() / "handover"


def hand_over_raw(warehouse: Path, home: Path) -> list[str]:
    """Write every base table (not the views over Spark's files) of HANDED_OVER_SCHEMAS to
    `handover_dir(home)/<schema>.<table>/`; return the tables, for the build's `handed_over_tables` variable."""
    folder = handover_dir(home)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with connect(warehouse, read_only=True) as con:
        schemas = ", ".join(f"'{s}'" for s in HANDED_OVER_SCHEMAS)
        tables = [f"{schema}.{table}" for schema, table in con.execute(
            f"select schema_name, table_name from duckdb_tables() where schema_name in ({schemas}) order by 1, 2"
        ).fetchall()]
        for table in tables:
            (folder / table).mkdir()
            con.execute(f"copy {table} to '{folder / table / 'data.parquet'}' (format parquet)")
    return tables
