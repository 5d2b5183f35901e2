-- Handoffs (metrics.md): a change of assignee or group from one non-empty value to a
-- different one (one per audit), or the linking of an engineering issue open at that
-- moment. Each carries context when the agent handing off wrote a private note on
-- the case within the window before it (or in the same audit).
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with clocks as (
    select case_id, journey_end_at from {{ ref('int_case_clocks_computed') }}
    where {{ changed_cases_only() }}
),

states as (
    select * from {{ ref('int_ticket_states_tracked') }}
    where {{ changed_cases_only('ticket_id') }}
),

links as (
    select * from {{ ref('stg_zendesk__jira_links') }}
    where {{ changed_cases_only('ticket_id') }}
),

issues as (
    select issue_id, project_key from {{ ref('stg_jira__issues') }}
),

open_intervals as (
    select * from {{ ref('int_jira_issue_open_intervals') }}
),

private_notes as (
    select ticket_id, audit_at, comment_author_id
    from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment' and not is_public
      and {{ changed_cases_only('ticket_id') }}
),

support_handoffs as (
    select
        states.ticket_id as case_id,
        'audit' as handoff_source,
        states.audit_id as source_id,
        states.valid_from as handoff_at,
        states.previous_assignee_id as from_assignee_id,
        states.assignee_id as to_assignee_id,
        states.previous_group_id as from_group_id,
        states.group_id as to_group_id,
        cast(null as {{ dbt.type_string() }}) as to_project_key,
        false as to_engineering
    from states
    inner join clocks on clocks.case_id = states.ticket_id
    where states.valid_from <= clocks.journey_end_at
      and (
          (states.previous_assignee_id is not null and states.assignee_id is not null
           and states.assignee_id <> states.previous_assignee_id)
          or (states.previous_group_id is not null and states.group_id is not null
              and states.group_id <> states.previous_group_id)
      )
),

engineering_handoffs as (
    select
        links.ticket_id as case_id,
        'jira_link' as handoff_source,
        links.jira_link_id as source_id,
        links.linked_at as handoff_at,
        states.assignee_id as from_assignee_id,
        cast(null as bigint) as to_assignee_id,
        states.group_id as from_group_id,
        cast(null as bigint) as to_group_id,
        issues.project_key as to_project_key,
        true as to_engineering
    from links
    inner join clocks on clocks.case_id = links.ticket_id
    inner join issues on issues.issue_id = links.issue_id
    inner join open_intervals
        on open_intervals.issue_id = links.issue_id
        and {{ valid_at('open_intervals.open_from', 'open_intervals.open_to', 'links.linked_at') }}
    left join states
        on states.ticket_id = links.ticket_id
        and {{ valid_at('states.valid_from', 'states.valid_to', 'links.linked_at') }}
    where links.linked_at <= clocks.journey_end_at
),

handoffs as (
    select * from support_handoffs
    union all
    select * from engineering_handoffs
),

-- the handoffs with a private note of the handing-off agent in the window before them (a join,
-- not a correlated `exists` over the union above, which crashes Spark 4.3's optimizer: stack.md)
with_context as (
    select distinct handoffs.handoff_source, handoffs.source_id
    from handoffs
    inner join private_notes
        on private_notes.ticket_id = handoffs.case_id
        and private_notes.comment_author_id = handoffs.from_assignee_id
        and private_notes.audit_at <= handoffs.handoff_at
        and private_notes.audit_at >= {{ dbt.dateadd('minute', -var('context_note_window_minutes'), 'handoffs.handoff_at') }}
)

select
    handoffs.*,
    with_context.source_id is not null as carried_context
from handoffs
left join with_context
    on with_context.handoff_source = handoffs.handoff_source
    and with_context.source_id = handoffs.source_id
