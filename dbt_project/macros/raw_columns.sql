{#- Reading the raw layer's typed columns (docs/architecture.md, "The raw layer").

    The load parses each record once into one typed column per field staging reads
    (orchestration/time_to_smile/loading/source_collections.py, SCHEMAS): a scalar as its
    text, an object as a struct, an array as a list. Staging reads those columns with these
    macros instead of parsing JSON; they dispatch so another adapter (Spark, issue 23) can
    supply its own struct, array and lambda syntax without touching the models. The JSON
    macros (json.sql) remain for the raw text `record`, read only where a column cannot say
    (an audit's events that are not an array: missing, or of the wrong type?). -#}

{#- The value at a dotted path of the typed columns, e.g. raw_field('fields.status.name'):
    null when any part of the path is absent, as a JSON path through it would be. -#}
{% macro raw_field(path, relation='') -%}
    {{ return(adapter.dispatch('raw_field', 'time_to_smile')(path, relation)) }}
{%- endmacro %}
{% macro default__raw_field(path, relation='') -%}
    {%- set parts = [] -%}
    {%- for part in path.split('.') -%}{%- do parts.append('"' ~ part ~ '"') -%}{%- endfor -%}
    {{ relation ~ '.' if relation }}{{ parts | join('.') }}
{%- endmacro %}
{% macro spark__raw_field(path, relation='') -%}
    {%- set parts = [] -%}
    {%- for part in path.split('.') -%}{%- do parts.append('`' ~ part ~ '`') -%}{%- endfor -%}
    {{ relation ~ '.' if relation }}{{ parts | join('.') }}
{%- endmacro %}

{#- One output row per element of a typed list column (none when it is null): use in a select list. -#}
{% macro list_elements(column) -%}
    {{ return(adapter.dispatch('list_elements', 'time_to_smile')(column)) }}
{%- endmacro %}
{% macro default__list_elements(column) -%}
    unnest({{ column }})
{%- endmacro %}
{% macro spark__list_elements(column) -%}
    explode({{ column }})
{%- endmacro %}

{#- True when a typed list of text holds `value` (false when the list is null). -#}
{% macro list_contains_text(column, value) -%}
    {{ return(adapter.dispatch('list_contains_text', 'time_to_smile')(column, value)) }}
{%- endmacro %}
{% macro default__list_contains_text(column, value) -%}
    coalesce(list_contains({{ column }}, {{ sql_literal(value) }}), false)
{%- endmacro %}
{% macro spark__list_contains_text(column, value) -%}
    coalesce(array_contains({{ column }}, {{ sql_literal(value) }}), false)
{%- endmacro %}

{#- True unless an element of the typed list `column` has `member` present but not of `type`
    (a null list has no elements: true). -#}
{% macro list_members_typed(column, member, type) -%}
    {{ return(adapter.dispatch('list_members_typed', 'time_to_smile')(column, member, type)) }}
{%- endmacro %}
{% macro default__list_members_typed(column, member, type) -%}
    coalesce(list_bool_and(list_transform(
        {{ column }},
        lambda element: element."{{ member }}" is null
                   or {{ typed_value('element."' ~ member ~ '"', type) }} is not null
    )), true)
{%- endmacro %}
{% macro spark__list_members_typed(column, member, type) -%}
    coalesce(forall(
        {{ column }},
        element -> element.`{{ member }}` is null
                   or {{ typed_value('element.`' ~ member ~ '`', type) }} is not null
    ), true)
{%- endmacro %}
