with source as (
    select * from {{ source('salesforce', 'Contact') }}
),

renamed as (
    select
        record_id as contact_id,
        {{ json_text('record', 'AccountId') }} as account_id,
        {{ json_text('record', 'Name') }} as contact_name,
        {{ json_text('record', 'Email') }} as email
    from source
)

select * from renamed
