-- A group's stint on a case: consecutive journey segments held by the same helpdesk group,
-- with their business hours summed, compared with the group's internal target.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with segments as (
    select * from {{ ref('fct_case_phases') }}
    where {{ changed_cases_only() }}
),

islands as (
    select
        *,
        row_number() over (partition by case_id order by segment_start)
        - row_number() over (partition by case_id, holder order by segment_start) as island
    from segments
),

stints as (
    select case_id, holder as group_name, island, min(segment_start) as stint_start, sum(business_hours) as business_hours
    from islands
    -- support groups only: not the customer, engineering or the time before the ticket
    where phase in ('first_response', 'support_investigation', 'close_the_loop')
      and holder not in ('not yet reported', 'unassigned')
    group by case_id, holder, island
),

targets as (
    select * from {{ ref('group_targets') }}
)

select
    stints.case_id,
    stints.group_name,
    stints.stint_start,
    stints.business_hours,
    coalesce(targets.target_business_hours, default_target.target_business_hours) as target_business_hours,
    case when stints.business_hours < coalesce(targets.target_business_hours, default_target.target_business_hours) then 1 else 0 end as within_target
from stints
left join targets on targets.group_name = stints.group_name
cross join (select target_business_hours from targets where group_name = '*') as default_target
