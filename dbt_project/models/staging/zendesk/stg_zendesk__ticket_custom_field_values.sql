-- One row per (valid ticket, custom field): the ticket's custom_fields[] array, flattened.
with tickets as (
    select * from {{ ref('base_zendesk__tickets') }}
    where rejection_reason is null
),

fields as (
    select
        ticket_id,
        {{ list_elements('custom_fields') }} as custom_field
    from tickets
),

renamed as (
    select
        ticket_id,
        try_cast({{ raw_field('id', 'custom_field') }} as bigint) as ticket_field_id,
        {{ raw_field('value', 'custom_field') }} as field_value
    from fields
)

select * from renamed
