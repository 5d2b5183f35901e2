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
{% macro spark__json_text(column, path) -%}
    get_json_object({{ column }}, '$.{{ path }}')
{%- endmacro %}

{#- The JSON type at `path` ('ARRAY', 'OBJECT', 'VARCHAR', 'NULL', ...); null when absent. -#}
{% macro json_value_type(column, path) -%}
    {{ return(adapter.dispatch('json_value_type', 'time_to_smile')(column, path)) }}
{%- endmacro %}
{% macro default__json_value_type(column, path) -%}
    json_type({{ column }}, '$.{{ path }}')
{%- endmacro %}
{#- Spark has no JSON type function: an array or an object is told by parsing the value's
    text as one; any other present value is a scalar ('VARCHAR', which is all a caller needs
    to say "not an array"). A JSON null and an absent key are both null here, where DuckDB
    says 'NULL' for the first: callers treat the two alike. -#}
{% macro spark__json_value_type(column, path) -%}
    case when get_json_object({{ column }}, '$.{{ path }}') is null then null
         when json_array_length(get_json_object({{ column }}, '$.{{ path }}')) is not null then 'ARRAY'
         when json_object_keys(get_json_object({{ column }}, '$.{{ path }}')) is not null then 'OBJECT'
         else 'VARCHAR' end
{%- endmacro %}
