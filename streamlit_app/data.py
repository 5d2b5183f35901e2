"""The app's one data-access module: every page reads the published marts through here.

Why it looks like this:

* The pipeline publishes ``serving.duckdb`` by writing a new file and renaming it
  into place (``os.replace``). DuckDB lets one process write a file *or* many
  processes read it, never both, so the app only ever opens the file read-only,
  and only for the duration of one query: it never holds a lock a publication
  could trip over, and an open connection never pins a stale file for long.
* Query results are cached with ``st.cache_data`` keyed on the SQL, its
  parameters and the file's signature (path, inode, mtime, size). A new
  publication is a new inode, so it invalidates every cached result at once.
* Aggregation happens in DuckDB; pandas only ever sees small frames (the one
  row-level result, the case list, is LIMITed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import streamlit as st

from time_to_smile.run_summary import read_history
from time_to_smile.settings import resolve_paths

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
#: Runs the data-quality badge lists.
RUN_HISTORY_SHOWN = 10


class ServingNotPublished(FileNotFoundError):
    """No publication yet: ``serving.duckdb`` is absent from the home directory."""


class FileSignature(NamedTuple):
    """Identity of one publication of the serving file; changes on every os.replace."""

    path: str
    inode: int
    mtime_ns: int
    size: int


# --------------------------------------------------------------------------- paths


def serving_path() -> Path:
    """Where the published marts live: resolved by the same rule as the ``smile`` CLI."""
    return resolve_paths().serving


def file_signature(path: Path | None = None) -> FileSignature | None:
    """The (path, inode, mtime, size) of the serving file, or None when it is absent."""
    path = path or serving_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return FileSignature(str(path), st_.st_ino, st_.st_mtime_ns, st_.st_size)


def not_published_message() -> str:
    """What every page says before the first publication."""
    return (
        f"No published data yet: nothing has been published to `{serving_path()}`. "
        "Run `smile run` (or `smile demo` for a sample company) and reload this page."
    )


def is_published() -> bool:
    """True when a publication exists to read."""
    return file_signature() is not None


# ---------------------------------------------------------------------- querying


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A fresh read-only connection to the serving file; the caller closes it.

    Read-only so that many readers coexist and the pipeline's publication is never
    blocked; short-lived so that a replaced file is released promptly.
    """
    path = path or serving_path()
    if not path.exists():
        raise ServingNotPublished(f"No published marts at {path}: run `smile run` first.")
    return duckdb.connect(str(path), read_only=True)


