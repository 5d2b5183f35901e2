"""The cases a reader's period and filters select (fct_case_journey), and what they lived:
Time to Smile by Kaplan-Meier, smile status, the hours of each journey phase, the case list.

Every page that cuts by period narrows cases the same way: ``started_at`` in [start, end)
and the sidebar's filters (``CASE_FILTERS``), so ``period_cases_sql`` and ``period_params``
are shared with ``holders`` (whose marts are keyed by case). Time to Smile is estimated
by ``kaplan_meier`` (dbt's macro), the same implementation as the weekly marts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from kaplan_meier import km_quantiles_sql
from serving import published_column, py_date, py_float, query

#: Journey phases in the order a case lives through them, with the labels people read.
PHASES: tuple[tuple[str, str], ...] = (
    ("first_response", "First response"),
    ("support_investigation", "Support investigation"),
    ("engineering", "Engineering"),
    ("close_the_loop", "Closing the loop"),
    ("waiting_on_customer", "Waiting on the customer"),
    ("reopen_gap", "Reopen gap"),
)
PHASE_LABELS: dict[str, str] = dict(PHASES)

#: Cap on the row-level case list sent to the browser.
CASE_LIST_LIMIT = 500

#: Case filters shared by the pages: URL parameter -> the SQL it constrains (fct_case_journey's
#: columns; persona lives on the account).
CASE_FILTERS: dict[str, str] = {
    "segment": "segment",
    "persona": "account_id in (select account_id from marts.fct_account_health where persona in ({values}))",
    "channel": "channel",
    "priority": "priority",
    "stage": "lifecycle_stage",
}
CaseFilters = dict[str, tuple[str, ...]]


def filter_sql(filters: CaseFilters | None) -> tuple[str, list[str]]:
    """` and ...` constraints for the chosen values of each filter (none chosen: no constraint)."""
    clauses, params = [], []
    for name, values in sorted((filters or {}).items()):
        if not values:
            continue
        placeholders = ", ".join("?" for _ in values)
        target = CASE_FILTERS[name]
        clauses.append(target.format(values=placeholders) if "{values}" in target else f"{target} in ({placeholders})")
        params.extend(values)
    return "".join(f"\n  and {c}" for c in clauses), params


def filter_options() -> dict[str, list[str]]:
    """The values each case filter can take in this publication."""
    options = {}
    for name, column in (("segment", "segment"), ("channel", "channel"), ("priority", "priority"), ("stage", "lifecycle_stage")):
        options[name] = [v for v in query(f"select distinct {column} as v from marts.fct_case_journey where {column} is not null order by 1")["v"]]
    options["persona"] = [v for v in query("select distinct persona as v from marts.fct_account_health where persona is not null order by 1")["v"]]
    return options


def period_params(start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None) -> list:
    """[start, end) as naive UTC datetimes (dates become midnight), then the filters' values:
    the parameters of ``period_cases_sql``."""

    def as_dt(x: dt.date | dt.datetime) -> dt.datetime:
        if isinstance(x, dt.datetime):
            return x.replace(tzinfo=None)
        return dt.datetime.combine(x, dt.time())

    return [as_dt(start), as_dt(end), *filter_sql(filters)[1]]


def period_cases_sql(columns: str, filters: CaseFilters | None = None) -> str:
    """``columns`` of the cases started in the period that match ``filters`` (``period_params``)."""
    return f"""
select {columns}
from marts.fct_case_journey
where started_at >= ? and started_at < ?{filter_sql(filters)[0]}
"""


def started_at_bounds() -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest ``started_at`` date of any case (None, None when there are none)."""
    df = query(
        "select cast(min(started_at) as date) as lo, cast(max(started_at) as date) as hi "
        "from marts.fct_case_journey"
    )
    lo, hi = df.iloc[0]["lo"], df.iloc[0]["hi"]
    return (py_date(lo), py_date(hi))


