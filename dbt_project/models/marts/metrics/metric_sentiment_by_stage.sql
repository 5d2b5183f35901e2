-- Sentiment per stage per case (metrics.md): positive and negative end-user comments
-- written while the account was in each lifecycle stage, divided by the cases attributed
-- to that stage (the account's stage at the case's started_at), by segment and for All.
with comments as (
    select lifecycle_stage, segment, sentiment from {{ ref('fct_comment_sentiment') }}
),

cases as (
    select lifecycle_stage, segment from {{ ref('fct_case_journey') }}
),

comment_counts as (
    select lifecycle_stage, group_value, count(*) as comments,
        sum(case when sentiment = 'positive' then 1 else 0 end) as positive_comments,
        sum(case when sentiment = 'negative' then 1 else 0 end) as negative_comments
    from ({{ with_metric_groups('comments') }}) as segmented
    group by lifecycle_stage, group_value
),

case_counts as (
    select lifecycle_stage, group_value, count(*) as cases
    from ({{ with_metric_groups('cases') }}) as segmented
    group by lifecycle_stage, group_value
)

select
    coalesce(case_counts.lifecycle_stage, comment_counts.lifecycle_stage) as lifecycle_stage,
    coalesce(case_counts.group_value, comment_counts.group_value) as segment,
    cast(coalesce(case_counts.cases, 0) as bigint) as cases,
    cast(coalesce(comment_counts.comments, 0) as bigint) as comments,
    cast(coalesce(comment_counts.positive_comments, 0) as bigint) as positive_comments,
    cast(coalesce(comment_counts.negative_comments, 0) as bigint) as negative_comments,
    cast(comment_counts.positive_comments as double) / nullif(case_counts.cases, 0) as positive_comments_per_case,
    cast(comment_counts.negative_comments as double) / nullif(case_counts.cases, 0) as negative_comments_per_case,
    -- comments per case is a rate of counts: 90% interval from the normal approximation
    -- to the Poisson count, (k -/+ z sqrt(k)) / cases, floored at 0
    greatest(0.0, (comment_counts.positive_comments - {{ z90() }} * sqrt(comment_counts.positive_comments)) / nullif(case_counts.cases, 0)) as positive_per_case_ci_lower,
    (comment_counts.positive_comments + {{ z90() }} * sqrt(comment_counts.positive_comments)) / nullif(case_counts.cases, 0) as positive_per_case_ci_upper,
    greatest(0.0, (comment_counts.negative_comments - {{ z90() }} * sqrt(comment_counts.negative_comments)) / nullif(case_counts.cases, 0)) as negative_per_case_ci_lower,
    (comment_counts.negative_comments + {{ z90() }} * sqrt(comment_counts.negative_comments)) / nullif(case_counts.cases, 0) as negative_per_case_ci_upper
from case_counts
full outer join comment_counts
    on comment_counts.lifecycle_stage is not distinct from case_counts.lifecycle_stage
    and comment_counts.group_value = case_counts.group_value
