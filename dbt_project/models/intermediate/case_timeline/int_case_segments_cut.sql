-- Cut each case's journey (started_at to journey_end_at) into consecutive segments
-- wherever its status, group or assignee changes, a linked issue opens or resolves,
-- or the first agent reply lands (which ends the first_response phase), and record
-- the state that holds throughout each segment.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with clocks as (
    select * from {{ ref('int_case_clocks_computed') }}
    where {{ changed_cases_only() }}
),

states as (
    select * from {{ ref('int_ticket_states_tracked') }}
    where {{ changed_cases_only('ticket_id') }}
),

replies as (
    select * from {{ ref('int_case_replies_summarised') }}
    where {{ changed_cases_only() }}
),

engineering as (
    select * from {{ ref('int_case_engineering_intervals') }}
    where {{ changed_cases_only() }}
),

groups as (
    select * from {{ ref('stg_zendesk__groups') }}
),

boundaries as (
    select case_id, started_at as boundary_at from clocks
    union
    select case_id, created_at from clocks
    union
    select states.ticket_id, states.valid_from from states
    union
    select case_id, first_reply_at from replies
    union
    select case_id, engineering_from from engineering
    union
    select case_id, engineering_to from engineering where engineering_to is not null
    union
    select case_id, journey_end_at from clocks
),

in_journey as (
    select boundaries.case_id, boundaries.boundary_at
    from boundaries
    inner join clocks on clocks.case_id = boundaries.case_id
    where boundaries.boundary_at >= clocks.started_at
      and boundaries.boundary_at <= clocks.journey_end_at
),

segments as (
    select
        case_id,
        boundary_at as segment_start,
        lead(boundary_at) over (partition by case_id order by boundary_at) as segment_end
    from in_journey
),

segments_closed as (
    select * from segments where segment_end is not null
),

-- the linked issues open throughout a segment; the earliest opened one holds it
open_engineering as (
    select
        segments_closed.case_id,
        segments_closed.segment_start,
        engineering.project_key,
        row_number() over (
            partition by segments_closed.case_id, segments_closed.segment_start
            order by engineering.engineering_from, engineering.issue_key
        ) as holder_rank
    from segments_closed
    inner join engineering
        on engineering.case_id = segments_closed.case_id
        and {{ valid_at('engineering.engineering_from', 'engineering.engineering_to', 'segments_closed.segment_start') }}
)

select
    segments_closed.case_id,
    segments_closed.segment_start,
    segments_closed.segment_end,
    states.status,
    states.group_id,
    groups.group_name,
    states.assignee_id,
    open_engineering.project_key is not null as is_engineering_open,
    open_engineering.project_key as engineering_project_key,
    coalesce(replies.first_reply_at <= segments_closed.segment_start, false) as has_agent_replied,
    segments_closed.segment_start < clocks.created_at as is_before_ticket
from segments_closed
inner join clocks on clocks.case_id = segments_closed.case_id
left join states
    on states.ticket_id = segments_closed.case_id
    and {{ valid_at('states.valid_from', 'states.valid_to', 'segments_closed.segment_start') }}
left join groups on groups.group_id = states.group_id
left join open_engineering
    on open_engineering.case_id = segments_closed.case_id
    and open_engineering.segment_start = segments_closed.segment_start
    and open_engineering.holder_rank = 1
left join replies on replies.case_id = segments_closed.case_id
