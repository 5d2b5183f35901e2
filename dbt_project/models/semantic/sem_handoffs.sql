{{ config(materialized='view') }}
-- fct_handoffs with its case's started_at, for the semantic layer: marts.metric_weekly puts a
-- handoff in the ISO week of its case's started_at, so MetricFlow's metric_time for handoffs
-- must be that too (one name, one computation). handoff_at stays a dimension.
select
    handoffs.handoff_id,
    handoffs.case_id,
    journeys.started_at as case_started_at,
    handoffs.handoff_at,
    handoffs.carried_context,
    handoffs.to_engineering,
    handoffs.handoff_source,
    handoffs.from_group,
    handoffs.to_group
from {{ ref('fct_handoffs') }} as handoffs
inner join {{ ref('fct_case_journey') }} as journeys on journeys.case_id = handoffs.case_id
