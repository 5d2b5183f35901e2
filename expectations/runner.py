"""Run a suite against pandas DataFrames in an ephemeral GX context.

GX 1.x has no DuckDB datasource, and its SQL route through duckdb_engine fails on
every expectation (see shared notes/stack.md), so tables are read with DuckDB and
validated as DataFrames: fast, and exactly what the run is about to publish.

A suite of row-level expectations may be validated chunk by chunk (`chunks`), so
that a million-ticket load never sits in memory as one frame: the outcomes add up
(unexpected counts sum, the first five examples are kept). Only the caller knows
whether that is sound: a table-level expectation (row count) or a uniqueness that
could straddle two chunks needs the whole frame as one chunk.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
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
    scope: str = ""  # what the rows were, when not the whole frame

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success]

    def summary(self) -> str:
        if self.success and not self.outcomes:
            return f"{self.suite}: no new records to validate"
        if self.success:
            return f"{self.suite}: {len(self.outcomes)} expectations passed on {self.rows_checked} rows{self.scope}"
        parts = [f"{o.expectation}({o.column}): {o.unexpected_count} unexpected" for o in self.failures]
        return f"{self.suite}: " + "; ".join(parts)


def run_suite(name: str, expectations: Callable[[], list], chunks: Iterable[pd.DataFrame],
              key: tuple[str, ...] = ()) -> SuiteOutcome:
    """Validate every chunk; a failed expectation's examples name their rows by the `key` columns.

    No chunks at all (a run that added no records here) validates nothing and passes, without
    starting GX (~0.2 s a suite)."""
    outcome = SuiteOutcome(suite=name, success=True, rows_checked=0)
    validate = None
    for chunk in chunks:
        validate = validate or _validator(name, expectations, key)
        outcome = _add(outcome, validate(_with_categories(chunk)), len(chunk))
    return outcome


def _with_categories(frame: pd.DataFrame, sample_rows: int = 10_000, max_share: float = 0.01) -> pd.DataFrame:
    """The frame with its low-cardinality text columns (statuses, phases, JSON type names) as
    pandas categories: GX's set, null and uniqueness checks on 4M Python strings take twice as
    long as on category codes, with the same outcome. A column is converted when a sample of
    its rows has few distinct values; ids and free text stay as they are."""
    converted = {}
    for column in frame.columns[frame.dtypes == object]:
        sample = frame[column].iloc[:sample_rows]
        if len(frame) > sample_rows and sample.nunique() <= max_share * len(sample):
            converted[column] = frame[column].astype("category")
    return frame.assign(**converted) if converted else frame


def _validator(name: str, expectations: Callable[[], list], key: tuple[str, ...]) -> Callable:
    """A function validating one DataFrame against the suite, in an ephemeral GX context."""
    context = gx.get_context(mode="ephemeral")
    # progress bars would interleave with the run's own progress output
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch_definition = (
        context.data_sources.add_pandas(f"{name}_source")
        .add_dataframe_asset(name)
        .add_batch_definition_whole_dataframe(f"{name}_whole")
    )
    # suites may declare their expectations once, at import: GX binds an expectation to the suite
    # it joins, so each run validates copies
    fresh = [copy.copy(e) for e in expectations()]
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=fresh))
    validation = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{name}_validation", data=batch_definition, suite=suite)
    )
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
    if key:
        result_format["unexpected_index_column_names"] = list(key)
    return lambda frame: validation.run(batch_parameters={"dataframe": frame}, result_format=result_format)


def _add(outcome: SuiteOutcome, result, rows: int) -> SuiteOutcome:
    """The outcome so far with one more chunk's validation result added."""
    chunk_outcomes = []
    for r in result.results:
        config = r.expectation_config
        details = r.result or {}
        chunk_outcomes.append(
            ExpectationOutcome(
                expectation=config.type,
                column=config.kwargs.get("column"),
                success=bool(r.success),
                unexpected_count=int(details.get("unexpected_count") or 0),
                unexpected_examples=_examples(details),
            )
        )
    if outcome.outcomes:  # the same expectations, in the same order, on another chunk
        chunk_outcomes = [
            ExpectationOutcome(
                expectation=before.expectation,
                column=before.column,
                success=before.success and now.success,
                unexpected_count=before.unexpected_count + now.unexpected_count,
                unexpected_examples=(before.unexpected_examples + now.unexpected_examples)[:5],
            )
            for before, now in zip(outcome.outcomes, chunk_outcomes, strict=True)
        ]
    return SuiteOutcome(
        suite=outcome.suite,
        success=outcome.success and bool(result.success),
        rows_checked=outcome.rows_checked + rows,
        outcomes=chunk_outcomes,
    )


def _examples(details: dict) -> list:
    """Up to five failing rows: their key and value when GX can name them, else the values."""
    rows = details.get("partial_unexpected_index_list")
    if rows:
        return [{column: _plain(value) for column, value in row.items()} for row in rows[:5]]
    return [_plain(v) for v in (details.get("partial_unexpected_list") or [])][:5]


def _plain(value):
    """Examples go into Dagster metadata: keep them JSON-friendly."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN is how pandas shows a null
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)
