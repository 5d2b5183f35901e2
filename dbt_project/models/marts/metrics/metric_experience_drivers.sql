-- Experience against what followed (issue 24): for each outcome (renewal lost, NPS detractor)
-- and each experience driver, the outcome's rate by quartile of the driver across outcome
-- events, with its Wilson 90% interval. Quartile 1 is the best experience (the shortest
-- Time to Smile, the fewest handoffs without context, reopens, frowns); a median not reached
-- (most cases still waiting at the outcome) ranks as the longest. An outcome with no case in
-- its window, or no solved case for the frowning share, has no quartile (null): counted, not
-- dropped. Association, not cause: docs/decisions.md.
{% set drivers = ['median_time_to_smile_hours', 'handoffs_without_context_per_case', 'reopen_rate', 'frowning_share'] %}
with measured as (
    {% for driver in drivers %}
    select
        outcome_event_id,
        outcome,
        '{{ driver }}' as driver,
        has_outcome,
        {{ driver }} as driver_value,
        {%- if driver == 'median_time_to_smile_hours' %}
        cases > 0 as is_measured
        {%- else %}
        cases > 0 and {{ driver }} is not null as is_measured
        {%- endif %}
    from {{ ref('int_experience_before_outcomes') }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

ranked as (
    select outcome, driver, has_outcome, driver_value,
        -- ties broken by the event's id, so every engine cuts the quartiles alike
        ntile(4) over (partition by outcome, driver order by driver_value asc nulls last, outcome_event_id) as quartile
    from measured
    where is_measured
    union all
    select outcome, driver, has_outcome, driver_value, cast(null as integer) as quartile
    from measured
    where not is_measured
),

grouped as (
    select outcome, driver, quartile,
        min(driver_value) as driver_from,
        max(driver_value) as driver_to,
        count(*) as n,
        sum(has_outcome) as outcomes
    from ranked
    group by outcome, driver, quartile
)

select
    outcome,
    driver,
    cast(quartile as integer) as quartile,
    driver_from,
    driver_to,
    cast(outcomes as bigint) as outcomes,
    {{ rate_with_interval('outcomes', 'n') }}
from grouped
