-- The customer's own voice by ISO week in which it was given: CSAT = good / (good + bad)
-- satisfaction ratings (Wilson), NPS = % promoters (9-10) - % detractors (0-6) of survey
-- responses, -100..100, with a normal interval on the mean of +1/0/-1 scores.
with ratings as (
    select
        cast({{ dbt.date_trunc('week', 'coalesce(ratings.updated_at, ratings.created_at)') }} as date) as week_start,
        journeys.segment,
        case when ratings.score = 'good' then 1 else 0 end as is_good
    from {{ ref('stg_zendesk__satisfaction_ratings') }} as ratings
    inner join {{ ref('fct_case_journey') }} as journeys on journeys.case_id = ratings.ticket_id
    where ratings.score in ('good', 'bad')
),

csat as (
    select week_start, group_dimension, group_value, count(*) as n, sum(is_good) as good
    from ({{ with_metric_groups('ratings', ['segment']) }}) as segmented
    group by week_start, group_dimension, group_value
),

responses as (
    select
        cast({{ dbt.date_trunc('week', 'responses.responded_at') }} as date) as week_start,
        accounts.segment,
        case when responses.score >= 9 then 1 when responses.score <= 6 then -1 else 0 end as nps_score
    from {{ ref('stg_salesforce__nps_responses') }} as responses
    left join {{ ref('stg_salesforce__accounts') }} as accounts on accounts.account_id = responses.account_id
    where responses.score between 0 and 10
),

nps as (
    select week_start, group_dimension, group_value, count(*) as n,
        avg(cast(nps_score as double)) as mean_score,
        avg(cast(nps_score * nps_score as double)) as mean_square
    from ({{ with_metric_groups('responses', ['segment']) }}) as segmented
    group by week_start, group_dimension, group_value
)

select 'csat' as metric, week_start, group_dimension, group_value,
    {{ rate_with_interval('good', 'n') }}
from csat
union all
select 'nps', week_start, group_dimension, group_value,
    100 * mean_score,
    greatest(-100, 100 * (mean_score - {{ z90() }} * sqrt((mean_square - mean_score * mean_score) / n))),
    least(100, 100 * (mean_score + {{ z90() }} * sqrt((mean_square - mean_score * mean_score) / n))),
    n
from nps
