"""Time helpers: integer epoch seconds inside the generator, vendor formats on the way out."""

from __future__ import annotations

import datetime
import math
import time

MINUTE = 60
HOUR = 3600
DAY = 86400

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


def lognormal_seconds(rng, median_hours: float, sigma: float = 0.9, *, lo: int = 60, hi: int | None = None) -> int:
    """A right-skewed delay with the given median, clipped to [lo, hi] seconds."""
    value = int(rng.lognormvariate(math.log(median_hours * HOUR), sigma))
    value = max(lo, value)
    if hi is not None:
        value = min(hi, value)
    return value
