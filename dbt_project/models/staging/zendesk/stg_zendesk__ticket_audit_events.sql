-- One row per event of a valid audit of a valid ticket. A ticket's history is its
-- audits ordered by created_at, then id (sources.md), whatever order the files
-- held them in; events of one audit happen at one instant. An event id seen twice
-- (a re-sent audit, a duplicated export) counts once, from its earliest audit.
-- A table, not a view: the case timeline reads it five times.
{{ config(materialized='table') }}

with audits as (
    select audits.*
    from {{ ref('base_zendesk__ticket_audits') }} as audits
    inner join {{ ref('stg_zendesk__tickets') }} as tickets on tickets.ticket_id = audits.ticket_id
    where audits.rejection_reason is null
),

events as (
    select
        audit_id,
        ticket_id,
        audit_at,
        audit_author_id,
        audit_channel,
        {{ json_array_elements('record', 'events') }} as event
    from audits
),

renamed as (
    select
        audit_id,
        ticket_id,
        audit_at,
        audit_author_id,
        audit_channel,
        try_cast({{ json_text('event', 'id') }} as bigint) as event_id,
        {{ json_text('event', 'type') }} as event_type,
        {{ json_text('event', 'field_name') }} as field_name,
        {{ json_text('event', 'value') }} as field_value,
        {{ json_text('event', 'previous_value') }} as previous_value,
        coalesce(try_cast({{ json_text('event', 'author_id') }} as bigint), audit_author_id) as comment_author_id,
        {{ json_text('event', 'body') }} as comment_body,
        try_cast({{ json_text('event', 'public') }} as boolean) as is_public
    from events
)

select * from renamed
qualify event_id is null or row_number() over (partition by event_id order by audit_at, audit_id) = 1
