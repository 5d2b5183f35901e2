"""Starting the Spark landing's process (landing_process.py) from the pipeline and reading its report."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .session import spark_dir

#: Lines of Spark's own output kept in the error when the process dies without a report.
STDERR_LINES_KEPT = 15


class SparkLandingFailed(RuntimeError):
    """The Spark landing process failed: its reason, or the end of its output."""


def landing_report_path(home: Path) -> Path:
    return spark_dir(home).resolve() / "landing_report.json"


def run_landing_process(home: Path, source_dir: Path, args: list[str], log: Callable[[str], None],
                        run_id: str = "") -> dict:
    """Run the landing in its own process, passing its progress lines to `log`; return its
    report, which says whether it failed (`error`) and where every table now is (`locations`).
    Raises only when the process left no report (it died before writing one)."""
    report_path = landing_report_path(home)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.unlink(missing_ok=True)
    spark_log = report_path.with_name("landing.log")
    command = [sys.executable, "-m", "time_to_smile.spark.landing_process", "--home", str(home),
               "--source-dir", str(source_dir), "--report", str(report_path), "--run-id", run_id, *args]
    with open(spark_log, "w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True)
        for line in process.stdout:
            log(line.rstrip())
        process.wait()
    report = read_landing_report(home)
    if report is None:
        tail = spark_log.read_text(encoding="utf-8", errors="replace").splitlines()[-STDERR_LINES_KEPT:]
        raise SparkLandingFailed(f"the Spark landing process exited with status {process.returncode} and no report "
                                 f"(its output: {spark_log}): " + " | ".join(tail))
    return report


def read_landing_report(home: Path) -> dict | None:
    """The last landing's report in `home` (landing_process.py), None when there is none."""
    report_path = landing_report_path(home)
    return json.loads(report_path.read_text()) if report_path.exists() else None
