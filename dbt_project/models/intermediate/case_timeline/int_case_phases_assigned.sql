-- The phase rules of metrics.md, first match wins:
--   1 reopen_gap (solved, later reopened)   2 waiting_on_customer (pending)
--   3 engineering (a linked issue is open)   4 first_response (no public agent reply yet)
--   5 close_the_loop (was in engineering before)   6 support_investigation
-- and the segment's holder: the Jira project for engineering, the customer while
-- pending, else the ticket's group.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with segments as (
    select * from {{ ref('int_case_segments_cut') }}
    where {{ changed_cases_only() }}
),

ruled as (
    select
        *,
        case
            when status = 'solved' then 'reopen_gap'
            when status = 'pending' then 'waiting_on_customer'
            when is_engineering_open then 'engineering'
            when not has_agent_replied then 'first_response'
            else 'support_investigation'
        end as ruled_phase
    from segments
),

with_history as (
    select
        *,
        coalesce(max(case when ruled_phase = 'engineering' then 1 else 0 end) over (
            partition by case_id order by segment_start
            rows between unbounded preceding and 1 preceding
        ), 0) as was_in_engineering
    from ruled
),

phased as (
    select
        *,
        case
            when ruled_phase = 'support_investigation' and was_in_engineering = 1 then 'close_the_loop'
            else ruled_phase
        end as phase
    from with_history
)

select
    case_id,
    segment_start,
    segment_end,
    phase,
    case
        when phase = 'engineering' then engineering_project_key
        when phase = 'waiting_on_customer' then 'customer'
        when is_before_ticket then 'not yet reported'
        else coalesce(group_name, 'unassigned')
    end as holder,
    status,
    group_id,
    assignee_id,
    {{ hours_between('segment_start', 'segment_end') }} as calendar_hours
from phased
