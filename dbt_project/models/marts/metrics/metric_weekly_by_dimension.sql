-- The case metrics of metric_weekly cut by the other case dimensions: persona, channel,
-- priority and lifecycle stage (the account's stage at started_at). Same computations,
-- other groups: metric, week_start, dimension, dimension_value, value, 90% interval, n.
{% set case_metric_models = ['metric_time_to_smile_weekly', 'metric_first_reply_weekly', 'metric_case_outcomes_weekly',
                             'metric_handoff_context_weekly', 'metric_service_weekly'] %}
with unioned as (
    {{ union_metric_models(case_metric_models, "group_dimension <> 'segment'") }}
)

select
    cast(metric as {{ dbt.type_string() }}) as metric,
    cast(week_start as date) as week_start,
    cast(group_dimension as {{ dbt.type_string() }}) as dimension,
    cast(group_value as {{ dbt.type_string() }}) as dimension_value,
    cast(value as double) as value,
    cast(ci_lower as double) as ci_lower,
    cast(ci_upper as double) as ci_upper,
    cast(n as bigint) as n
from unioned
-- channel adherence by channel says nothing: a channel is either preferred or not
where not (metric = 'channel_adherence_rate' and group_dimension = 'channel')
