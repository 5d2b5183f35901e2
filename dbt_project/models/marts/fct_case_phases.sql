-- Where the customer's time went: one row per journey segment, with its phase,
-- holder, calendar hours and business hours under the helpdesk's default schedule.
-- Incremental per case (docs/incremental.md). A published contract: a new column comes with
-- a new project version, which rebuilds in full, so a schema change here is a bug (fail).
{{ incremental_per_case() }}

with phases as (
    select * from {{ ref('int_case_phases_assigned') }}
    where {{ changed_cases_only() }}
),

windows as (
    select * from {{ ref('int_business_hours_windows') }}
),

business as (
    select
        phases.case_id,
        phases.segment_start,
        sum({{ hours_between(
            'case when windows.window_start > phases.segment_start then windows.window_start else phases.segment_start end',
            'case when windows.window_end < phases.segment_end then windows.window_end else phases.segment_end end'
        ) }}) as business_hours
    from phases
    inner join windows
        on windows.window_start < phases.segment_end
        and windows.window_end > phases.segment_start
    group by phases.case_id, phases.segment_start
)

select
    phases.case_id,
    phases.segment_start,
    phases.segment_end,
    phases.phase,
    phases.holder,
    phases.calendar_hours,
    coalesce(business.business_hours, 0) as business_hours,
    phases.status,
    phases.group_id,
    {{ pseudonym('phases.assignee_id') }} as assignee_id
from phases
left join business
    on business.case_id = phases.case_id
    and business.segment_start = phases.segment_start
