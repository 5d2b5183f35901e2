{#- A Python/YAML string as a SQL string literal. -#}
{% macro sql_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
