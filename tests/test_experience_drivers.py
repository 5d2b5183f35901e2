"""Experience against what followed (issue 24, item 2: the quartile rates): metric_experience_drivers
recomputed here, plainly, from the per-outcome experience it is built on.

For each outcome and driver, the outcome events with something to measure are sorted by the
driver (a median Time to Smile not reached last, ties by the event's id) and cut into four
groups as SQL's ntile(4) cuts them (the first n % 4 groups one larger); each group's rate has
the Wilson 90% interval of metrics.md ("Uncertainty"). The events with nothing to measure are
one row with a null quartile, so nothing is dropped. One window's reading is checked by hand.
"""

from __future__ import annotations

import math

import duckdb
import pytest

from tests.conftest import query

Z90 = 1.6448536269514722
DRIVERS = ("median_time_to_smile_hours", "handoffs_without_context_per_case", "reopen_rate", "frowning_share")


def wilson(successes: int, n: int) -> tuple[float, float]:
    p = successes / n
    centre = p + Z90 * Z90 / (2 * n)
    spread = Z90 * math.sqrt(p * (1 - p) / n + Z90 * Z90 / (4 * n * n))
    return (centre - spread) / (1 + Z90 * Z90 / n), (centre + spread) / (1 + Z90 * Z90 / n)


def expected_rows(events: list[dict]) -> dict[tuple, tuple]:
    rows = {}
    for outcome in sorted({e["outcome"] for e in events}):
        for driver in DRIVERS:
            of_outcome = [e for e in events if e["outcome"] == outcome]
            measured = [e for e in of_outcome
                        if e["cases"] > 0 and (driver == "median_time_to_smile_hours" or e[driver] is not None)]
            unmeasured = [e for e in of_outcome if e not in measured]
            measured.sort(key=lambda e: (e[driver] is None, e[driver] or 0.0, e["outcome_event_id"]))
            size, extra = divmod(len(measured), 4)
            groups, start = [], 0
            for q in range(4):
                end = start + size + (1 if q < extra else 0)
                groups.append((q + 1, measured[start:end]))
                start = end
            if unmeasured:
                groups.append((None, unmeasured))
            for quartile, group in groups:
                if not group:
                    continue
                outcomes = sum(e["has_outcome"] for e in group)
                rows[(outcome, driver, quartile)] = (len(group), outcomes, outcomes / len(group), *wilson(outcomes, len(group)))
    return rows


@pytest.fixture(scope="module")
def published(generated_company):
    root, _, _ = generated_company
    home = root / "home"
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        events = con.execute("select * from intermediate.int_experience_before_outcomes").fetchdf().to_dict("records")
    for event in events:
        for driver in DRIVERS:
            if event[driver] != event[driver]:  # NaN from pandas: a null
                event[driver] = None
    return home, events


def test_the_quartile_rates_are_recomputed_plainly(published):
    home, events = published
    assert {e["outcome"] for e in events} == {"renewal_lost", "nps_detractor"}
    got = {(o, d, q): (n, k, v, lo, hi) for o, d, q, n, k, v, lo, hi in query(
        home / "serving.duckdb", "select outcome, driver, quartile, n, outcomes, value, ci_lower, ci_upper "
                                 "from marts.metric_experience_drivers")}
    expected = expected_rows(events)
    assert got.keys() == expected.keys()
    for key, (n, outcomes, value, lower, upper) in expected.items():
        assert got[key][:2] == (n, outcomes), key
        assert got[key][2:] == pytest.approx((value, lower, upper), abs=1e-12), key
    # every outcome event is in exactly one row per driver
    for outcome in ("renewal_lost", "nps_detractor"):
        total = sum(e["outcome"] == outcome for e in events)
        for driver in DRIVERS:
            assert sum(n for (o, d, _), (n, *_) in got.items() if (o, d) == (outcome, driver)) == total


def test_a_windows_experience_is_read_as_it_stood_at_the_outcome(published):
    """One NPS response with cases in its window, by hand from the published journeys: the cases
    of its account started in the 180 days before it, their Time to Smile censored at the response."""
    home, events = published
    event = max((e for e in events if e["outcome"] == "nps_detractor" and e["cases"] >= 3),
                key=lambda e: (e["cases"], e["outcome_event_id"]))
    cases = query(home / "serving.duckdb", """
        select started_at, smiled_at, solved_at, smile_status, reopen_count from marts.fct_case_journey
        where account_id = ? and started_at >= ? - interval 180 day and started_at < ?""",
                  [event["account_id"], event["outcome_at"], event["outcome_at"]])
    assert len(cases) == event["cases"]
    at = event["outcome_at"]
    solved_by_then = [c for c in cases if c[2] is not None and c[2] <= at]
    frowning = [c for c in solved_by_then if c[3] == "frowning"]
    assert event["frowning_share"] == (pytest.approx(len(frowning) / len(solved_by_then)) if solved_by_then else None)
    assert event["reopen_rate"] == pytest.approx(sum(c[4] > 0 for c in cases) / len(cases))
    # Kaplan-Meier median with censoring at the response: the smallest smile time at which S <= 0.5
    clocks = sorted(((min(c[1] if c[1] is not None and c[1] <= at else (c[2] if c[2] is not None and c[2] <= at else at), at)
                      - c[0]).total_seconds() / 3600, c[1] is not None and c[1] <= at) for c in cases)
    survival, at_risk, median = 1.0, len(clocks), None
    for hours in sorted({h for h, _ in clocks}):
        smiled = sum(1 for h, e in clocks if h == hours and e)
        if smiled:
            survival *= 1 - smiled / at_risk
            if survival <= 0.5 + 1e-9 and median is None:
                median = hours
        at_risk -= sum(1 for h, _ in clocks if h == hours)
    assert event["median_time_to_smile_hours"] == (pytest.approx(median) if median is not None else None)
