with source as (
    select * from {{ source('zendesk', 'ticket_fields') }}
),

renamed as (
    select
        cast(record_id as bigint) as ticket_field_id,
        {{ json_text('record', 'title') }} as title,
        {{ json_text('record', 'type') }} as field_type
    from source
)

select * from renamed
