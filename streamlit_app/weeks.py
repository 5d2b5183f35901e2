"""Which week a weekly page reads: the latest full one, unless it had too few cases to read."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from time_to_smile import metric_formats as formats
from filters import monday


def latest_full_week(as_of: dt.datetime | None, first_day: dt.date, end: dt.date) -> dt.date:
    """The Monday of the latest ISO week that is over both at the data's as-of time and in the
    period [first_day, end) (the period's first week when none is)."""
    last_complete = monday(as_of.date() if as_of else end) - dt.timedelta(weeks=1)
    return max(min(last_complete, monday(end) - dt.timedelta(weeks=1)), monday(first_day))


def headline_week(latest: dt.date, first_day: dt.date, weekly: pd.DataFrame) -> dt.date:
    """The latest week from the period's first to ``latest`` in which at least MIN_SAMPLE cases
    started (``weekly``: metric_weekly rows with metric, week_start and n), else ``latest``. A quiet
    latest week, or data that stopped arriving, does not make a page of "too few"; the same rule as
    metric_weekly_summary's "this week"."""
    medians = weekly[(weekly["metric"] == "time_to_smile_median_hours") & (weekly["n"] >= formats.MIN_SAMPLE)]
    candidates = [w for w in pd.to_datetime(medians["week_start"]).dt.date if monday(first_day) <= w <= latest]
    return max(candidates, default=latest)


def passed_over(latest: dt.date, latest_cases: int, week: dt.date) -> str | None:
    """What a page says when it reads an older week than the latest full one (None when it does not)."""
    if week == latest:
        return None
    return (f"The latest full week, of {latest:%d %B}, has {formats.counted(latest_cases, 'cases')} started: fewer "
            f"than {formats.MIN_SAMPLE}, too few to read. This is the week of {week:%d %B}, the latest with enough.")
