-- The ticket's status, group and assignee after every audit that changed one of them,
-- with the values before it. Each row is valid from its audit until the next one.
-- Incremental per ticket: a changed ticket's whole history is replayed.
{{ incremental_per_ticket() }}

with events as (
    select * from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type in ('Create', 'Change')
      and field_name in ('status', 'group_id', 'assignee_id')
      and {{ changed_tickets_only() }}
),

-- If an audit sets a field twice, its last event holds.
last_event_per_field as (
    select
        *,
        row_number() over (partition by audit_id, field_name order by event_id desc) as recency
    from events
),

per_audit as (
    select
        ticket_id,
        audit_id,
        audit_at,
        max(case when field_name = 'status' then 1 else 0 end) as sets_status,
        max(case when field_name = 'group_id' then 1 else 0 end) as sets_group,
        max(case when field_name = 'assignee_id' then 1 else 0 end) as sets_assignee,
        max(case when field_name = 'status' then field_value end) as status_value,
        max(case when field_name = 'group_id' then field_value end) as group_value,
        max(case when field_name = 'assignee_id' then field_value end) as assignee_value
    from last_event_per_field
    where recency = 1
    group by ticket_id, audit_id, audit_at
),

-- Carry each field forward from the audit that last set it (a set to null, e.g.
-- unassigning, is a value too, so ignore-nulls windows would be wrong here).
runs as (
    select
        *,
        sum(sets_status) over (partition by ticket_id order by audit_at, audit_id rows between unbounded preceding and current row) as status_run,
        sum(sets_group) over (partition by ticket_id order by audit_at, audit_id rows between unbounded preceding and current row) as group_run,
        sum(sets_assignee) over (partition by ticket_id order by audit_at, audit_id rows between unbounded preceding and current row) as assignee_run
    from per_audit
),

filled as (
    select
        ticket_id,
        audit_id,
        audit_at,
        sets_status = 1 as status_changed,
        max(status_value) over (partition by ticket_id, status_run) as status,
        cast(max(group_value) over (partition by ticket_id, group_run) as bigint) as group_id,
        cast(max(assignee_value) over (partition by ticket_id, assignee_run) as bigint) as assignee_id
    from runs
)

select
    ticket_id,
    audit_id,
    audit_at as valid_from,
    lead(audit_at) over (partition by ticket_id order by audit_at, audit_id) as valid_to,
    status,
    group_id,
    assignee_id,
    lag(status) over (partition by ticket_id order by audit_at, audit_id) as previous_status,
    lag(group_id) over (partition by ticket_id order by audit_at, audit_id) as previous_group_id,
    lag(assignee_id) over (partition by ticket_id order by audit_at, audit_id) as previous_assignee_id,
    status_changed
from filled
