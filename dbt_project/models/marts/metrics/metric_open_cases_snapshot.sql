-- White glove and escalation (metrics.md), as of the run: open cases, open cases of
-- white-glove accounts, and cases now in the engineering phase, by segment and for All.
with open_cases as (
    select
        journeys.case_id,
        journeys.segment,
        coalesce(accounts.is_white_glove, false) as is_white_glove,
        last_segment.phase = 'engineering' as is_in_engineering
    from {{ ref('fct_case_journey') }} as journeys
    left join {{ ref('stg_salesforce__accounts') }} as accounts on accounts.account_id = journeys.account_id
    left join (
        select case_id, phase,
            row_number() over (partition by case_id order by segment_start desc) as recency
        from {{ ref('fct_case_phases') }}
    ) as last_segment on last_segment.case_id = journeys.case_id and last_segment.recency = 1
    where journeys.smile_status = 'open'
)

select
    group_value as segment,
    cast(count(*) as bigint) as open_cases,
    cast(sum(case when is_white_glove then 1 else 0 end) as bigint) as white_glove_open_cases,
    cast(sum(case when is_in_engineering then 1 else 0 end) as bigint) as cases_in_engineering_now
from ({{ with_metric_groups('open_cases') }}) as segmented
group by group_value
