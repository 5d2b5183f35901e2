-- The metric catalogue, generated from the meta.metrics entries of the metric models' YAML.
{%- set entries = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() | sort(attribute='name') if node.resource_type == 'model' -%}
        {%- for metric in node.config.meta.get('metrics', []) -%}
            {%- do entries.append((metric, node.name)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}

{% if entries %}
{% for metric, model in entries %}
select
    cast({{ sql_literal(metric['name']) }} as {{ dbt.type_string() }}) as metric,
    cast({{ sql_literal(metric['definition']) }} as {{ dbt.type_string() }}) as definition,
    cast({{ sql_literal(metric['perspective']) }} as {{ dbt.type_string() }}) as perspective,
    cast({{ sql_literal(metric['unit']) }} as {{ dbt.type_string() }}) as unit,
    cast({{ sql_literal(metric.get('grain', 'ISO week x segment')) }} as {{ dbt.type_string() }}) as grain,
    cast({{ sql_literal(model) }} as {{ dbt.type_string() }}) as model
{% if not loop.last %}union all{% endif %}
{% endfor %}
{% else %}
-- parse time: the graph is not available yet
select
    cast(null as {{ dbt.type_string() }}) as metric, cast(null as {{ dbt.type_string() }}) as definition,
    cast(null as {{ dbt.type_string() }}) as perspective, cast(null as {{ dbt.type_string() }}) as unit,
    cast(null as {{ dbt.type_string() }}) as grain, cast(null as {{ dbt.type_string() }}) as model
where 1 = 0
{% endif %}
