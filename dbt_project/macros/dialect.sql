{#- Small expressions DuckDB and Spark SQL spell differently (issue 23, docs/scale-out.md).
    Each dispatches, so a model names what it means and the engine supplies the spelling:
    the default is DuckDB's, `spark__` is Spark SQL's. Spark runs with ANSI mode off (dbt-spark
    sets it), so its casts that fail are nulls as DuckDB's try_cast are; a Spark string literal
    treats a backslash as an escape, so a regular expression's backslashes are doubled there. -#}

{#- Every column of a relation (or of the select's input) but `columns`: a select-list entry. -#}
{% macro star_except(columns, relation='') -%}
    {{ return(adapter.dispatch('star_except', 'time_to_smile')(columns, relation)) }}
{%- endmacro %}
{% macro default__star_except(columns, relation='') -%}
    {{ relation ~ '.' if relation }}* exclude ({{ columns | join(', ') }})
{%- endmacro %}
{% macro spark__star_except(columns, relation='') -%}
    {{ relation ~ '.' if relation }}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- Every match of `pattern` (a regular expression, as text) replaced by `replacement`. -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'time_to_smile')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ sql_literal(pattern) }}, {{ sql_literal(replacement) }}, 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ sql_literal(pattern) }}, {{ sql_literal(replacement) }})
{%- endmacro %}

{#- A timestamp as 'YYYY-MM-DD HH:MM:SS' text, for a reason a person reads. -#}
{% macro timestamp_text(timestamp) -%}
    {{ return(adapter.dispatch('timestamp_text', 'time_to_smile')(timestamp)) }}
{%- endmacro %}
{% macro default__timestamp_text(timestamp) -%}
    strftime({{ timestamp }}, '%Y-%m-%d %H:%M:%S')
{%- endmacro %}
{% macro spark__timestamp_text(timestamp) -%}
    date_format({{ timestamp }}, 'yyyy-MM-dd HH:mm:ss')
{%- endmacro %}

{#- A timestamp before every other: "since the beginning" where a mark is missing. Spark has no
    '-infinity' (its cast would be a silent null, and `x > null` no rows: stack.md). -#}
{% macro earliest_timestamp() -%}
    {{ return(adapter.dispatch('earliest_timestamp', 'time_to_smile')()) }}
{%- endmacro %}
{% macro default__earliest_timestamp() -%}
    '-infinity'::timestamp
{%- endmacro %}
{% macro spark__earliest_timestamp() -%}
    timestamp'0001-01-01 00:00:00'
{%- endmacro %}

{#- The SHA-256 of text, as 64 lowercase hex digits. -#}
{% macro sha256_hex(text) -%}
    {{ return(adapter.dispatch('sha256_hex', 'time_to_smile')(text)) }}
{%- endmacro %}
{% macro default__sha256_hex(text) -%}
    sha256({{ text }})
{%- endmacro %}
{% macro spark__sha256_hex(text) -%}
    sha2({{ text }}, 256)
{%- endmacro %}
