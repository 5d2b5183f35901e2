"""Clocks shared by the vendor test doubles and the code under test.

Every time-dependent behaviour of the doubles (Zendesk's per-minute rate limit, the
"archived after 120 days closed" rule, the most-recent-minute exclusion of the
incremental exports, Salesforce query-locator lifetimes, Jira page-token expiry) reads
`clock.now()`, so a test controls time by handing the same clock to the servers and
to the extractor:

- `FakeClock(start)`: time stands still until someone calls `sleep(seconds)` (or
  `advance`); `sleep` returns at once. Thread-safe.
- `OffsetClock(start)`: real time that started at `start`: `now()` is `start` plus the
  real seconds elapsed since the clock was made; `sleep` really sleeps.

`start` is an ISO-8601 instant ("2027-06-01T00:00:00Z") or epoch seconds.
"""

from __future__ import annotations

import datetime as dt
import threading
import time


def to_epoch(value: str | float | int | dt.datetime) -> float:
    """Epoch seconds for an ISO-8601 string (a naive one is read as UTC), a datetime or a number."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("Z", "+00:00")
        if len(text) >= 5 and text[-5] in "+-" and text[-4:].isdigit() and ":" not in text[-5:]:
            text = text[:-2] + ":" + text[-2:]  # +0000 -> +00:00
        value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.timestamp()


class FakeClock:
    """A clock that only moves when told to: `sleep(s)` / `advance(s)` add `s` seconds."""

    def __init__(self, start: str | float | dt.datetime) -> None:
        self._now = to_epoch(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        with self._lock:
            self._now += seconds

    advance = sleep

    def set(self, instant: str | float | dt.datetime) -> None:
        with self._lock:
            self._now = to_epoch(instant)

    def __repr__(self) -> str:
        return f"FakeClock({dt.datetime.fromtimestamp(self.now(), dt.timezone.utc).isoformat()})"


class OffsetClock:
    """Real time, shifted so that it started at `start`; `sleep` really sleeps."""

    def __init__(self, start: str | float | dt.datetime) -> None:
        self._start = to_epoch(start)
        self._t0 = time.monotonic()

    def now(self) -> float:
        return self._start + (time.monotonic() - self._t0)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def __repr__(self) -> str:
        return f"OffsetClock({dt.datetime.fromtimestamp(self.now(), dt.timezone.utc).isoformat()})"
