"""Replacing a whole Parquet table so that no reader, and no crash, ever sees half of it.

Parquet tables have no MERGE, DELETE or transactions, so a table is never changed in place:
its new contents are written in full to a fresh directory (`<database dir>/<table>/<version>`)
and the table is then pointed at it by one metastore call (`ALTER TABLE ... SET LOCATION`),
which is atomic: a failure while writing leaves the table on its old, complete directory (the
half-written one is removed by the next replacement), and the new contents can be computed
from the table itself, since the write never touches the directory being read.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import StructType


def create_empty_table(spark: SparkSession, name: str, schema: StructType) -> None:
    """Table `name` with no rows: an empty directory, no Spark job."""
    root, version = _new_version(spark, name)
    path = _hadoop_path(spark, version)
    path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).mkdirs(path)
    spark.catalog.createTable(name, path=version, source="parquet", schema=schema)


def _new_version(spark: SparkSession, name: str) -> tuple[str, str]:
    database, table = name.split(".")
    root = f"{spark.catalog.getDatabase(database).locationUri.rstrip('/')}/{table}"
    return root, f"{root}/v{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"


def _hadoop_path(spark: SparkSession, path: str):
    return spark.sparkContext._jvm.org.apache.hadoop.fs.Path(path)


def replace_table(spark: SparkSession, name: str, contents: DataFrame) -> None:
    """Make `contents` the whole of table `name` (database.table), creating it if need be."""
    database, table = name.split(".")
    quoted = f"`{database}`.`{table}`"
    root, version = _new_version(spark, name)
    contents.write.parquet(version)
    if not spark.catalog.tableExists(name):
        spark.catalog.createTable(name, path=version, source="parquet", schema=contents.schema)
    elif _shape(spark.table(name).schema) != _shape(contents.schema):
        # another shape (a changed SCHEMAS): the only swap that is not one call
        spark.sql(f"drop table {quoted}")
        spark.catalog.createTable(name, path=version, source="parquet", schema=contents.schema)
    else:
        spark.sql(f"alter table {quoted} set location '{version}'")
    spark.catalog.refreshTable(name)
    _remove_other_versions(spark, root, keep=version)


def _shape(schema) -> list[tuple[str, str]]:
    """Column names and types, nullability aside (Parquet reads every column as nullable)."""
    return [(field.name, field.dataType.simpleString()) for field in schema.fields]


def _remove_other_versions(spark: SparkSession, root: str, keep: str) -> None:
    """Delete the table's older directories and any a failed write left behind."""
    root_path = _hadoop_path(spark, root)
    fs = root_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    keep_name = keep.rstrip("/").rsplit("/", 1)[1]
    for status in fs.listStatus(root_path):
        if status.getPath().getName() != keep_name:
            fs.delete(status.getPath(), True)
