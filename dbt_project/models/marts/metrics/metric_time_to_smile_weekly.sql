-- Time to Smile median and p90 by ISO week of started_at and segment, by Kaplan-Meier:
-- open and frowning cases are censored, never dropped and never counted as smiles.
with cases as (
    {{ with_metric_groups(ref('int_case_metric_facts'), case_dimensions()) }}
),

quantiles as (
    {{ kaplan_meier_quantiles('cases', ['week_start', 'group_dimension', 'group_value'], 'smile_clock_hours', 'smiled',
                              {'median_hours': 0.5, 'p90_hours': 0.9}) }}
)

select 'time_to_smile_median_hours' as metric, week_start, group_dimension, group_value,
    median_hours as value, median_hours_lower as ci_lower, median_hours_upper as ci_upper, n
from quantiles
union all
select 'time_to_smile_p90_hours', week_start, group_dimension, group_value,
    p90_hours, p90_hours_lower, p90_hours_upper, n
from quantiles