@st.cache_data(ttl=3600, max_entries=256, show_spinner=False)
def _cached_query(sql: str, params: tuple[Any, ...], signature: FileSignature) -> pd.DataFrame:
    # `signature` is only part of the cache key: a new publication misses the cache.
    con = connect_read_only(Path(signature.path))
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def query(sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """Run ``sql`` (positional ``?`` parameters) on the current publication, cached.

    Raises ``ServingNotPublished`` when nothing has been published yet.
    """
    signature = file_signature()
    if signature is None:
        raise ServingNotPublished(
            f"No published marts at {serving_path()}: run `smile run` first."
        )
    return _cached_query(sql, tuple(params or ()), signature)


# --------------------------------------------------------------- Kaplan-Meier SQL


def km_sql(source: str, time_col: str = "time_hours", event_col: str = "is_event") -> str:
    """SQL for the Kaplan-Meier median and p90 over ``source`` (a table name or a
    parenthesised subquery) with one row per observation.

    ``time_col`` is the observed time; ``event_col`` is true for an event (the customer
    smiled) and false for a censored observation. Rows with a null time are ignored.
    Product-limit estimator: at each distinct time t with d events and n observations
    still at risk (time >= t, so censorings tied with events stay at risk: events come
    first), S(t) = prod(1 - d/n). The median is the smallest event time with
    S(t) <= 0.5, the p90 the smallest with S(t) <= 0.1; null when never reached.

    Returns one row: n_cases, n_events, n_censored, median_hours, p90_hours.
    """
    # A tiny tolerance keeps float products such as 0.75 * (2/3) on the right side of 0.5.
    return f"""
with obs as (
    select
        cast({time_col} as double) as t,
        coalesce(cast({event_col} as boolean), false) as is_event
    from {source} as km_source
    where {time_col} is not null
),
by_time as (
    select
        t,
        sum(case when is_event then 1 else 0 end) as n_events,
        count(*) as n_obs
    from obs
    group by t
),
at_risk as (
    select
        t,
        n_events,
        sum(n_obs) over (order by t desc rows between unbounded preceding and current row)
            as n_at_risk
    from by_time
),
survival as (
    select
        t,
        n_events,
        product(1.0 - cast(n_events as double) / cast(n_at_risk as double))
            over (order by t rows between unbounded preceding and current row) as s
    from at_risk
)
select
    (select count(*) from obs) as n_cases,
    (select count(*) from obs where is_event) as n_events,
    (select count(*) from obs where not is_event) as n_censored,
    (select min(t) from survival where n_events > 0 and s <= 0.5 + 1e-9) as median_hours,
    (select min(t) from survival where n_events > 0 and s <= 0.1 + 1e-9) as p90_hours
"""


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


def _filter_sql(filters: CaseFilters | None) -> tuple[str, list[str]]:
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


def _period_params(start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None) -> list:
    """[start, end) as naive UTC datetimes (dates become midnight), then the filters' values."""

    def as_dt(x: dt.date | dt.datetime) -> dt.datetime:
        if isinstance(x, dt.datetime):
            return x.replace(tzinfo=None)
        return dt.datetime.combine(x, dt.time())

    return [as_dt(start), as_dt(end), *_filter_sql(filters)[1]]


def _period_cases_sql(columns: str, filters: CaseFilters | None = None) -> str:
    return f"""
select {columns}
from marts.fct_case_journey
where started_at >= ? and started_at < ?{_filter_sql(filters)[0]}
"""


# ----------------------------------------------------------------- named queries


def publication() -> dict[str, Any] | None:
    """The publication's published_at, as_of and run_id; None when nothing is published."""
    if not is_published():
        return None
    df = query("select published_at, as_of, run_id from marts.publication limit 1")
    if df.empty:
        return {"published_at": None, "as_of": None, "run_id": None}
    row = df.iloc[0]
    return {
        "published_at": _py_ts(row["published_at"]),
        "as_of": _py_ts(row["as_of"]),
        "run_id": row["run_id"],
    }


def started_at_bounds() -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest ``started_at`` date of any case (None, None when there are none)."""
    df = query(
        "select cast(min(started_at) as date) as lo, cast(max(started_at) as date) as hi "
        "from marts.fct_case_journey"
    )
    lo, hi = df.iloc[0]["lo"], df.iloc[0]["hi"]
    return (_py_date(lo), _py_date(hi))


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
        + _period_cases_sql(
            "case when smile_status = 'smiling' then time_to_smile_hours "
            "else elapsed_hours end as time_hours, "
            "smile_status = 'smiling' as is_event",
            filters,
        )
        + ")"
    )
    row = query(km_sql(source), _period_params(start, end, filters)).iloc[0]
    return {
        "n_cases": int(row["n_cases"]),
        "n_smiling": int(row["n_events"]),
        "n_censored": int(row["n_censored"]),
        "median_hours": _py_float(row["median_hours"]),
        "p90_hours": _py_float(row["p90_hours"]),
    }


def smile_status_counts(
    start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None
) -> dict[str, int]:
    """Cases started in [start, end) by smile_status (open, frowning, smiling) and in total."""
    df = query(
        _period_cases_sql(
            "count(*) as n_cases, "
            "count(*) filter (where smile_status = 'smiling') as smiling, "
            "count(*) filter (where smile_status = 'open') as open, "
            "count(*) filter (where smile_status = 'frowning') as frowning",
            filters,
        ),
        _period_params(start, end, filters),
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
    df = query(_period_cases_sql(f"count(*) as n_cases, {sums}", filters), _period_params(start, end, filters))
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
        f"select {cases}, coalesce({_published_column('fct_account_health', 'account_name', 'health')}, cases.account_id)"
        " as account_name\nfrom ("
        + _period_cases_sql(", ".join((*CASE_LIST_COLUMNS, "account_id")), filters)
        + ") as cases\nleft join marts.fct_account_health as health on health.account_id = cases.account_id"
        + f"\norder by cases.elapsed_hours desc nulls last, cases.case_id\nlimit {int(limit)}"
    )
    return query(sql, _period_params(start, end, filters))


#: Holders (fct_case_phases.holder) and handoff ends (fct_handoffs) that are not a support
#: group, as people read them. Engineering projects are named by holder_names().
HOLDER_LABELS: dict[str, str] = {
    "customer": "The customer",
    "not yet reported": "Not yet reported (before the ticket)",
    "unassigned": "Unassigned (no group)",
}


def _published_column(table: str, column: str, alias: str) -> str:
    """``alias.column`` when ``marts.table`` has that column in this publication, else a null
    (a publication made before the column was added still reads)."""
    has = query(
        "select count(*) as n from information_schema.columns"
        " where table_schema = 'marts' and table_name = ? and column_name = ?",
        [table, column],
    )["n"].iloc[0]
    return f"{alias}.{column}" if has else "cast(null as varchar)"


def holder_names() -> dict[str, str]:
    """Holder code -> the label a leader reads: an engineering project's key -> its name
    ("Platform (engineering)"; the key when Jira gives no name), ``customer`` -> "The customer",
    ``not yet reported`` -> "Not yet reported (before the ticket)". Support groups are
    named by their group name already and are not in the mapping (``names.get(code, code)``)."""
    names = dict(HOLDER_LABELS)
    has_projects = not query(
        "select 1 from information_schema.tables where table_schema = 'marts' and table_name = 'fct_bug_stack_rank'"
    ).empty
    if has_projects:
        # every engineering holder is the project of an issue linked to a case: in the stack rank
        project_name = _published_column("fct_bug_stack_rank", "project_name", "issues")
        projects = query(
            f"select project_key, coalesce(max({project_name}) filter (where {project_name} <> project_key), project_key)"
            " as project_name from marts.fct_bug_stack_rank as issues where project_key is not null group by project_key"
        )
        names.update({key: f"{name} (engineering)" for key, name in zip(projects["project_key"], projects["project_name"], strict=True)})
    return names


def _named(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``frame`` with the holder codes in ``columns`` replaced by holder_names()' labels."""
    names = holder_names()
    for column in columns:
        frame[column] = [names.get(code, code) for code in frame[column]]
    return frame


def holder_hours(start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None) -> pd.DataFrame:
    """Who held the period's cases, and in which phase: calendar hours by holder (support tier,
    engineering project, the customer; named by holder_names()) and phase, most hours first."""
    return _named(query(
        "select holder, phase, sum(calendar_hours) as hours, count(distinct case_id) as cases"
        f" from marts.fct_case_phases where {_period_case_ids_sql(filters)}"
        " group by holder, phase order by sum(sum(calendar_hours)) over (partition by holder) desc, holder, phase",
        _period_params(start, end, filters),
    ), "holder")


def case_timeline(case_id: int) -> pd.DataFrame:
    """One case's journey, segment by segment: who held it (holder, named by holder_names()) in
    which phase, and for how long."""
    return _named(query(
        "select segment_start, segment_end, phase, holder, calendar_hours, business_hours"
        " from marts.fct_case_phases where case_id = ? order by segment_start, segment_end",
        [case_id],
    ), "holder")


# ------------------------------------------------------------------------ helpers


def _is_missing(x: Any) -> bool:
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def _py_float(x: Any) -> float | None:
    return None if _is_missing(x) else float(x)


def _py_ts(x: Any) -> dt.datetime | None:
    return None if _is_missing(x) else pd.Timestamp(x).to_pydatetime()


def _py_date(x: Any) -> dt.date | None:
    return None if _is_missing(x) else pd.Timestamp(x).date()


# ------------------------------------------------------------------ run history


def run_history_path() -> Path:
    return resolve_paths().run_history


@st.cache_data(ttl=3600, max_entries=8, show_spinner=False)
def _cached_history(signature: FileSignature) -> list[dict[str, Any]]:
    return read_history(Path(signature.path), limit=RUN_HISTORY_SHOWN)


def run_history() -> list[dict[str, Any]]:
    """The newest pipeline runs first, published or not ([] before the first run)."""
    signature = file_signature(run_history_path())
    return [] if signature is None else _cached_history(signature)


def published_data_quality() -> pd.DataFrame:
    """What the current publication's run held back, by stage (load: lines; validation: records)."""
    return query("select stage, sum(records) as records from marts.data_quality group by stage")


# ------------------------------------------------------------ engineering, retention


def bug_stack_rank(limit: int = 25) -> pd.DataFrame:
    """The engineering issues hurting customers most, in the mart's rank order; ``issue`` reads
    "KEY: summary", ``project_name`` is the Jira project's name (its key when Jira gives none)."""
    project_name = _published_column("fct_bug_stack_rank", "project_name", "issues")
    return query(
        "select stack_rank, issue_key || coalesce(': ' || summary, '') as issue, issue_key, project_key,"
        f" coalesce({project_name}, project_key) as project_name, summary, status_category, is_resolved, linked_cases,"
        " linked_accounts, linked_arr, engineering_hours_caused"
        " from marts.fct_bug_stack_rank as issues order by stack_rank limit ?",
        [limit],
    )


#: Case filters that describe an account too: filter -> fct_account_health's column.
ACCOUNT_FILTERS: dict[str, str] = {"segment": "segment", "persona": "persona", "stage": "lifecycle_stage"}


def _account_filter_sql(filters: CaseFilters | None) -> tuple[str, list[str]]:
    """` and ...` constraints on fct_account_health for the account-level filters (channel and priority
    describe a case, not an account, and do not apply)."""
    chosen = {ACCOUNT_FILTERS[name]: values for name, values in (filters or {}).items() if values and name in ACCOUNT_FILTERS}
    clauses = [f"{column} in ({', '.join('?' for _ in values)})" for column, values in sorted(chosen.items())]
    return "".join(f" and {c}" for c in clauses), [v for _, values in sorted(chosen.items()) for v in values]


def account_scope(filters: CaseFilters | None) -> str:
    """Which accounts the account-level filters select, in words."""
    chosen = [f"{name} {', '.join(values)}" for name, values in sorted((filters or {}).items()) if values and name in ACCOUNT_FILTERS]
    ignored = sorted(name for name, values in (filters or {}).items() if values and name not in ACCOUNT_FILTERS)
    words = "accounts of " + "; ".join(chosen) if chosen else "all accounts"
    return words + (f" ({' and '.join(ignored)} describe cases, not accounts: not applied)" if ignored else "")


def churn_reasons(filters: CaseFilters | None = None) -> pd.DataFrame:
    """Churned accounts and their lost ARR by loss reason, most accounts first (metric_churn_reasons' ranking)."""
    where, params = _account_filter_sql(filters)
    return query(
        "select coalesce(loss_reason, 'Not recorded') as loss_reason, count(*) as churned_accounts,"
        " coalesce(sum(lost_arr), 0) as lost_arr from marts.fct_account_health"
        f" where has_churned{where} group by all order by churned_accounts desc, lost_arr desc, loss_reason",
        params,
    )


def retention_headline(filters: CaseFilters | None = None) -> dict[str, Any]:
    """Accounts, churned accounts and lost ARR, renewals at risk, white-glove cases open now (one row)."""
    where, params = _account_filter_sql(filters)
    row = query(
        "select count(*) as accounts, count(*) filter (where has_churned) as churned,"
        " coalesce(sum(lost_arr), 0) as lost_arr, count(*) filter (where is_renewal_at_risk) as at_risk,"
        " coalesce(sum(open_cases) filter (where is_white_glove), 0) as white_glove_open_cases"
        f" from marts.fct_account_health where true{where}",
        params,
    ).iloc[0]
    return {k: _py_float(v) for k, v in row.items()}


def renewals_at_risk(filters: CaseFilters | None = None) -> pd.DataFrame:
    """Accounts whose renewal is at risk by utilization, soonest renewal first: the CRM's name
    (``account_name``; its id when the CRM gives no name) and id of each."""
    where, params = _account_filter_sql(filters)
    account_name = _published_column("fct_account_health", "account_name", "health")
    return query(
        f"select coalesce({account_name}, account_id) as account_name, account_id, segment, arr, utilization, renewal_date, open_cases"
        f" from marts.fct_account_health as health where is_renewal_at_risk{where} order by renewal_date, arr desc",
        params,
    )


# ------------------------------------------------------------------------ handoffs


def _period_case_ids_sql(filters: CaseFilters | None) -> str:
    return f"case_id in ({_period_cases_sql('case_id', filters)})"


def handoff_flows(start: dt.date, end: dt.date, filters: CaseFilters | None = None) -> pd.DataFrame:
    """Handoffs of the period's cases by (from_group, to_group), named by holder_names() (an
    engineering project by its name), with how many carried context."""
    return _named(query(
        "select coalesce(from_group, 'unassigned') as from_group, coalesce(to_group, 'unassigned') as to_group,"
        " count(*) as handoffs, count(*) filter (where carried_context) as with_context"
        f" from marts.fct_handoffs where {_period_case_ids_sql(filters)}"
        " group by all order by handoffs desc, from_group, to_group",
        _period_params(start, end, filters),
    ), "from_group", "to_group")


def handoff_rates(start: dt.date, end: dt.date, filters: CaseFilters | None = None) -> dict[str, float | None]:
    """Handoffs per case, the handoff context rate and the owner resolution rate (metrics.md), with
    each one's sample: the period's cases, their handoffs, and the cases with an owner outcome."""
    row = query(
        "select avg(handoff_count) as handoffs_per_case, count(*) as cases,"
        " avg(case when resolved_by_first_owner then 1.0 else 0.0 end) filter (where resolved_by_first_owner is not null)"
        "   as owner_resolution_rate,"
        " count(resolved_by_first_owner) as owner_cases,"
        f" (select avg(case when carried_context then 1.0 else 0.0 end) from marts.fct_handoffs where {_period_case_ids_sql(filters)})"
        "   as handoff_context_rate,"
        f" (select count(*) from marts.fct_handoffs where {_period_case_ids_sql(filters)}) as handoffs"
        f" from ({_period_cases_sql('handoff_count, resolved_by_first_owner', filters)})",
        [*_period_params(start, end, filters), *_period_params(start, end, filters), *_period_params(start, end, filters)],
    ).iloc[0]
    return {k: _py_float(v) for k, v in row.items()}


def agent_transfers(limit: int = 20) -> pd.DataFrame:
    """Agents (pseudonyms) who hand off most, with how often their handoffs carried context."""
    return query(
        "select agent_id, cases_owned, handoffs_away, handoffs_with_context, transfers_per_case_owned"
        " from marts.metric_agent_transfers order by handoffs_away desc, agent_id limit ?",
        [limit],
    )


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


# ------------------------------------------------------------- voice of the customer


def voice_weekly(segment: str = "All") -> pd.DataFrame:
    """CSAT and NPS by week for one segment, with their 90% intervals and sample sizes."""
    return query(
        "select metric, week_start, value, ci_lower, ci_upper, n from marts.metric_weekly"
        " where metric in ('csat', 'nps') and segment = ? order by metric, week_start",
        [segment],
    )


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
