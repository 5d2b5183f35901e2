"""Marts fitted in Python over dbt's tables, checked and published like dbt's own marts."""

import math

import dagster as dg

from ...statistics.experience_effects import COLUMNS, fit_effects
from ...warehouse import connect
from ..resources import SmileSettings

EFFECTS_KEY = dg.AssetKey(["marts", "metric_experience_driver_effects"])


def _cell(value):
    """A missing estimate is SQL's null, not a float NaN."""
    return None if isinstance(value, float) and math.isnan(value) else value


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
        effects = fit_effects(events)
        con.execute("begin")
        con.execute(f"create or replace table marts.metric_experience_driver_effects "
                    f"({', '.join(f'{name} {kind}' for name, (kind, _) in COLUMNS.items())})")
        # eight rows: two outcomes by four drivers
        con.executemany(f"insert into marts.metric_experience_driver_effects values ({', '.join('?' * len(COLUMNS))})",
                        [[_cell(value) for value in row] for row in effects[list(COLUMNS)].itertuples(index=False)])
        con.execute("commit")
    estimated = effects.dropna(subset=["odds_ratio_per_sd"])
    for row in effects.drop_duplicates("outcome").itertuples():
        context.log.info(f"{row.outcome}: n = {row.n}, {row.outcomes} with the outcome"
                         + (f"; {row.note}" if row.note and _cell(row.odds_ratio_per_sd) is None else ""))
    return dg.MaterializeResult(metadata={
        "dagster/row_count": len(effects), "estimated": len(estimated),
        "dagster/column_schema": dg.TableSchema(columns=[dg.TableColumn(name, kind, description=description)
                                                         for name, (kind, description) in COLUMNS.items()]),
    })
