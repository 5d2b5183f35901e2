-- Churn by ISO week of the renewal's close: renewal opportunities closed lost / renewals
-- closed (Wilson), by the account's segment.
with renewals as (
    select
        cast({{ dbt.date_trunc('week', 'opportunities.close_date') }} as date) as week_start,
        accounts.segment,
        case when opportunities.is_won then 0 else 1 end as churned
    from {{ ref('stg_salesforce__opportunities') }} as opportunities
    left join {{ ref('stg_salesforce__accounts') }} as accounts on accounts.account_id = opportunities.account_id
    where opportunities.opportunity_type = 'Renewal' and opportunities.is_closed
),

grouped as (
    select week_start, group_dimension, group_value, count(*) as n, sum(churned) as churned
    from ({{ with_metric_groups('renewals', ['segment']) }}) as segmented
    group by week_start, group_dimension, group_value
)

select 'churn_rate' as metric, week_start, group_dimension, group_value,
    {{ rate_with_interval('churned', 'n') }}
from grouped
