{{ config(meta={"dagster": {"ref": {"name": "fct_case_journey"}}}) }}

-- metrics.md: "The phase hours of a smiling case add up exactly to its Time to Smile."
-- Checked for every case against elapsed_hours (which is Time to Smile when smiling),
-- both from the segment rows and from the journey's phase columns.
with segment_totals as (
    select case_id, sum(calendar_hours) as segment_hours
    from {{ ref('fct_case_phases') }}
    group by case_id
)

select journeys.case_id, journeys.elapsed_hours, segment_totals.segment_hours
from {{ ref('fct_case_journey') }} as journeys
left join segment_totals on segment_totals.case_id = journeys.case_id
where abs(coalesce(segment_totals.segment_hours, 0) - journeys.elapsed_hours) > 1e-6
   or abs(
        journeys.first_response_hours + journeys.support_investigation_hours + journeys.engineering_hours
        + journeys.close_the_loop_hours + journeys.waiting_on_customer_hours + journeys.reopen_gap_hours
        - journeys.elapsed_hours
      ) > 1e-6
