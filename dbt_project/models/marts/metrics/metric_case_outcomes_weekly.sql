-- Case outcomes by ISO week of started_at and segment: rates over solved cases (Wilson
-- intervals), transfers per case and hours per phase (means, normal intervals).
{#- the phases (seed phases), in the journey's order: one hours metric each -#}
{% set phases = seed_values('phases', 'phase', 'journey_order') %}
with cases as (
    {{ with_metric_groups(ref('int_case_metric_facts'), case_dimensions()) }}
),

solved as (
    select
        week_start,
        group_dimension,
        group_value,
        count(*) as n,
        sum(resolved_by_first_owner) as resolved_by_first_owner,
        sum(first_contact_resolved) as first_contact_resolved,
        sum(reopened) as reopened,
        sum(repeat_contact) as repeat_contact
    from cases
    where is_solved
    group by week_start, group_dimension, group_value
),

transfers as (
    select
        week_start,
        group_dimension,
        group_value,
        count(*) as n,
        avg(cast(handoff_count as double)) as mean_handoffs,
        stddev_samp(cast(handoff_count as double)) as sd_handoffs
        {%- for phase in phases %},
        {{ mean_hours(phase ~ '_hours') }} as mean_{{ phase }},
        stddev_samp({{ phase }}_hours) as sd_{{ phase }}
        {%- endfor %}
    from cases
    group by week_start, group_dimension, group_value
)

{% for metric, column in [('owner_resolution_rate', 'resolved_by_first_owner'),
                          ('first_contact_resolution_rate', 'first_contact_resolved'),
                          ('reopen_rate', 'reopened'),
                          ('repeat_contact_rate', 'repeat_contact')] %}
select '{{ metric }}' as metric, week_start, group_dimension, group_value,
    {{ rate_with_interval(column, 'n') }}
from solved
union all
{% endfor %}
select 'handoffs_per_case', week_start, group_dimension, group_value,
    mean_handoffs,
    -- a count's mean cannot go below zero
    {{ normal_mean_lower('mean_handoffs', 'sd_handoffs', 'n', floor='0.0') }},
    {{ normal_mean_upper('mean_handoffs', 'sd_handoffs', 'n') }},
    n
from transfers
{% for phase in phases %}
union all
select '{{ phase }}_hours_mean', week_start, group_dimension, group_value,
    mean_{{ phase }},
    {{ normal_mean_lower('mean_' ~ phase, 'sd_' ~ phase, 'n', floor='0.0') }},
    {{ normal_mean_upper('mean_' ~ phase, 'sd_' ~ phase, 'n') }},
    n
from transfers
{% endfor %}
