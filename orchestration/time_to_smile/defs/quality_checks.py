"""Great Expectations suites from `expectations/` as Dagster asset checks on the marts.

A blocking check that fails stops the publish asset in the same run, so only
checked marts reach serving.duckdb.
"""


from pathlib import Path

import dagster as dg

from expectations.runner import run_suite
from expectations.suites import SUITES, Suite

from ..warehouse import connect, scalar, table_exists
from .resources import SmileSettings


def published_row_count(serving: Path, table: str) -> int | None:
    """Rows of `table` in the current publication, the baseline for row-count change bounds."""
    if not serving.exists():
        return None
    with connect(serving, read_only=True) as con:
        return scalar(con, f"select count(*) from {table}") if table_exists(con, *table.split(".")) else None


def build_suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    schema, table = suite.table.split(".")

    @dg.asset_check(
        asset=dg.AssetKey([schema, table]),
        name=f"gx_{suite.name}",
        blocking=suite.blocking,
        description=f"Great Expectations suite `expectations/{suite.module.__name__.rsplit('.', 1)[-1]}.py` on {suite.table}.",
    )
    def _check(smile: SmileSettings) -> dg.AssetCheckResult:
        paths = smile.paths()
        with connect(paths.warehouse, read_only=True) as con:
            frame = con.execute(f"select * from {suite.table}").df()
        previous = published_row_count(paths.serving, suite.table)
        outcome = run_suite(suite.name, lambda: suite.module.expectations(previous_rows=previous), frame)
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
            description=outcome.summary(),
            metadata={
                "rows_checked": outcome.rows_checked,
                "expectations": len(outcome.outcomes),
                "failed": [
                    {"expectation": f.expectation, "column": f.column, "unexpected_count": f.unexpected_count,
                     "examples": f.unexpected_examples}
                    for f in outcome.failures
                ],
            },
        )

    return _check


SUITE_CHECKS = [build_suite_check(s) for s in SUITES]
