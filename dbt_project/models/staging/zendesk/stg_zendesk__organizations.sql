with source as (
    select * from {{ source('zendesk', 'organizations') }}
),

renamed as (
    select
        cast(record_id as bigint) as organization_id,
        {{ json_text('record', 'name') }} as organization_name,
        -- The CRM Account Id: the bridge from helpdesk to CRM.
        {{ json_text('record', 'external_id') }} as account_id
    from source
)

select * from renamed