def time_to_smile_km(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None
) -> dict[str, Any]:
    """Kaplan-Meier Time to Smile for cases with ``started_at`` in [start, end).

    Smiling cases are events at ``time_to_smile_hours``; open and frowning cases are
    censored at ``elapsed_hours``. Returns n_cases, n_smiling, n_censored,
    median_hours and p90_hours (None when the curve never falls that far).
    """
    source = (
        "("
        + period_cases_sql(
            "case when smile_status = 'smiling' then time_to_smile_hours "
            "else elapsed_hours end as time_hours, "
            "smile_status = 'smiling' as is_event",
            filters,
        )
        + ")"
    )
    row = query(km_quantiles_sql(source), period_params(start, end, filters)).iloc[0]
    return {
        "n_cases": int(row["n_cases"]),
        "n_smiling": int(row["n_events"]),
        "n_censored": int(row["n_censored"]),
        "median_hours": py_float(row["median_hours"]),
        "p90_hours": py_float(row["p90_hours"]),
    }


def smile_status_counts(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None
) -> dict[str, int]:
    """Cases started in [start, end) by smile_status (open, frowning, smiling) and in total."""
    df = query(
        period_cases_sql(
            "count(*) as n_cases, "
            "count(*) filter (where smile_status = 'smiling') as smiling, "
            "count(*) filter (where smile_status = 'open') as open, "
            "count(*) filter (where smile_status = 'frowning') as frowning",
            filters,
        ),
        period_params(start, end, filters),
    )
    row = df.iloc[0]
    return {k: int(row[k]) for k in ("n_cases", "smiling", "open", "frowning")}


def phase_hours(start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None) -> pd.DataFrame:
    """Where the time went: per phase, total and mean calendar hours over the cases
    started in [start, end), in journey order.

    The mean is over all the period's cases (a case that never entered a phase counts
    0 hours there), so the means add up to the mean case's elapsed time.
    Columns: phase, label, total_hours, mean_hours, cases_with_phase, share.
    """
    sums = ", ".join(
        f"sum(coalesce({p}_hours, 0)) as {p}__total, "
        f"count(*) filter (where {p}_hours > 0) as {p}__cases"
        for p, _ in PHASES
    )
    df = query(period_cases_sql(f"count(*) as n_cases, {sums}", filters), period_params(start, end, filters))
    row = df.iloc[0]
    n_cases = int(row["n_cases"])
    grand_total = sum(float(row[f"{p}__total"] or 0.0) for p, _ in PHASES)
    records = []
    for phase, label in PHASES:
        total = float(row[f"{phase}__total"] or 0.0)
        records.append(
            {
                "phase": phase,
                "label": label,
                "total_hours": total,
                "mean_hours": total / n_cases if n_cases else 0.0,
                "cases_with_phase": int(row[f"{phase}__cases"] or 0),
                "share": total / grand_total if grand_total else 0.0,
            }
        )
    return pd.DataFrame.from_records(records)


CASE_LIST_COLUMNS: tuple[str, ...] = (
    "case_id",
    "started_at",
    "smile_status",
    "time_to_smile_hours",
    "elapsed_hours",
    *(f"{p}_hours" for p, _ in PHASES),
    "handoff_count",
    "reopen_count",
    "channel",
    "priority",
)


def case_list(
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    limit: int = CASE_LIST_LIMIT,
    filters: CaseFilters | None = None,
) -> pd.DataFrame:
    """The cases started in [start, end), longest elapsed first, at most ``limit`` rows:
    CASE_LIST_COLUMNS, then ``account_name`` (the CRM's name of the case's account; its id
    when the CRM gives no name)."""
    cases = ", ".join(f"cases.{c}" for c in CASE_LIST_COLUMNS)
    sql = (
        f"select {cases}, coalesce({published_column('fct_account_health', 'account_name', 'health')}, cases.account_id)"
        " as account_name\nfrom ("
        + period_cases_sql(", ".join((*CASE_LIST_COLUMNS, "account_id")), filters)
        + ") as cases\nleft join marts.fct_account_health as health on health.account_id = cases.account_id"
        + f"\norder by cases.elapsed_hours desc nulls last, cases.case_id\nlimit {int(limit)}"
    )
    return query(sql, period_params(start, end, filters))
