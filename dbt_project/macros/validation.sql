{#- Per-record validation, the same for every collection (docs/data-quality.md).

    A collection is described once, field by field:
        {'name': 'organization_id', 'path': 'organization_id', 'type': 'bigint', 'required': false}
    `type` is one of text (the default), free_text (text people wrote: control characters
    removed), bigint, whole_number (9 or 9.0, not 9.5: Salesforce sends numbers as
    doubles), double, boolean, date, timestamp; `from_record_id` reads the loader's record
    id instead of a path (the collection's key). `path` names the field in the vendor's record
    and is read from the raw table's typed columns (the load parsed the record once into them,
    every value as its text: raw_columns.sql). Every typed value is a safe cast, so
    a record can never fail a build: a required field that is absent is "missing required
    key: <path>", a present value that does not type is "wrong type: <path> (not a ...)",
    and such a record is held back with that reason (int_quarantined_records) while the
    rest of its collection publishes. -#}

{% macro field_text(field) -%}
    {%- if field.get('from_record_id') -%} record_id
    {%- else -%} {{ raw_field(field['path']) }}
    {%- endif -%}
{%- endmacro %}

{% macro typed_value(text, type) -%}
    {%- if type == 'text' -%} {{ text }}
    {%- elif type == 'free_text' -%} {{ clean_text(text) }}
    {%- elif type == 'timestamp' -%} {{ to_utc_timestamp(text) }}
    {%- elif type == 'whole_number' -%} {{ whole_number(text) }}
    {%- else -%} {{ try_cast_as(text, type) }}
    {%- endif -%}
{%- endmacro %}

{#- What a value that does not type is not, for the reason. -#}
{% macro type_description(type) -%}
    {{- {'bigint': 'an integer', 'whole_number': 'a whole number', 'double': 'a number',
         'boolean': 'true or false', 'date': 'a date', 'timestamp': 'a timestamp'}[type] -}}
{%- endmacro %}

{#- The select-list entries: each field's raw text (`<name>__text`) and its typed value (`<name>`),
    typed from the text column just named (a lateral alias). -#}
{% macro typed_fields(fields) -%}
    {%- for field in fields %}
    {{ field_text(field) }} as {{ field['name'] }}__text,
    {{ typed_value(field['name'] ~ '__text', field.get('type', 'text')) }} as {{ field['name'] }}
    {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- `when ... then '<reason>'` branches for a CASE, first problem first: read after typed_fields
    (`relation`: the CTE's name, where the select joins other tables). -#}
{% macro type_problems(fields, relation='') -%}
    {%- set at = relation ~ '.' if relation else '' %}
    {%- for field in fields %}
        {%- set type = field.get('type', 'text') %}
        {%- if field.get('required') %}
        when {{ at }}{{ field['name'] }}__text is null then 'missing required key: {{ field['path'] }}'
        {%- endif %}
        {%- if type not in ('text', 'free_text') %}
        when {{ at }}{{ field['name'] }}__text is not null and {{ at }}{{ field['name'] }} is null
            then 'wrong type: {{ field['path'] }} (not {{ type_description(type) }})'
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The `<name>__text` columns typed_fields adds, for an `exclude` once the types are checked. -#}
{% macro text_columns(fields) -%}
    {%- for field in fields %}{{ field['name'] }}__text{% if not loop.last %}, {% endif %}{% endfor -%}
{%- endmacro %}

{#- A whole validated collection: every raw record typed, with `rejection_reason` (null when it
    can be used). `checks`: further [condition, reason expression] pairs, read after the types;
    `joins`: text appended after the typed CTE (left joins the checks read); `columns_read`:
    raw columns the checks read beyond the fields (e.g. a list), selected and then left out. -#}
{% macro validated_collection(relation, fields, checks=[], joins='', columns_read=[]) -%}
with typed as (
    select
        record_id,
        {{ typed_fields(fields) }},
        {{ columns_read | join(',\n        ') ~ ',' if columns_read }}
        _source_file,
        _source_line,
        _loaded_at
    from {{ relation }}
)

select
    {{ star_except(columns_read + [text_columns(fields)], 'typed') }},
    case
        {{- type_problems(fields, 'typed') }}
        {%- for condition, reason in checks %}
        when {{ condition }} then {{ reason }}
        {%- endfor %}
    end as rejection_reason
from typed
{{ joins }}
{%- endmacro %}

{#- Control characters (but tab and newline) removed: text people wrote reaches terminals and the app. -#}
{% macro clean_text(text) -%}
    {{ regexp_replace_all(text, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]', '') }}
{%- endmacro %}

{#- null where the value does not type (dbt's safe_cast is a plain cast on DuckDB). -#}
{% macro try_cast_as(text, type) -%}
    {{ return(adapter.dispatch('try_cast_as', 'time_to_smile')(text, type)) }}
{%- endmacro %}
{% macro default__try_cast_as(text, type) -%}
    try_cast({{ text }} as {{ type }})
{%- endmacro %}

{% macro whole_number(text) -%}
    {%- set number = try_cast_as(text, 'double') %}
    case when {{ number }} = floor({{ number }}) then {{ try_cast_as(number, 'integer') }} end
{%- endmacro %}

{#- The collections validated by validated_collection, as (raw table, base model): every one's
    held-back records are listed in int_quarantined_records. Tickets and audits have their own
    base models (incremental, with checks across records) and are listed there by hand. -#}
{% macro validated_collections() -%}
    {{ return([
        ('zendesk_users', 'base_zendesk__users'),
        ('zendesk_groups', 'base_zendesk__groups'),
        ('zendesk_organizations', 'base_zendesk__organizations'),
        ('zendesk_ticket_fields', 'base_zendesk__ticket_fields'),
        ('zendesk_satisfaction_ratings', 'base_zendesk__satisfaction_ratings'),
        ('zendesk_schedules', 'base_zendesk__schedules'),
        ('zendesk_jira_links', 'base_zendesk__jira_links'),
        ('jira_issues', 'base_jira__issues'),
        ('salesforce_account', 'base_salesforce__accounts'),
        ('salesforce_accounthistory', 'base_salesforce__account_history'),
        ('salesforce_contact', 'base_salesforce__contacts'),
        ('salesforce_opportunity', 'base_salesforce__opportunities'),
        ('salesforce_nps_response__c', 'base_salesforce__nps_responses'),
    ]) }}
{%- endmacro %}
