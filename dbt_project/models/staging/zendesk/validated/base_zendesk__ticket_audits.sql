-- Every raw ticket audit, typed, with the reason it cannot be used (null when it can).
-- The checks here need nothing but the audit itself; whether its ticket is known is
-- decided in stg_zendesk__ticket_audit_events, once the tickets are checked.
-- Incremental: a run types only the audits loaded since the last complete build. The
-- events stay in the raw record; base_zendesk__ticket_audit_events unnests them.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='record_id') }}

with source as (
    select * from {{ source('zendesk', 'ticket_audits') }}
    {% if is_incremental() %}
    where {{ loaded_since_last_build() }}
    {% endif %}
),

typed as (
    select
        record_id,
        try_cast(record_id as bigint) as audit_id,
        {{ json_text('record', 'ticket_id') }} as ticket_id_text,
        try_cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'created_at') }} as created_at_text,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as audit_at,
        try_cast({{ json_text('record', 'author_id') }} as bigint) as audit_author_id,
        {{ json_text('record', 'via.channel') }} as audit_channel,
        json_type(record, '$.events') = 'ARRAY' as has_events,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select
    * exclude (has_events),
    case
        when audit_id is null then 'wrong type: id'
        when ticket_id_text is null then 'missing required key: ticket_id'
        when ticket_id is null then 'wrong type: ticket_id'
        when created_at_text is null then 'missing required key: created_at'
        when audit_at is null then 'wrong type: created_at (not a timestamp)'
        when has_events is not true then 'missing required key: events'
    end as rejection_reason
from typed
