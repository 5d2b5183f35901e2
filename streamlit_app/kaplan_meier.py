"""Kaplan-Meier quantiles for the app: dbt's own macro, rendered here, so that the app and
the marts compute the headline number one way.

The Overview's tile reads marts.metric_weekly, which dbt computes with the macro
``kaplan_meier_quantiles`` in dbt_project/macros/stats.sql. "Where the time goes" and
"Lifecycle" estimate Time to Smile for any period and filters the reader picks, which no
mart holds, so they run the same macro at query time: the file is plain Jinja, loaded once
with jinja2 and rendered over the period's cases. Of dbt's context it uses only
`adapter.dispatch` and `return` (its two windows are spelled per engine, as on Spark):
`_DuckDBDispatch` gives the DuckDB spelling, the `default__` macro, as dbt-duckdb does. There is no second implementation to drift from the first;
tests/test_app.py holds the app's weekly medians equal to the mart's.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from time_to_smile.settings import DBT_PROJECT_DIR

#: The dbt macros file that holds ``kaplan_meier_quantiles`` (and ``z90``, which it calls).
STATS_MACROS = DBT_PROJECT_DIR / "macros" / "stats.sql"
#: The quantiles the app shows, by the macro's output column name.
QUANTILES: dict[str, float] = {"median_hours": 0.5, "p90_hours": 0.9}


class _DuckDBDispatch:
    """dbt's `adapter.dispatch` for the app's DuckDB: a macro's `default__` implementation."""

    def dispatch(self, name: str, namespace: str | None = None):  # noqa: ARG002 (dbt's signature)
        return getattr(_macros(), f"default__{name}")


@functools.cache
def _macros() -> Any:
    """The macros of stats.sql as Python callables (the template's module, rendered once)."""
    environment = jinja2.Environment()
    # dbt's `return(x)` ends a macro with x; a plain macro's output is what it renders, so x
    environment.globals.update({"adapter": _DuckDBDispatch(), "return": lambda value: value})
    return environment.from_string(STATS_MACROS.read_text()).module


def km_quantiles_sql(source: str, time_col: str = "time_hours", event_col: str = "is_event") -> str:
    """SQL for the Kaplan-Meier median and p90 over ``source`` (a table name or a
    parenthesised subquery) with one row per observation, by dbt's macro.

    ``time_col`` is the observed time; ``event_col`` is true (or 1) for an event (the
    customer smiled) and false (0, or null) for a censored observation. Rows with a null
    time are ignored. The macro's product-limit estimator keeps censorings tied with an
    event at risk (events come first); the median is the smallest event time with
    S(t) <= 0.5, the p90 the smallest with S(t) <= 0.1, null when never reached.

    Returns one row, also when ``source`` is empty: n_cases, n_events, n_censored,
    median_hours, p90_hours.
    """
    # The macro estimates per group and needs at least one group column: one constant group.
    observations = (
        "(select 1 as km_all, cast(km_source." + time_col + " as double) as time_hours,"
        " cast(coalesce(cast(km_source." + event_col + " as boolean), false) as integer) as is_event"
        f" from {source} as km_source)"
    )
    curve = _macros().kaplan_meier_quantiles(observations, ["km_all"], "time_hours", "is_event", QUANTILES)
    # No observation: the macro returns no group; the aggregate still returns its one row.
    return f"""
select
    cast(coalesce(max(n), 0) as bigint) as n_cases,
    cast(coalesce(max(n_events), 0) as bigint) as n_events,
    cast(coalesce(max(n), 0) - coalesce(max(n_events), 0) as bigint) as n_censored,
    max(median_hours) as median_hours,
    max(p90_hours) as p90_hours
from (
{curve}
) as km
"""
