-- Internal target attainment per helpdesk group (metrics.md, company): the share of the
-- group's stints on cases started in the ISO week that stayed under the group's target.
-- Shown beside Time to Smile: each group can be green while the customer waits.
with stints as (
    select stints.group_name, stints.within_target, stints.target_business_hours, facts.week_start
    from {{ ref('int_group_stints') }} as stints
    inner join {{ ref('int_case_metric_facts') }} as facts on facts.case_id = stints.case_id
),

grouped as (
    select week_start, group_name, max(target_business_hours) as target_business_hours,
        count(*) as n, sum(within_target) as within_target
    from stints
    group by week_start, group_name
)

select
    week_start,
    group_name,
    cast(target_business_hours as double) as target_business_hours,
    {{ rate_with_interval('within_target', 'cast(n as bigint)') }}
from grouped
