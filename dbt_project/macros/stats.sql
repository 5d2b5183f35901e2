{#- Uncertainty for every published figure (metrics.md "Uncertainty"): 90% intervals.
    z = the 95th percentile of the standard normal, so [lower, upper] holds 90%. -#}
{% macro z90() -%} 1.6448536269514722 {%- endmacro %}

{#- Wilson score interval for successes out of n; null when n = 0. -#}
{% macro wilson_lower(successes, n) -%}
    case when {{ n }} > 0 then
        ((cast({{ successes }} as double) / {{ n }}) + {{ z90() }} * {{ z90() }} / (2.0 * {{ n }})
         - {{ z90() }} * sqrt((cast({{ successes }} as double) / {{ n }}) * (1 - cast({{ successes }} as double) / {{ n }}) / {{ n }}
                             + {{ z90() }} * {{ z90() }} / (4.0 * {{ n }} * {{ n }})))
        / (1 + {{ z90() }} * {{ z90() }} / {{ n }})
    end
{%- endmacro %}
{% macro wilson_upper(successes, n) -%}
    case when {{ n }} > 0 then
        ((cast({{ successes }} as double) / {{ n }}) + {{ z90() }} * {{ z90() }} / (2.0 * {{ n }})
         + {{ z90() }} * sqrt((cast({{ successes }} as double) / {{ n }}) * (1 - cast({{ successes }} as double) / {{ n }}) / {{ n }}
                             + {{ z90() }} * {{ z90() }} / (4.0 * {{ n }} * {{ n }})))
        / (1 + {{ z90() }} * {{ z90() }} / {{ n }})
    end
{%- endmacro %}

{#- Kaplan-Meier quantiles per group, with a distribution-free interval.

    `relation` has the group columns, `time_col` (hours) and `event_col` (1 = the event
    happened at that time, 0 = censored then). For each quantile q the estimate is the
    smallest event time t with S(t) <= 1 - q (events before censorings at equal times),
    null when the curve never gets there. The 90% interval reads the same curve at
    q -/+ z * sqrt(q (1 - q) / n): without censoring that is exactly the binomial
    order-statistic interval (ranks n q -/+ z sqrt(n q (1 - q))) for the q-quantile;
    with censoring it keeps that width, using n = all cases in the group.

    Returns one row per group: the group columns, n, n_events and, per quantile name,
    <name>, <name>_lower, <name>_upper. -#}
{% macro kaplan_meier_quantiles(relation, group_cols, time_col, event_col, quantiles) -%}
{%- set groups = group_cols | join(', ') -%}
{#- The curve is a running sum within each group. DuckDB computes a running sum over one
    order of all rows (groups numbered, then time) about twice as fast as the same sum
    partitioned by group (1.0 s against 2.2 s over the 5.4M rows of a weekly mart at 1M
    tickets; the whole mart 13-21% faster), so each group's running sum is the global one
    minus what the groups numbered before it hold. A group column may be null (a group of its own).
    The log steps are summed as decimals, which add exactly, so that subtraction loses
    nothing; rounding each step to 18 places moves S by far less than the 1e-9 below. -#}
with km_times as (
    select {{ groups }}, {{ time_col }} as km_time,
        sum({{ event_col }}) as km_events, count(*) as km_rows
    from {{ relation }}
    where {{ time_col }} is not null
    group by {{ groups }}, {{ time_col }}
),

km_groups as (
    select {{ groups }},
        row_number() over (order by {{ groups }}) as km_group,
        sum(km_rows) as km_n,
        sum(km_events) as km_n_events,
        -- the rows of this group and of every group numbered before it
        sum(sum(km_rows)) over (order by {{ groups }} rows between unbounded preceding and current row) as km_rows_through
    from km_times
    group by {{ groups }}
),

km_risk as (
    select km_groups.km_group, km_times.km_time, km_times.km_events,
        -- at risk at km_time: the group's rows at km_time or later
        {{ km_at_risk() }} as km_at_risk
    from km_times
    inner join km_groups
        on {% for col in group_cols %}km_times.{{ col }} is not distinct from km_groups.{{ col }}{% if not loop.last %} and {% endif %}{% endfor %}
),

km_steps as (
    select *,
        -- the survival product as a sum of logs; a step that ends all risk sends S to 0
        cast(case
                 when km_events = 0 then 0.0
                 when km_events >= km_at_risk then -1000.0
                 else ln(1.0 - cast(km_events as double) / km_at_risk)
             end as decimal(38, 18)) as km_log_step
    from km_risk
),

{{ km_curve_ctes() }}

select
    {%- for col in group_cols %}
    km_groups.{{ col }},
    {%- endfor %}
    max(km_groups.km_n) as n,
    max(km_groups.km_n_events) as n_events
    {%- for name, q in quantiles.items() %},
    min(case when km_events > 0 and km_survival <= 1 - {{ q }} + 1e-9 then km_time end) as {{ name }},
    min(case when km_events > 0 and km_survival <= 1 - ({{ q }} - {{ z90() }} * sqrt({{ q }} * (1 - {{ q }}) / km_groups.km_n)) + 1e-9 then km_time end) as {{ name }}_lower,
    min(case when km_events > 0 and km_survival <= 1 - ({{ q }} + {{ z90() }} * sqrt({{ q }} * (1 - {{ q }}) / km_groups.km_n)) + 1e-9 then km_time end) as {{ name }}_upper
    {%- endfor %}
from km_curve
inner join km_groups using (km_group)
group by {% for col in group_cols %}km_groups.{{ col }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}

{#- The two running sums of kaplan_meier_quantiles. DuckDB: one order over all rows, each
    group's sum being the global one minus what the groups before it hold (see above). Spark
    runs a window with no `partition by` in one task (stack.md), so there each group's sums
    are windows partitioned by the group: the same numbers, spread over the cluster. -#}
{% macro km_at_risk() -%}
    {{ return(adapter.dispatch('km_at_risk', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__km_at_risk() -%}
    km_groups.km_rows_through + km_times.km_rows
            - sum(km_times.km_rows) over (order by km_groups.km_group, km_times.km_time
                                          rows between unbounded preceding and current row)
{%- endmacro %}
{% macro spark__km_at_risk() -%}
    sum(km_times.km_rows) over (partition by km_groups.km_group order by km_times.km_time desc
                                rows between unbounded preceding and current row)
{%- endmacro %}

{#- km_curve: km_steps with km_survival, S(t) of its group at km_time. -#}
{% macro km_curve_ctes() -%}
    {{ return(adapter.dispatch('km_curve_ctes', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__km_curve_ctes() -%}
km_logs_before as (
    select km_group,
        coalesce(sum(sum(km_log_step)) over (order by km_group rows between unbounded preceding and 1 preceding), 0) as km_log_before
    from km_steps
    group by km_group
),

km_curve as (
    select km_steps.*,
        exp(cast(sum(km_steps.km_log_step) over (order by km_steps.km_group, km_steps.km_time
                                                 rows between unbounded preceding and current row)
                 - km_logs_before.km_log_before as double)) as km_survival
    from km_steps
    inner join km_logs_before using (km_group)
)
{%- endmacro %}
{% macro spark__km_curve_ctes() -%}
km_curve as (
    select km_steps.*,
        exp(cast(sum(km_log_step) over (partition by km_group order by km_time
                                        rows between unbounded preceding and current row) as double)) as km_survival
    from km_steps
)
{%- endmacro %}

{#- The groups a metric is cut by: each row once per (group_dimension, group_value).
    `segment` also gets a row 'All' (the whole company); a missing value is 'Unknown'.
    metric_weekly keeps the segment groups; metric_weekly_by_dimension publishes all. -#}
{% macro with_metric_groups(relation, dimensions=['segment']) -%}
    {%- for dimension in dimensions %}
    select *, '{{ dimension }}' as group_dimension, coalesce(cast({{ dimension }} as {{ dbt.type_string() }}), 'Unknown') as group_value
    from {{ relation }}
    union all
    {%- endfor %}
    select *, 'segment' as group_dimension, 'All' as group_value from {{ relation }}
{%- endmacro %}

{#- The case dimensions metrics are cut by. -#}
{% macro case_dimensions() -%}
    {{ return(['segment', 'persona', 'channel', 'priority', 'lifecycle_stage']) }}
{%- endmacro %}

{#- The mean of hours, the same whatever order the rows arrive in: a floating-point sum
    depends on its order, and the rows of a table built by parallel threads come in any
    order, so `avg` could publish 48.652812 one run and 48.652813 the next from the same
    cases. The hours are summed as whole milliseconds (exact in an integer sum), so the
    mean is one division, and every run and engine gives the same value. -#}
{% macro mean_hours(hours) -%}
    sum(cast(round({{ hours }} * 3600000) as bigint)) / cast(count({{ hours }}) as double) / 3600000.0
{%- endmacro %}

{#- Normal-approximation interval on a mean: null when the spread is unknown (n < 2).
    `floor` bounds the lower end for quantities that cannot go below it (counts, durations). -#}
{% macro normal_mean_lower(mean, sd, n, floor=none) -%}
    case when {{ sd }} is not null then
        {% if floor is not none %}greatest({{ floor }}, {% endif %}{{ mean }} - {{ z90() }} * {{ sd }} / sqrt({{ n }}){% if floor is not none %}){% endif %}
    end
{%- endmacro %}
{% macro normal_mean_upper(mean, sd, n) -%}
    case when {{ sd }} is not null then {{ mean }} + {{ z90() }} * {{ sd }} / sqrt({{ n }}) end
{%- endmacro %}

{#- A rate's published columns: value = successes / n, its 90% Wilson interval, and n. -#}
{% macro rate_with_interval(successes, n) -%}
    cast({{ successes }} as double) / {{ n }} as value,
    {{ wilson_lower(successes, n) }} as ci_lower,
    {{ wilson_upper(successes, n) }} as ci_upper,
    {{ n }} as n
{%- endmacro %}

{#- The rows of several metric models for some of their groups, in the long shape. -#}
{% macro union_metric_models(models, where) -%}
    {% for model in models %}
    select metric, week_start, group_dimension, group_value, value, ci_lower, ci_upper, n
    from {{ ref(model) }}
    where {{ where }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- endmacro %}
