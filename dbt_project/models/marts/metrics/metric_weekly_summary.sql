-- The weekly executive summary: each headline metric for the whole company, this week
-- against last week, with the 8-week trend. "This week" is the last full ISO week before
-- the as-of time, or, when that week had fewer than var('min_sample') cases started (a
-- quiet week, or data that stopped arriving), the latest full week that had enough. A move is flagged only when the two weeks' 90% intervals do not overlap, so a
-- change inside the noise never looks like news.
{% set headline = ['time_to_smile_median_hours', 'time_to_smile_p90_hours', 'handoffs_per_case', 'handoff_context_rate',
                   'owner_resolution_rate', 'first_contact_resolution_rate', 'first_reply_hours_median', 'csat', 'nps',
                   'churn_rate', 'internal_target_attainment'] %}
with latest_full_week as (
    select cast({{ dbt.dateadd('day', -7, dbt.date_trunc('week', 'as_of')) }} as date) as week_start
    from {{ ref('int_run_context') }}
),

headline as (
    select metric_weekly.*
    from {{ ref('metric_weekly') }} as metric_weekly
    where segment = 'All'
      and metric in ({% for m in headline %}'{{ m }}'{% if not loop.last %}, {% endif %}{% endfor %})
),

cases_by_week as (
    select week_start, n as cases
    from headline
    where metric = 'time_to_smile_median_hours'
),

chosen as (
    select
        latest_full_week.week_start as latest_full_week,
        coalesce(
            (select max(cases_by_week.week_start) from cases_by_week
             where cases_by_week.week_start <= latest_full_week.week_start
               and cases_by_week.cases >= {{ var('min_sample') }}),
            latest_full_week.week_start
        ) as this_week
    from latest_full_week
),

weeks as (
    select
        latest_full_week,
        this_week,
        cast({{ dbt.dateadd('day', -7, 'this_week') }} as date) as last_week,
        cast({{ dbt.dateadd('day', -49, 'this_week') }} as date) as trend_start
    from chosen
),

metrics as (
    {% for m in headline %}
    select '{{ m }}' as metric{% if not loop.last %} union all{% endif %}
    {% endfor %}
),

trend as (
    select headline.metric, avg(headline.value) as trend_mean, count(headline.value) as trend_weeks
    from headline
    cross join weeks
    where headline.week_start >= weeks.trend_start and headline.week_start <= weeks.this_week
    group by headline.metric
)

select
    metrics.metric,
    weeks.this_week as week_start,
    this_week.value,
    this_week.ci_lower,
    this_week.ci_upper,
    this_week.n,
    last_week.value as last_week_value,
    last_week.ci_lower as last_week_ci_lower,
    last_week.ci_upper as last_week_ci_upper,
    last_week.n as last_week_n,
    this_week.value - last_week.value as change,
    trend.trend_mean as eight_week_mean,
    cast(coalesce(trend.trend_weeks, 0) as bigint) as eight_week_count,
    coalesce(
        this_week.ci_lower > last_week.ci_upper or this_week.ci_upper < last_week.ci_lower,
        false
    ) as is_significant_move,
    weeks.latest_full_week,
    cast(coalesce(latest_cases.cases, 0) as bigint) as latest_full_week_cases
from metrics
cross join weeks
left join cases_by_week as latest_cases on latest_cases.week_start = weeks.latest_full_week
left join headline as this_week on this_week.metric = metrics.metric and this_week.week_start = weeks.this_week
left join headline as last_week on last_week.metric = metrics.metric and last_week.week_start = weeks.last_week
left join trend on trend.metric = metrics.metric
