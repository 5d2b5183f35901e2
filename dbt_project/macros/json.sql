{#- Reading the vendors' JSON. Staging is the only layer that parses raw records;
    these macros dispatch so another adapter can supply its own JSON functions
    (e.g. postgres__json_text using ->>) without touching the models. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{% macro json_array(column, path) -%}
    {{ return(adapter.dispatch('json_array', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{#- Not an array (or absent): empty, so one malformed record cannot fail a whole model. -#}
{% macro default__json_array(column, path) -%}
    coalesce(try_cast(json_extract({{ column }}, '$.{{ path }}') as json[]), cast([] as json[]))
{%- endmacro %}

{#- One output row per element of a JSON array: use in a select list. -#}
{% macro json_array_elements(column, path) -%}
    {{ return(adapter.dispatch('json_array_elements', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_array_elements(column, path) -%}
    unnest({{ json_array(column, path) }})
{%- endmacro %}

{#- One output row per element of a JSON array of objects, as a struct of the named fields
    read as text (nested values as their JSON text, as json_text gives them): one parse of
    the array, however many fields are read. Use in a select list. -#}
{% macro json_array_records(column, path, fields) -%}
    {{ return(adapter.dispatch('json_array_records', 'time_to_smile')(column, path, fields)) }}
{%- endmacro %}
{% macro default__json_array_records(column, path, fields) -%}
    {%- set members = [] -%}
    {%- for field in fields -%}{%- do members.append('"' ~ field ~ '": "VARCHAR"') -%}{%- endfor -%}
    {%- set shape = '[{' ~ members | join(', ') ~ '}]' -%}
    unnest(coalesce(json_transform(json_extract({{ column }}, '$.{{ path }}'), '{{ shape }}'), []))
{%- endmacro %}

{% macro json_array_contains_text(column, path, value) -%}
    {{ return(adapter.dispatch('json_array_contains_text', 'time_to_smile')(column, path, value)) }}
{%- endmacro %}
{% macro default__json_array_contains_text(column, path, value) -%}
    coalesce(json_contains(json_extract({{ column }}, '$.{{ path }}'), '"{{ value }}"'), false)
{%- endmacro %}

{#- The JSON type at `path` ('ARRAY', 'OBJECT', 'VARCHAR', 'NULL', ...); null when absent. -#}
{% macro json_value_type(column, path) -%}
    {{ return(adapter.dispatch('json_value_type', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_value_type(column, path) -%}
    json_type({{ column }}, '$.{{ path }}')
{%- endmacro %}

{#- True when the value at `path` is a JSON array (null when absent). -#}
{% macro json_is_array(column, path) -%}
    {{ json_value_type(column, path) }} = 'ARRAY'
{%- endmacro %}
