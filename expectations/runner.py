"""Run a suite against a pandas DataFrame in an ephemeral GX context.

GX 1.x has no DuckDB datasource, and its SQL route through duckdb_engine fails on
every expectation (see shared notes/stack.md), so tables are read with DuckDB and
validated as DataFrames: fast, and exactly what the run is about to publish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int
    unexpected_examples: list


@dataclass
class SuiteOutcome:
    suite: str
    success: bool
    rows_checked: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def summary(self) -> str:
        if self.success:
            return f"{self.suite}: {len(self.outcomes)} expectations passed on {self.rows_checked} rows"
        parts = [f"{o.expectation}({o.column}): {o.unexpected_count} unexpected" for o in self.failures]
        return f"{self.suite}: " + "; ".join(parts)


def run_suite(name: str, expectations: Callable[[], list], df: pd.DataFrame) -> SuiteOutcome:
    context = gx.get_context(mode="ephemeral")
    # progress bars would interleave with the run's own progress output
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(f"{name}_whole")
    )
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations()))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch_definition, suite=suite)
    )
    result = validation.run(batch_parameters={"dataframe": df}, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})
    outcomes = []
    for r in result.results:
        config = r.expectation_config
        details = r.result or {}
        outcomes.append(
            ExpectationOutcome(
                expectation=config.type,
                column=config.kwargs.get("column"),
                success=bool(r.success),
                unexpected_count=int(details.get("unexpected_count") or 0),
                unexpected_examples=[_plain(v) for v in (details.get("partial_unexpected_list") or [])][:5],
            )
        )
    return SuiteOutcome(suite=name, success=bool(result.success), rows_checked=len(df), outcomes=outcomes)


def _plain(value):
    """Examples go into Dagster metadata: keep them JSON-friendly."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN is how pandas shows a null
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)
