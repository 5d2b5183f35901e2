"""Time helpers: integer epoch seconds inside the generator, vendor formats on the way out."""

from __future__ import annotations

import datetime
import math
import time

MINUTE = 60
HOUR = 3600
DAY = 86400

# The support team's staffed hours in UTC (EMEA morning through US afternoon), Mon-Fri.
SHIFT_START_HOUR = 9
SHIFT_END_HOUR = 22


def to_epoch(value: datetime.datetime) -> int:
    """A datetime as integer epoch seconds; a naive datetime is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return int(value.timestamp())


def zendesk(ts: int) -> str:
    """Zendesk: `2026-03-02T09:15:00Z`."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def salesforce(ts: int) -> str:
    """Salesforce and Jira datetimes: `2026-03-02T09:15:00.000+0000`."""
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(ts))


jira = salesforce


def sf_date(ts: int) -> str:
    """Salesforce date: `2026-03-02`."""
    return time.strftime("%Y-%m-%d", time.gmtime(ts))


def weekday(ts: int) -> int:
    """Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday)."""
    return (ts // DAY + 3) % 7


def in_shift(ts: int) -> bool:
    hour = ts % DAY // HOUR
    return weekday(ts) < 5 and SHIFT_START_HOUR <= hour < SHIFT_END_HOUR


def next_shift_start(ts: int) -> int:
    """The start of the next staffed period at or after `ts`."""
    day = ts // DAY * DAY
    if weekday(ts) < 5 and ts % DAY < SHIFT_START_HOUR * HOUR:
        return day + SHIFT_START_HOUR * HOUR
    day += DAY
    while weekday(day) >= 5:
        day += DAY
    return day + SHIFT_START_HOUR * HOUR


def agent_time(ts: int, rng, on_call: float = 0.1) -> int:
    """When an agent actually gets to something due at `ts`: in shift, or now if on call."""
    if in_shift(ts) or rng.random() < on_call:
        return ts
    return next_shift_start(ts) + rng.randint(2 * MINUTE, 75 * MINUTE)


def lognormal_seconds(rng, median_hours: float, sigma: float = 0.9, *, lo: int = 60, hi: int | None = None) -> int:
    """A right-skewed delay with the given median, clipped to [lo, hi] seconds."""
    value = int(rng.lognormvariate(math.log(median_hours * HOUR), sigma))
    value = max(lo, value)
    if hi is not None:
        value = min(hi, value)
    return value
