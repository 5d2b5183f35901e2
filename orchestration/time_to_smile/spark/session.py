"""One Spark catalog per home, shared by every process that opens it.

The raw landing (PySpark) and dbt-spark's `session` method run in different processes, one
after the other, so they must find the same tables: both build their SparkSession from
`spark_conf(home)`, which keeps the table files and the Hive metastore (Derby, one process
at a time) under `$SMILE_HOME/spark/`. profiles.yml's `spark` target gives dbt the same
settings through SMILE_HOME. On a cluster, the metastore and the warehouse are the
cluster's own and none of this applies (docs/scale-out.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Spark's share of the machine for a local session: a driver is the whole "cluster".
DEFAULT_DRIVER_MEMORY = "4g"


def spark_dir(home: Path) -> Path:
    return home / "spark"


def spark_conf(home: Path) -> dict[str, str]:
    """The settings of a local SparkSession on `home`'s catalog (profiles.yml's spark target
    repeats them: tests/test_spark_engine.py holds the two together)."""
    root = spark_dir(home).resolve()
    return {
        "spark.sql.warehouse.dir": str(root / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={root / 'metastore_db'};create=true",
        # Derby's log beside its database, not in the working directory
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={root}",
        "spark.driver.memory": os.environ.get("SMILE_SPARK_DRIVER_MEMORY", DEFAULT_DRIVER_MEMORY),
        # every timestamp in the warehouse is UTC, as on DuckDB
        "spark.sql.session.timeZone": "UTC",
        # a small company's shuffles: Spark's default of 200 tasks per shuffle is for clusters
        "spark.sql.shuffle.partitions": os.environ.get("SMILE_SPARK_SHUFFLE_PARTITIONS", "4"),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        # an INSERT OVERWRITE replaces only the partitions it writes (the work-list models'
        # ranges, macros/spark_work_list_partitions.sql)
        "spark.sql.sources.partitionOverwriteMode": "dynamic",
    }


def spark_session(home: Path):
    """A local SparkSession with Hive support on `home`'s catalog (started once per process)."""
    from pyspark.sql import SparkSession  # imported here: pyspark is the `spark` extra

    spark_dir(home).mkdir(parents=True, exist_ok=True)
    builder = SparkSession.builder.appName("time_to_smile").master(os.environ.get("SMILE_SPARK_MASTER", "local[*]"))
    for key, value in spark_conf(home).items():
        builder = builder.config(key, value)
    session = builder.enableHiveSupport().getOrCreate()
    if "PYSPARK_PYTHON" not in os.environ:
        # Python workers (the landing's VADER scoring) run this interpreter, which has the
        # package: PySpark's default is whatever `python3` comes first on PATH. Set on the
        # context, not in the environment, which a run leaves as it found it.
        session.sparkContext.pythonExec = sys.executable
    return session


class SparkUnavailable(RuntimeError):
    """The Spark engine was asked for on a machine that cannot run it."""


def check_spark_available() -> None:
    """Fail early, saying what to install, when PySpark, dbt-spark or Java is missing."""
    import importlib.util
    import shutil

    missing = [name for name, module in (("pyspark", "pyspark"), ("dbt-spark", "dbt.adapters.spark"))
               if importlib.util.find_spec(module) is None]
    if missing:
        raise SparkUnavailable(f"the Spark engine needs {' and '.join(missing)}: pip install -e '.[spark]' "
                               "(docs/scale-out.md)")
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable("the Spark engine needs Java 17 (no `java` on PATH and no JAVA_HOME): e.g. "
                               "apt-get install openjdk-17-jre-headless (docs/scale-out.md)")
