-- One row per handoff, named by group for people reading the flow between teams.
-- A handoff to engineering names the Jira project as its to_group.
-- Incremental per case (docs/incremental.md). A published contract: a new column comes with
-- a new project version, which rebuilds in full, so a schema change here is a bug (fail).
{{ incremental_per_case() }}

with handoffs as (
    select * from {{ ref('int_handoffs_detected') }}
    where {{ changed_cases_only() }}
),

groups as (
    select * from {{ ref('stg_zendesk__groups') }}
)

select
    handoffs.handoff_source || '-' || cast(handoffs.source_id as {{ dbt.type_string() }}) || '-' || cast(handoffs.case_id as {{ dbt.type_string() }}) as handoff_id,
    handoffs.case_id,
    handoffs.handoff_at,
    {{ pseudonym('handoffs.from_assignee_id') }} as from_assignee_id,
    {{ pseudonym('handoffs.to_assignee_id') }} as to_assignee_id,
    from_groups.group_name as from_group,
    case when handoffs.to_engineering then handoffs.to_project_key else to_groups.group_name end as to_group,
    handoffs.to_engineering,
    handoffs.carried_context,
    handoffs.from_group_id,
    handoffs.to_group_id,
    handoffs.handoff_source
from handoffs
left join groups as from_groups on from_groups.group_id = handoffs.from_group_id
left join groups as to_groups on to_groups.group_id = handoffs.to_group_id
