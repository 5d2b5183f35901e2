"""Great Expectations suites from `expectations/` as Dagster asset checks.

Three steps, each validating many tables with one read per table:

- `raw_record_checks` after the loaders: every raw collection's records that this
  run added (warnings: the validation models hold bad records back);
- `published_mart_checks` after dbt: every mart as it is about to be published
  (blocking: one failure and the publish asset does not run);
- `derived_mart_checks`: the marts computed in Python from checked marts (the open-case
  outlook reads fct_case_journey, so it waits for that mart's check: it cannot be checked
  in the same step), blocking too.

Each check reports the rows it validated, and for every failed expectation its
unexpected count and up to five example values, as check metadata.
"""

from datetime import datetime, timezone
from pathlib import Path

import dagster as dg

from expectations.runner import SuiteOutcome, run_suite
from expectations.core import Suite
from expectations.suites import all_suites
from expectations.whole_table import whole_table_outcomes

from ...dbt_build import build_state
from ...warehouse import connect, scalar, table_exists
from ..resources import SmileSettings

SUITES = all_suites()
RAW_SUITES = [s for s in SUITES if not s.blocking]
#: Marts computed from other published marts, after those marts' checks.
DERIVED_MARTS = ("fct_open_case_outlook",)
MART_SUITES = [s for s in SUITES if s.blocking and s.name not in DERIVED_MARTS]
DERIVED_MART_SUITES = [s for s in SUITES if s.blocking and s.name in DERIVED_MARTS]


def published_row_counts(serving: Path, tables: list[str]) -> dict[str, int]:
    """Rows of each table in the current publication, the baseline for row-count change bounds."""
    if not serving.exists():
        return {}
    with connect(serving, read_only=True) as con:
        return {t: scalar(con, f"select count(*) from {t}") for t in tables if table_exists(con, *t.split("."))}


def _key(suite: Suite) -> dg.AssetKey:
    return dg.AssetKey(suite.table.split("."))


def _spec(suite: Suite) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name=f"gx_{suite.name}",
        asset=_key(suite),
        blocking=suite.blocking,
        description=f"Great Expectations suite `{suite.name}` (expectations/) on {suite.table}: {_scope(suite)}.",
    )


def _scope(suite: Suite) -> str:
    if suite.incremental:
        return "the records this run added"
    if suite.changed:
        return ("the rows about to be published (after a published build, the rows of the cases this build "
                "recomputed, and the whole table's size and key)")
    return "the rows about to be published"


def _result(suite: Suite, outcome: SuiteOutcome) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=_key(suite),
        check_name=f"gx_{suite.name}",
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


# Raw frames are validated in chunks of this many rows: a million-ticket first load adds ~7M
# audits, which as one pandas frame held 5.4 GiB in the run's process for the rest of the run.
# Their expectations are all row by row, and the loader keeps `record_id` unique in each raw
# table, so chunking changes no outcome.
RAW_CHUNK_ROWS = 500_000


def _chunks(con, sql: str, parameters: list, rows: int):
    """The query's result as DataFrames of about `rows` rows each, streamed from DuckDB."""
    con.execute(sql, parameters)
    vectors = max(1, rows // 2048)  # DuckDB hands results over in vectors of 2,048 rows
    while not (chunk := con.fetch_df_chunk(vectors)).empty:
        yield chunk


def _validate(context: dg.AssetCheckExecutionContext, smile: SmileSettings, suites: list[Suite]):
    paths = smile.paths()
    # `_loaded_at` is naive UTC
    run_started = datetime.fromtimestamp(context.instance.get_run_stats(context.run.run_id).start_time, timezone.utc).replace(tzinfo=None)
    previous = published_row_counts(paths.serving, [s.table for s in suites if not s.incremental])
    with connect(paths.warehouse, read_only=True) as con:
        changed_only = any(s.changed for s in suites) and build_state.changed_rows_suffice(con, run_started)
        if changed_only:
            context.log.info("the last build's marts were published: the per-case marts' checks read the cases "
                             "this build recomputed, and their whole tables' size and key")
        for suite in suites:
            expectations = lambda: suite.expectations(previous_rows=previous.get(suite.table))  # noqa: E731
            if suite.incremental:
                # raw frames hold only what this run loaded; a run that added none skips GX (~0.2 s)
                frames = _chunks(con, suite.frame, [run_started], RAW_CHUNK_ROWS)
            elif suite.changed and changed_only:
                yield _result(suite, _validate_changed_rows(con, suite, previous.get(suite.table)))
                continue
            else:
                # a mart is validated whole: its row-count bounds and uniqueness see every row
                frames = [con.execute(suite.frame).df()]
            yield _result(suite, run_suite(suite.name, expectations, frames, suite.key))


def _validate_changed_rows(con, suite: Suite, previous_rows: int | None) -> SuiteOutcome:
    """The rows the build rewrote, by the suite's expectations (less the table-level row count,
    which a subset cannot answer), then the whole table's size and key in SQL."""
    changed = con.execute(f"select * from ({suite.frame}) as frame where {suite.changed}").df()
    outcome = run_suite(suite.name, lambda: suite.expectations(previous_rows=None), [changed] if len(changed) else [],
                        suite.key)
    table = whole_table_outcomes(con, suite, previous_rows)
    return SuiteOutcome(suite=suite.name, success=outcome.success and all(o.success for o in table),
                        rows_checked=outcome.rows_checked, outcomes=[*table, *outcome.outcomes],
                        scope=" of the cases this build recomputed, and on the whole table's size and key")


def _check_step(name: str, suites: list[Suite], description: str) -> dg.AssetChecksDefinition:
    @dg.multi_asset_check(name=name, specs=[_spec(s) for s in suites], description=description)
    def _step(context: dg.AssetCheckExecutionContext, smile: SmileSettings):
        yield from _validate(context, smile, suites)

    return _step


SUITE_CHECKS = [
    _check_step("raw_record_checks", RAW_SUITES,
                "Great Expectations on the records each raw collection gained in this run (warnings)."),
    _check_step("published_mart_checks", MART_SUITES,
                "Great Expectations on every mart about to be published (blocking)."),
    _check_step("derived_mart_checks", DERIVED_MART_SUITES,
                "Great Expectations on the marts computed from checked marts, about to be published (blocking)."),
]
