-- The share of handoffs that carried context, by ISO week of the case's started_at and segment (Wilson).
with handoffs as (
    select handoffs.carried_context, facts.week_start, facts.segment, facts.persona, facts.channel, facts.priority, facts.lifecycle_stage
    from {{ ref('fct_handoffs') }} as handoffs
    inner join {{ ref('int_case_metric_facts') }} as facts on facts.case_id = handoffs.case_id
),

grouped as (
    select week_start, group_dimension, group_value, count(*) as n,
        sum(case when carried_context then 1 else 0 end) as with_context
    from ({{ with_metric_groups('handoffs', case_dimensions()) }}) as segmented
    group by week_start, group_dimension, group_value
)

select 'handoff_context_rate' as metric, week_start, group_dimension, group_value,
    {{ rate_with_interval('with_context', 'n') }}
from grouped
