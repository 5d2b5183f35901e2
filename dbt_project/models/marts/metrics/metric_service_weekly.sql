-- Company-centric service metrics beside the customer's, by ISO week of started_at and
-- segment: first reply in business hours and its attainment against per-priority targets,
-- average handle time, internal target attainment of the support groups, and channel adherence.
with cases as (
    {{ with_metric_groups(ref('int_case_metric_facts'), case_dimensions()) }}
),

reply_quantiles as (
    {{ kaplan_meier_quantiles('cases', ['week_start', 'group_dimension', 'group_value'], 'first_reply_business_hours', 'replied',
                              {'median_hours': 0.5}) }}
),

case_rates as (
    select
        week_start,
        group_dimension,
        group_value,
        count(met_first_reply_target) as decided_replies,
        sum(met_first_reply_target) as met_replies,
        count(used_preferred_channel) as channel_known,
        sum(used_preferred_channel) as preferred_channel,
        count(solved_handle_time_seconds) as timed_cases,
        avg(solved_handle_time_seconds) as mean_handle_time,
        stddev_samp(solved_handle_time_seconds) as sd_handle_time
    from cases
    group by week_start, group_dimension, group_value
),

stints as (
    select stints.within_target, facts.week_start, facts.segment, facts.persona, facts.channel, facts.priority, facts.lifecycle_stage
    from {{ ref('int_group_stints') }} as stints
    inner join {{ ref('int_case_metric_facts') }} as facts on facts.case_id = stints.case_id
),

stint_rates as (
    select week_start, group_dimension, group_value, count(*) as n, sum(within_target) as within_target
    from ({{ with_metric_groups('stints', case_dimensions()) }}) as segmented
    group by week_start, group_dimension, group_value
)

select 'first_reply_business_hours_median' as metric, week_start, group_dimension, group_value,
    median_hours as value, median_hours_lower as ci_lower, median_hours_upper as ci_upper, n
from reply_quantiles
union all
select 'first_reply_target_attainment', week_start, group_dimension, group_value,
    {{ rate_with_interval('met_replies', 'decided_replies') }}
from case_rates where decided_replies > 0
union all
select 'channel_adherence_rate', week_start, group_dimension, group_value,
    {{ rate_with_interval('preferred_channel', 'channel_known') }}
from case_rates where channel_known > 0
union all
select 'handle_time_mean_seconds', week_start, group_dimension, group_value,
    mean_handle_time,
    {{ normal_mean_lower('mean_handle_time', 'sd_handle_time', 'timed_cases', floor='0.0') }},
    {{ normal_mean_upper('mean_handle_time', 'sd_handle_time', 'timed_cases') }},
    timed_cases
from case_rates where timed_cases > 0
union all
select 'internal_target_attainment', week_start, group_dimension, group_value,
    {{ rate_with_interval('within_target', 'n') }}
from stint_rates
