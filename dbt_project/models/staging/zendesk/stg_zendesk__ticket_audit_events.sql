-- One row per event of a ticket audit. A ticket's history is its audits ordered
-- by created_at, then id (sources.md); events of one audit happen at one instant.
with source as (
    select * from {{ source('zendesk', 'ticket_audits') }}
),

events as (
    select
        cast(record_id as bigint) as audit_id,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as audit_at,
        cast({{ json_text('record', 'author_id') }} as bigint) as audit_author_id,
        {{ json_text('record', 'via.channel') }} as audit_channel,
        {{ json_array_elements('record', 'events') }} as event
    from source
),

renamed as (
    select
        audit_id,
        ticket_id,
        audit_at,
        audit_author_id,
        audit_channel,
        cast({{ json_text('event', 'id') }} as bigint) as event_id,
        {{ json_text('event', 'type') }} as event_type,
        {{ json_text('event', 'field_name') }} as field_name,
        {{ json_text('event', 'value') }} as field_value,
        {{ json_text('event', 'previous_value') }} as previous_value,
        coalesce(cast({{ json_text('event', 'author_id') }} as bigint), audit_author_id) as comment_author_id,
        {{ json_text('event', 'body') }} as comment_body,
        cast({{ json_text('event', 'public') }} as boolean) as is_public
    from events
)

select * from renamed
