"""How a metric's value and its week-on-week change are written, by the catalogue's unit: the app's
pages, its one-pager and the alerts on significant moves write them alike."""

from __future__ import annotations

from typing import Any

import pandas as pd


def _missing(value: Any) -> bool:
    """None, NaN, pandas' NA or NaT: a number that is not there."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def formatted(unit: str | None, value: float | None) -> str:
    """``value`` in its unit: hours as '12.3 h', fractions as '45%', NPS as '+21', others with two decimals."""
    if _missing(value):
        return "n/a"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "fraction":
        return f"{value:.0%}"
    if unit == "score":
        return f"{value:+.0f}"
    return f"{value:,.2f}"


#: A figure resting on fewer observations than this is not read as a number: its tile says
#: "too few" and its bar is greyed (docs/app.md). The dbt var `min_sample` is the same number,
#: so the one-pager's week and the app's tiles agree on what "enough" is.
MIN_SAMPLE = 5

#: What a metric's n counts, where it is not cases.
SAMPLE_NOUNS = {
    "csat": "ratings", "nps": "responses", "handoff_context_rate": "handoffs", "internal_target_attainment": "stints",
    "internal_target_attainment_by_group": "stints", "churn_rate": "accounts",
}


def too_few(n: Any) -> bool:
    """True when ``n`` observations are fewer than MIN_SAMPLE (none at all included)."""
    return _missing(n) or int(n) < MIN_SAMPLE


def sample(metric: str, n: Any) -> str:
    """The sample size in words: 'n = 29 cases', 'n = 10 ratings'."""
    return f"n = {counted(0 if _missing(n) else int(n), SAMPLE_NOUNS.get(metric, 'cases'))}"


def counted(count: int, noun: str) -> str:
    """'1 case', '29 cases': ``noun`` is a regular plural."""
    return f"{count:,} {noun[:-1] if count == 1 else noun}"


def tile_value(unit: str | None, value: float | None, n: Any) -> str:
    """A tile's value: the number, or why there is none: 'none' (no observation), 'too few' (under
    MIN_SAMPLE), 'not reached' (enough observations, but a percentile the censored cases keep open)."""
    if _missing(n) or int(n) == 0:
        return "none"
    if too_few(n):
        return "too few"
    return "not reached" if _missing(value) else formatted(unit, value)


def tile_note(metric: str, unit: str | None, value: float | None, n: Any) -> str:
    """The sentence a tile's help adds on its sample: its size, and why a value is not shown."""
    note = f"{sample(metric, n)}."
    if not _missing(n) and 0 < int(n) < MIN_SAMPLE:
        note += f" Fewer than {MIN_SAMPLE}: too few to read as a number."
    elif not too_few(n) and _missing(value):
        note += " Too many of them have not smiled yet for the curve to fall this far: not reached."
    return note


def interval(unit: str | None, lower: float | None, upper: float | None) -> str:
    """A 90% interval in words; one bound is missing where the data cannot bound it (a p90 not reached yet)."""
    if _missing(lower) and _missing(upper):
        return ""
    if _missing(upper):
        return f"at least {formatted(unit, lower)}"
    if _missing(lower):
        return f"at most {formatted(unit, upper)}"
    return f"{formatted(unit, lower)} to {formatted(unit, upper)}"


def change(unit: str | None, this: float | None, last: float | None) -> str | None:
    """This week's value against last week's: percentage points for fractions, else the difference in the unit."""
    if _missing(this) or _missing(last):
        return None
    if unit == "fraction":
        return f"{(this - last) * 100:+.0f} pts"
    if unit == "hours":
        return f"{this - last:+,.1f} h"
    return f"{this - last:+,.1f}" if unit == "score" else f"{this - last:+,.2f}"


#: Metrics where a fall is good news.
LOWER_IS_BETTER = frozenset({
    "time_to_smile_median_hours", "time_to_smile_p90_hours", "handoffs_per_case", "reopen_rate",
    "repeat_contact_rate", "first_reply_hours_median", "churn_rate",
})

#: What people call each headline metric, in the order a page lists them: the customer's wait first.
METRIC_LABELS = {
    "time_to_smile_median_hours": "Time to Smile, median", "time_to_smile_p90_hours": "Time to Smile, p90",
    "handoffs_per_case": "Handoffs per case", "first_contact_resolution_rate": "First contact resolution",
    "owner_resolution_rate": "Owner resolution", "reopen_rate": "Reopen rate",
    "repeat_contact_rate": "Repeat contact rate", "csat": "CSAT", "nps": "NPS", "churn_rate": "Churn rate",
    "first_reply_hours_median": "First reply, median", "first_reply_target_attainment": "First reply within target",
    "internal_target_attainment": "Group targets met", "handoff_context_rate": "Handoffs with context",
}


def both_weeks_readable(n: Any, last_week_n: Any) -> bool:
    """Whether a week-on-week change is shown: both weeks rest on MIN_SAMPLE observations or more
    (the one-pager's rule, and the alerts': they tell only the moves the page shows)."""
    return not too_few(n) and not too_few(last_week_n)


def direction(metric: str, value: float, last_week_value: float) -> str:
    """'better' or 'worse' for the customer (or the business), by which way the metric is good."""
    fell = value < last_week_value
    return "better" if fell == (metric in LOWER_IS_BETTER) else "worse"


def label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def in_headline_order(metrics: pd.DataFrame) -> pd.DataFrame:
    """Rows of a ``metric`` column in the order of METRIC_LABELS (the customer's wait first), others after."""
    rank = {metric: i for i, metric in enumerate(METRIC_LABELS)}
    return metrics.sort_values("metric", key=lambda m: m.map(lambda x: rank.get(x, len(rank))), kind="stable")
