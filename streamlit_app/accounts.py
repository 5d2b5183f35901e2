"""Accounts: retention (churn, lost ARR and why, renewals at risk) and the engineering
issues hurting them most (fct_account_health, fct_bug_stack_rank).

These figures are about accounts, not the period's cases, so only the filters that
describe an account apply (``ACCOUNT_FILTERS``); ``account_scope`` says in words which
ones did and which were left out, so the Retention page never silently ignores a filter.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cases import CaseFilters
from serving import has_mart, published_column, py_float, query

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
    return {k: py_float(v) for k, v in row.items()}


def renewals_at_risk(filters: CaseFilters | None = None) -> pd.DataFrame:
    """Accounts whose renewal is at risk by utilization, soonest renewal first: the CRM's name
    (``account_name``; its id when the CRM gives no name) and id of each."""
    where, params = _account_filter_sql(filters)
    account_name = published_column("fct_account_health", "account_name", "health")
    return query(
        f"select coalesce({account_name}, account_id) as account_name, account_id, segment, arr, utilization, renewal_date, open_cases"
        f" from marts.fct_account_health as health where is_renewal_at_risk{where} order by renewal_date, arr desc",
        params,
    )


def bug_stack_rank(limit: int = 25) -> pd.DataFrame:
    """The engineering issues hurting customers most, in the mart's rank order; ``issue`` reads
    "KEY: summary", ``project_name`` is the Jira project's name (its key when Jira gives none)."""
    project_name = published_column("fct_bug_stack_rank", "project_name", "issues")
    return query(
        "select stack_rank, issue_key || coalesce(': ' || summary, '') as issue, issue_key, project_key,"
        f" coalesce({project_name}, project_key) as project_name, summary, status_category, is_resolved, linked_cases,"
        " linked_accounts, linked_arr, engineering_hours_caused"
        " from marts.fct_bug_stack_rank as issues order by stack_rank limit ?",
        [limit],
    )


# ------------------------------------------------------------------ experience and what followed

#: The experience drivers in words, in the order the page shows them.
DRIVER_LABELS = {
    "median_time_to_smile_hours": "Median Time to Smile", "handoffs_without_context_per_case": "Handoffs without context per case",
    "reopen_rate": "Reopen rate", "frowning_share": "Frowning share", "all_four_together": "All four, worse together",
}
#: The outcomes in words.
OUTCOME_LABELS = {"renewal_lost": "Renewal lost (churn)", "nps_detractor": "NPS detractor"}


def experience_quartiles(outcome: str) -> pd.DataFrame | None:
    """The outcome's rate by quartile of each driver (metric_experience_drivers), None when not published."""
    if not has_mart("metric_experience_drivers"):
        return None
    return query("select driver, quartile, driver_from, driver_to, n, outcomes, value, ci_lower, ci_upper"
                 " from marts.metric_experience_drivers where outcome = ? order by driver, quartile nulls last", [outcome])


def experience_effects(outcome: str) -> pd.DataFrame | None:
    """The outcome's adjusted effects (metric_experience_driver_effects), None when not published."""
    if not has_mart("metric_experience_driver_effects"):
        return None
    return query("select driver, odds_ratio_per_sd, ci_lower, ci_upper, p_value, n, outcomes, note"
                 " from marts.metric_experience_driver_effects where outcome = ?", [outcome])
