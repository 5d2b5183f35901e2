-- Every weekly metric in one long table for the app and analysts (interface.md):
-- metric, week_start (Monday), segment ('All' = the whole company), value, 90% interval, n.
-- The cuts by persona, channel, priority and lifecycle stage are in metric_weekly_by_dimension.
{% set metric_models = ['metric_time_to_smile_weekly', 'metric_first_reply_weekly', 'metric_case_outcomes_weekly',
                        'metric_handoff_context_weekly', 'metric_voice_weekly', 'metric_churn_weekly',
                        'metric_service_weekly'] %}
with unioned as (
    select metric, week_start, group_value as segment, value, ci_lower, ci_upper, n
    from ({{ union_metric_models(metric_models, "group_dimension = 'segment'") }}) as segment_rows
)

select
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(week_start as date) as week_start,
    cast(segment as {{ dbt.type_string() }}) as segment,
    cast(value as double) as value,
    cast(ci_lower as double) as ci_lower,
    cast(ci_upper as double) as ci_upper,
    cast(n as bigint) as n
from unioned
