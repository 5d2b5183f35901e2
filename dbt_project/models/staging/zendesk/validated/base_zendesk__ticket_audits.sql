-- Every raw ticket audit, typed, with the reason it cannot be used (null when it can).
-- The checks here need nothing but the audit itself; whether its ticket is known is
-- decided in stg_zendesk__ticket_audit_events, once the tickets are checked.
with source as (
    select * from {{ source('zendesk', 'ticket_audits') }}
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
        record,
        _source_file,
        _source_line
    from source
)

select
    *,
    case
        when audit_id is null then 'wrong type: id'
        when ticket_id_text is null then 'missing required key: ticket_id'
        when ticket_id is null then 'wrong type: ticket_id'
        when created_at_text is null then 'missing required key: created_at'
        when audit_at is null then 'wrong type: created_at (not a timestamp)'
        when json_type(record, '$.events') is distinct from 'ARRAY' then 'missing required key: events'
    end as rejection_reason
from typed
