{#- A domain list's values, read from its seed (seeds/_seeds.yml: channels, phases, segments,
    lifecycle_stages), for Jinja loops that write one column or one metric per value, e.g.
    {% set phases = seed_values('phases', 'phase', 'journey_order') %}.
    The ref is taken at parse time too, so the seed is built before the model; the values
    are read when the model runs (empty while dbt only parses). -#}
{% macro seed_values(seed_name, column, order_by) -%}
    {%- set relation = ref(seed_name) -%}
    {%- if execute -%}
        {%- set result = run_query('select ' ~ column ~ ' from ' ~ relation ~ ' order by ' ~ order_by) -%}
        {{- return(result.columns[0].values() | list) -}}
    {%- else -%}
        {{- return([]) -}}
    {%- endif -%}
{%- endmacro %}
