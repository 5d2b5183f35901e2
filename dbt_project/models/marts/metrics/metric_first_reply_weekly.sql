-- Median first reply time (calendar hours from ticket creation to the first public agent
-- reply) by ISO week and segment. Cases still without a reply are censored (Kaplan-Meier).
with cases as (
    {{ with_metric_groups(ref('int_case_metric_facts'), case_dimensions()) }}
),

quantiles as (
    {{ kaplan_meier_quantiles('cases', ['week_start', 'group_dimension', 'group_value'], 'first_reply_clock_hours', 'replied',
                              {'median_hours': 0.5}) }}
)

select 'first_reply_hours_median' as metric, week_start, group_dimension, group_value,
    median_hours as value, median_hours_lower as ci_lower, median_hours_upper as ci_upper, n
from quantiles
