{#- A Python/YAML string as a SQL string literal: DuckDB doubles a quote; Spark SQL escapes
    quotes and backslashes with a backslash and does not accept a doubled quote (stack.md). -#}
{% macro sql_literal(text) -%}
    {{ return(adapter.dispatch('sql_literal', 'time_to_smile')(text)) }}
{%- endmacro %}
{% macro default__sql_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}
{% macro spark__sql_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
