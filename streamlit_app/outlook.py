"""The cases open now and how they are likely to go (fct_open_case_outlook): who holds them,
how long their customers have waited, and how likely each is to smile within a day, three days
and a week, with its interval (docs/decisions.md, "The open-case outlook")."""

from __future__ import annotations

import pandas as pd

from cases import CaseFilters, filter_sql
from holders import with_holder_names
from serving import published_column, query

#: Cases the page lists: the ones least likely to smile within a week, then the longest still to wait.
LISTED = 200


def open_case_outlook(filters: CaseFilters | None = None, limit: int = LISTED) -> pd.DataFrame:
    """The open cases the sidebar's filters select, least likely to smile within 7 days first
    (then the longest expected wait), with the account's name and the holder as people read it."""
    where, params = filter_sql(filters)
    return with_holder_names(query(
        f"""select o.*, coalesce({published_column('fct_account_health', 'account_name', 'health')}, o.account_id)
                   as account_name
            from marts.fct_open_case_outlook as o
            left join marts.fct_account_health as health on health.account_id = o.account_id
            where o.case_id in (select case_id from marts.fct_case_journey where true{where})
            order by o.p_smile_7d, o.expected_remaining_hours desc, o.case_id
            limit {int(limit)}""", params), "holder")


def outlook_summary(filters: CaseFilters | None = None) -> dict:
    """Open cases, how many are expected to smile within 72 hours (the sum of their
    probabilities), how many are unlikely to within a week (under 20%), and how many arrived by
    a handoff without context."""
    where, params = filter_sql(filters)
    row = query(
        f"""select count(*) as open_cases, coalesce(sum(p_smile_72h), 0) as expected_smiles_72h,
                   count(*) filter (where p_smile_7d < 0.2) as unlikely_within_7d,
                   count(*) filter (where last_handoff_carried_context = false) as handed_off_without_context
            from marts.fct_open_case_outlook
            where case_id in (select case_id from marts.fct_case_journey where true{where})""", params)
    return row.iloc[0].to_dict()
