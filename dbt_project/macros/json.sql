{#- Reading the vendors' JSON text (`record`, kept in every raw table beside the typed columns).
    The load has parsed every field staging needs into typed columns (raw_columns.sql), so
    these are for the rare read the columns cannot answer: the JSON type of a value the load
    could not type as declared, or a field no schema names yet (declare it in
    source_collections.SCHEMAS to have it typed at load instead). They dispatch so another
    adapter can supply its own JSON functions without touching the models. -#}

{% macro json_text(column, path) -%}
    {{ return(adapter.dispatch('json_text', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_text(column, path) -%}
    json_extract_string({{ column }}, '$.{{ path }}')
{%- endmacro %}

{#- The JSON type at `path` ('ARRAY', 'OBJECT', 'VARCHAR', 'NULL', ...); null when absent. -#}
{% macro json_value_type(column, path) -%}
    {{ return(adapter.dispatch('json_value_type', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_value_type(column, path) -%}
    json_type({{ column }}, '$.{{ path }}')
{%- endmacro %}
