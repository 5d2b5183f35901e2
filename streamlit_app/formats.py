"""How the app writes a metric's value and its week-on-week change, by the catalogue's unit."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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


def label(metric: str) -> str:
    return METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize())


def in_headline_order(metrics: pd.DataFrame) -> pd.DataFrame:
    """Rows of a ``metric`` column in the order of METRIC_LABELS (the customer's wait first), others after."""
    rank = {metric: i for i, metric in enumerate(METRIC_LABELS)}
    return metrics.sort_values("metric", key=lambda m: m.map(lambda x: rank.get(x, len(rank))), kind="stable")
