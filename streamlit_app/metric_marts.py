"""The published metric marts and the metric catalogue: weekly metrics for the slice a
reader's filters select, the week's summary, group target attainment, the catalogue's
definitions, and the voice-of-the-customer and lifecycle marts.

dbt computed these numbers (with their 90% intervals and sample sizes); the app only
selects from them, so a page and the one-pager show the same figure for the same week.
(Named after the marts it reads rather than ``metrics``, a name too common not to
clash with another module on sys.path.)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

import pandas as pd

from cases import CaseFilters
from serving import query

# ------------------------------------------------------------------ the catalogue


def metric_info(metric: str) -> dict[str, str] | None:
    """The metric catalogue's definition, perspective and unit of ``metric`` (None if not catalogued)."""
    df = query("select definition, perspective, unit from marts.metric_catalog where metric = ?", [metric])
    return None if df.empty else {k: str(v) for k, v in df.iloc[0].items()}


def metric_definition(metric: str) -> str:
    """The catalogue's definition and perspective in one sentence, for a number's help text."""
    info = metric_info(metric)
    return "" if info is None else f"{info['definition']} Perspective: {info['perspective']}."


# ------------------------------------------------------- metric marts: one slice

#: Case filters the weekly metric marts are cut by, beyond segment: filter -> metric_weekly_by_dimension.dimension.
SLICE_DIMENSIONS: dict[str, str] = {"persona": "persona", "priority": "priority", "stage": "lifecycle_stage", "channel": "channel"}
_WEEKLY_COLUMNS = "metric, week_start, value, ci_lower, ci_upper, n"


class MetricSlice(NamedTuple):
    """The part of the weekly metric marts a reader's filters select.

    The marts are cut by segment (metric_weekly) and by one other filter at a time
    (metric_weekly_by_dimension), so one filter with one value selects a slice; anything
    else reads the whole company, and ``complete`` is False so the page can say so.
    """

    source: str  # SQL with the columns of metric_weekly
    params: tuple[str, ...]
    label: str
    complete: bool


def metric_slice(filters: CaseFilters | None, dimensions: Sequence[str] = ("segment", *SLICE_DIMENSIONS)) -> MetricSlice:
    """The slice of the metric marts for the chosen filters, among ``dimensions``."""
    chosen = {name: values for name, values in (filters or {}).items() if values}
    if len(chosen) == 1:
        ((name, values),) = chosen.items()
        if len(values) == 1 and name in dimensions:
            if name == "segment":
                return MetricSlice(f"select {_WEEKLY_COLUMNS} from marts.metric_weekly where segment = ?",
                                   (values[0],), f"segment {values[0]}", True)
            return MetricSlice(
                f"select {_WEEKLY_COLUMNS} from marts.metric_weekly_by_dimension where dimension = ? and dimension_value = ?",
                (SLICE_DIMENSIONS[name], values[0]), f"{name} {values[0]}", True)
    return MetricSlice(f"select {_WEEKLY_COLUMNS} from marts.metric_weekly where segment = ?", ("All",),
                       "the whole company", not chosen)


def weekly_metrics(metrics: Sequence[str], where: MetricSlice, start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """Weekly values of ``metrics`` in one slice, with their 90% intervals and sample sizes,
    for the weeks starting in [start, end) (all weeks when not given)."""
    placeholders = ", ".join("?" for _ in metrics)
    return query(
        f"select w.*, c.unit from ({where.source}) as w left join marts.metric_catalog as c using (metric)"
        f" where metric in ({placeholders})"
        " and week_start >= coalesce(?, date '0001-01-01') and week_start < coalesce(?, date '9999-12-31')"
        " order by metric, week_start",
        [*where.params, *metrics, start, end],
    )


def weekly_summary() -> pd.DataFrame:
    """The company's headline metrics for the latest full week against the week before (metric_weekly_summary),
    with each metric's perspective and unit from the catalogue."""
    return query(
        "select s.*, c.perspective, c.unit from marts.metric_weekly_summary as s"
        " left join marts.metric_catalog as c using (metric) order by s.metric"
    )


def group_target_attainment(week_start: dt.date) -> pd.DataFrame:
    """Each helpdesk group's internal target attainment in one ISO week, with its interval."""
    return query(
        "select group_name, target_business_hours, value, ci_lower, ci_upper, n"
        " from marts.metric_group_target_attainment_weekly where week_start = ? order by group_name",
        [week_start],
    )


# -------------------------------------------------- voice of the customer, lifecycle


def stage_order() -> list[str]:
    """The lifecycle stages in the order accounts live through them."""
    return list(query("select stage from marts.fct_lifecycle_stage_visits group by stage order by min(stage_order), stage")["stage"])


def sentiment_by_stage(segment: str = "All") -> pd.DataFrame:
    """Positive and negative customer comments per case, by lifecycle stage, with 90% intervals."""
    return query(
        "select lifecycle_stage, cases, comments, positive_comments_per_case, negative_comments_per_case,"
        " positive_per_case_ci_lower, positive_per_case_ci_upper, negative_per_case_ci_lower, negative_per_case_ci_upper"
        " from marts.metric_sentiment_by_stage"
        " left join (select stage, min(stage_order) as stage_order from marts.fct_lifecycle_stage_visits group by stage)"
        "   on stage = lifecycle_stage"
        " where segment = ? order by stage_order, lifecycle_stage",
        [segment],
    )


def stage_velocity() -> pd.DataFrame:
    """Median days accounts spent in each stage, by the month their first visit began (cohort), with intervals."""
    return query(
        "select cohort_month, stage, visits, completed_visits, median_days, median_days_lower, median_days_upper"
        " from marts.metric_stage_velocity order by cohort_month, stage"
    )


def lifecycle_cycles() -> pd.DataFrame:
    """Per cohort month: accounts, how many came back round the lifecycle, and cycles per account."""
    return query(
        "select cohort_month, any_value(cohort_accounts) as accounts,"
        " any_value(cohort_accounts_cycled_back) as cycled_back, any_value(cohort_mean_cycles) as mean_cycles"
        " from marts.metric_stage_velocity group by cohort_month order by cohort_month"
    )


def recent_comments(segment: str = "All", limit: int = 20) -> pd.DataFrame:
    """The newest customer comments with an excerpt (redacted; the last 90 days only)."""
    return query(
        "select commented_at, segment, lifecycle_stage, sentiment, excerpt from marts.fct_comment_sentiment"
        " where excerpt is not null and (? = 'All' or segment = ?) order by commented_at desc, comment_id limit ?",
        [segment, segment, limit],
    )
