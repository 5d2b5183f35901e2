"""Who held the period's cases and who handed them on: holder hours by phase, one case's
timeline, handoff flows and rates, the agents who transfer most (fct_case_phases,
fct_handoffs, metric_agent_transfers).

These marts name a holder by a code (a support group's name, an engineering project's
Jira key, ``customer``); ``holder_names`` turns every code into what a leader reads, the
same way on every figure. The period's cases are selected as in ``cases``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cases import CaseFilters, period_cases_sql, period_params
from serving import has_mart, published_column, py_float, query

#: Holders (fct_case_phases.holder) and handoff ends (fct_handoffs) that are not a support
#: group, as people read them. Engineering projects are named by holder_names().
HOLDER_LABELS: dict[str, str] = {
    "customer": "The customer",
    "not yet reported": "Not yet reported (before the ticket)",
    "unassigned": "Unassigned (no group)",
}


def holder_names() -> dict[str, str]:
    """Holder code -> the label a leader reads: an engineering project's key -> its name
    ("Platform (engineering)"; the key when Jira gives no name), ``customer`` -> "The customer",
    ``not yet reported`` -> "Not yet reported (before the ticket)". Support groups are
    named by their group name already and are not in the mapping (``names.get(code, code)``)."""
    names = dict(HOLDER_LABELS)
    if has_mart("fct_bug_stack_rank"):
        # every engineering holder is the project of an issue linked to a case: in the stack rank
        project_name = published_column("fct_bug_stack_rank", "project_name", "issues")
        projects = query(
            f"select project_key, coalesce(max({project_name}) filter (where {project_name} <> project_key), project_key)"
            " as project_name from marts.fct_bug_stack_rank as issues where project_key is not null group by project_key"
        )
        names.update({key: f"{name} (engineering)" for key, name in zip(projects["project_key"], projects["project_name"], strict=True)})
    return names


def with_holder_names(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """``frame`` with the holder codes in ``columns`` replaced by holder_names()' labels."""
    names = holder_names()
    for column in columns:
        frame[column] = [names.get(code, code) for code in frame[column]]
    return frame


def _period_case_ids_sql(filters: CaseFilters | None) -> str:
    return f"case_id in ({period_cases_sql('case_id', filters)})"


def holder_hours(start: dt.date | dt.datetime, end: dt.date | dt.datetime, filters: CaseFilters | None = None) -> pd.DataFrame:
    """Who held the period's cases, and in which phase: calendar hours by holder (support tier,
    engineering project, the customer; named by holder_names()) and phase, most hours first."""
    return with_holder_names(query(
        "select holder, phase, sum(calendar_hours) as hours, count(distinct case_id) as cases"
        f" from marts.fct_case_phases where {_period_case_ids_sql(filters)}"
        " group by holder, phase order by sum(sum(calendar_hours)) over (partition by holder) desc, holder, phase",
        period_params(start, end, filters),
    ), "holder")


def case_timeline(case_id: int) -> pd.DataFrame:
    """One case's journey, segment by segment: who held it (holder, named by holder_names()) in
    which phase, and for how long."""
    return with_holder_names(query(
        "select segment_start, segment_end, phase, holder, calendar_hours, business_hours"
        " from marts.fct_case_phases where case_id = ? order by segment_start, segment_end",
        [case_id],
    ), "holder")


def handoff_flows(start: dt.date, end: dt.date, filters: CaseFilters | None = None) -> pd.DataFrame:
    """Handoffs of the period's cases by (from_group, to_group), named by holder_names() (an
    engineering project by its name), with how many carried context."""
    return with_holder_names(query(
        "select coalesce(from_group, 'unassigned') as from_group, coalesce(to_group, 'unassigned') as to_group,"
        " count(*) as handoffs, count(*) filter (where carried_context) as with_context"
        f" from marts.fct_handoffs where {_period_case_ids_sql(filters)}"
        " group by all order by handoffs desc, from_group, to_group",
        period_params(start, end, filters),
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
        f" from ({period_cases_sql('handoff_count, resolved_by_first_owner', filters)})",
        [*period_params(start, end, filters), *period_params(start, end, filters), *period_params(start, end, filters)],
    ).iloc[0]
    return {k: py_float(v) for k, v in row.items()}


def agent_transfers(limit: int = 20) -> pd.DataFrame:
    """Agents (pseudonyms) who hand off most, with how often their handoffs carried context."""
    return query(
        "select agent_id, cases_owned, handoffs_away, handoffs_with_context, transfers_per_case_owned"
        " from marts.metric_agent_transfers order by handoffs_away desc, agent_id limit ?",
        [limit],
    )
