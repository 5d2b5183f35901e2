"""Marts computed in Python over dbt's tables, checked and published like dbt's own marts."""

import math

import dagster as dg
import pandas as pd

from ...statistics import experience_effects, open_case_outlook
from ...warehouse import connect
from ..resources import SmileSettings

EFFECTS_KEY = dg.AssetKey(["marts", "metric_experience_driver_effects"])
OUTLOOK_KEY = dg.AssetKey(["marts", "fct_open_case_outlook"])


def _cell(value):
    """A missing estimate is SQL's null, not a float NaN."""
    return None if isinstance(value, float) and math.isnan(value) else value


def replace_mart(con, name: str, columns: dict[str, tuple[str, str]], rows: pd.DataFrame) -> None:
    """Replace `marts.<name>` by `rows`, with `columns`' names and types, in one transaction."""
    con.execute("begin")
    con.execute(f"create or replace table marts.{name} ({', '.join(f'{c} {kind}' for c, (kind, _) in columns.items())})")
    # read by DuckDB straight from the frame: a NaN or NaT arrives as null, in one statement
    con.register("mart_rows", rows[list(columns)])
    con.execute(f"insert into marts.{name} select * from mart_rows")
    con.unregister("mart_rows")
    con.execute("commit")


def column_schema(columns: dict[str, tuple[str, str]]) -> dg.TableSchema:
    """The mart's columns with their descriptions, for the Dagster UI."""
    return dg.TableSchema(columns=[dg.TableColumn(name, kind, description=description)
                                   for name, (kind, description) in columns.items()])


@dg.asset(
    key=EFFECTS_KEY,
    deps=[dg.AssetKey(["intermediate", "int_experience_before_outcomes"])],
    group_name="marts",
    kinds={"python", "duckdb"},
    description=(
        "The adjusted effect of each experience driver (median Time to Smile, handoffs without context per case, "
        "reopen rate, frowning share over the 180 days before the outcome) on a renewal being lost and on an NPS "
        "response being a detractor's: odds ratio per standard deviation from a logistic regression on the four "
        "together (statsmodels), with its 90% interval, p-value and n, or why it could not be estimated. "
        "An association, not a cause (docs/decisions.md)."
    ),
)
def metric_experience_driver_effects(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    with connect(smile.paths().warehouse) as con:
        events = con.execute("select * from intermediate.int_experience_before_outcomes").fetchdf()
        effects = experience_effects.fit_effects(events)
        replace_mart(con, "metric_experience_driver_effects", experience_effects.COLUMNS, effects)
    estimated = effects.dropna(subset=["odds_ratio_per_sd"])
    for row in effects.drop_duplicates("outcome").itertuples():
        context.log.info(f"{row.outcome}: n = {row.n}, {row.outcomes} with the outcome"
                         + (f"; {row.note}" if row.note and _cell(row.odds_ratio_per_sd) is None else ""))
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(effects), "estimated": len(estimated),
        "dagster/column_schema": column_schema(experience_effects.COLUMNS),
    })


@dg.asset(
    key=OUTLOOK_KEY,
    deps=[dg.AssetKey(["marts", name]) for name in ("fct_case_journey", "fct_case_phases", "fct_handoffs")]
    + [dg.AssetKey(["intermediate", "int_run_context"])],
    group_name="marts",
    kinds={"python", "duckdb"},
    description=(
        "Every case open at the run's as-of: the probability that it smiles within 24 hours, 72 hours and 7 days "
        "and its expected further wait, each with a 90% interval and n, from comparable cases in the same position "
        "(channel, priority, phase, holder, weekday; coarser where too few), with who holds it now and whether "
        "context travelled with its last handoff. Backtested against what followed (docs/decisions.md)."
    ),
)
def fct_open_case_outlook(context: dg.AssetExecutionContext, smile: SmileSettings) -> dg.MaterializeResult:
    with connect(smile.paths().warehouse) as con:
        as_of = con.execute("select as_of from intermediate.int_run_context").fetchall()[0][0]
        outlook = open_case_outlook.open_case_outlook(con, as_of.strftime("%Y-%m-%d %H:%M:%S"))
        replace_mart(con, "fct_open_case_outlook", open_case_outlook.COLUMNS, outlook)
    levels = outlook["compared_with"].value_counts().to_dict()
    context.log.info(f"{len(outlook)} cases open as of {as_of}; compared with: "
                     + (", ".join(f"{level} ({n})" for level, n in levels.items()) or "none open"))
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(outlook), "compared_with": levels,
        "dagster/column_schema": column_schema(open_case_outlook.COLUMNS),
    })
