-- The case and its clock (metrics.md): solves, reopens, owners, smile status and
-- the instant the case's journey ends (last solve, or the as-of time while open).
-- Incremental per case (docs/incremental.md): open cases are recomputed every run.
{{ incremental_per_case() }}

with cases as (
    select * from {{ ref('int_cases_identified') }}
    where {{ changed_cases_only() }}
),

states as (
    select states.*
    from {{ ref('int_ticket_states_tracked') }} as states
    inner join cases on cases.case_id = states.ticket_id
    where {{ changed_cases_only('states.ticket_id') }}
),

-- A solve is a change to solved; a case closed without ever being solved counts its first close.
status_entries as (
    select ticket_id, valid_from, status, previous_status, assignee_id
    from states
    where status_changed and status is distinct from previous_status
),

solve_summary as (
    select
        ticket_id,
        max(case when status = 'solved' then valid_from end) as last_solved_at,
        min(case when status = 'closed' then valid_from end) as first_closed_at,
        sum(case when previous_status = 'solved' and status <> 'closed' then 1 else 0 end) as reopen_count
    from status_entries
    group by ticket_id
),

first_owner as (
    select ticket_id, assignee_id as first_owner_id
    from (
        select
            ticket_id,
            assignee_id,
            row_number() over (partition by ticket_id order by valid_from, audit_id) as assignment_order
        from states
        where assignee_id is not null
    ) as assignments
    where assignment_order = 1
),

clock as (
    select
        cases.*,
        case
            when cases.current_status in ('solved', 'closed')
                then coalesce(solve_summary.last_solved_at, solve_summary.first_closed_at, cases.updated_at)
        end as solved_at,
        coalesce(solve_summary.reopen_count, 0) as reopen_count,
        first_owner.first_owner_id,
        case
            when cases.current_status in ('solved', 'closed') and cases.latest_rating_score = 'bad' then 'frowning'
            when cases.current_status in ('solved', 'closed') then 'smiling'
            else 'open'
        end as smile_status
    from cases
    left join solve_summary on solve_summary.ticket_id = cases.case_id
    left join first_owner on first_owner.ticket_id = cases.case_id
),

assignee_at_solve as (
    select clock.case_id, states.assignee_id
    from clock
    inner join states
        on states.ticket_id = clock.case_id
        and {{ valid_at('states.valid_from', 'states.valid_to', 'clock.solved_at') }}
)

select
    clock.*,
    case when clock.smile_status = 'smiling' then clock.solved_at end as smiled_at,
    coalesce(clock.solved_at, {{ as_of_timestamp() }}) as journey_end_at,
    assignee_at_solve.assignee_id as solved_by_assignee_id
from clock
left join assignee_at_solve on assignee_at_solve.case_id = clock.case_id
