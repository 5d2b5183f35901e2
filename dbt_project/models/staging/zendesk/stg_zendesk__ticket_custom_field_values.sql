-- One row per (ticket, custom field): the ticket's custom_fields[] array, flattened.
with source as (
    select * from {{ source('zendesk', 'tickets') }}
),

fields as (
    select
        cast(record_id as bigint) as ticket_id,
        {{ json_array_elements('record', 'custom_fields') }} as custom_field
    from source
),

renamed as (
    select
        ticket_id,
        cast({{ json_text('custom_field', 'id') }} as bigint) as ticket_field_id,
        {{ json_text('custom_field', 'value') }} as field_value
    from fields
)

select * from renamed
