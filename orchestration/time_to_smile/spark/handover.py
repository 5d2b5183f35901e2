"""The raw layer handed to Spark: DuckDB's raw and enrichment tables written as Parquet
folders that the Spark build reads as its sources (macros/spark_sources.sql registers them
at the start of each Spark build).

This is the Spark engine's landing for now: the files are loaded by the DuckDB loader (its
rules unchanged: newest version wins, bad lines quarantined, files loaded once, new fields
noted) and the typed tables are handed over whole. PySpark's own landing over the file drop
(issue 23, item 2) replaces it for data that outgrows one machine (docs/scale-out.md).
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
    """Write every table of HANDED_OVER_SCHEMAS to `handover_dir(home)/<schema>.<table>/`;
    return the tables, for the build's `handed_over_tables` variable."""
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
