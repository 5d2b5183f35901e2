-- Every raw ticket, its JSON parsed once into typed columns. Incremental: a run parses
-- only the tickets loaded since the last complete build (a newer version replaces the
-- row); whether a ticket can be measured is decided in base_zendesk__tickets, because
-- that also depends on other records (its requester, its organization, its audits).
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='record_id') }}

with source as (
    select * from {{ source('zendesk', 'tickets') }}
    {% if is_incremental() %}
    where {{ loaded_since_last_build() }}
    {% endif %}
)

select
    record_id,
    try_cast(record_id as bigint) as ticket_id,
    {{ json_text('record', 'created_at') }} as created_at_text,
    {{ to_utc_timestamp(json_text('record', 'created_at')) }} as created_at,
    {{ to_utc_timestamp(json_text('record', 'updated_at')) }} as updated_at,
    {{ json_text('record', 'status') }} as status,
    {{ json_text('record', 'priority') }} as priority,
    {{ json_text('record', 'type') }} as ticket_type,
    {{ json_text('record', 'subject') }} as subject,
    {{ json_text('record', 'requester_id') }} as requester_id_text,
    try_cast({{ json_text('record', 'requester_id') }} as bigint) as requester_id,
    try_cast({{ json_text('record', 'submitter_id') }} as bigint) as submitter_id,
    try_cast({{ json_text('record', 'assignee_id') }} as bigint) as assignee_id,
    try_cast({{ json_text('record', 'group_id') }} as bigint) as group_id,
    {{ json_text('record', 'organization_id') }} as organization_id_text,
    try_cast({{ json_text('record', 'organization_id') }} as bigint) as organization_id,
    {{ json_text('record', 'via.channel') }} as channel,
    {{ json_text('record', 'satisfaction_rating.score') }} as satisfaction_score,
    -- Zendesk closes the source ticket of a merge and tags it closed_by_merge.
    {{ json_array_contains_text('record', 'tags', 'closed_by_merge') }} as is_closed_by_merge,
    -- kept as JSON: stg_zendesk__ticket_custom_field_values flattens it
    {{ json_array('record', 'custom_fields') }} as custom_fields,
    record_version as source_version,
    _source_file,
    _source_line,
    _loaded_at
from source
