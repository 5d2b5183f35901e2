with source as (
    select * from {{ source('salesforce', 'AccountHistory') }}
),

renamed as (
    select
        record_id as account_history_id,
        {{ json_text('record', 'AccountId') }} as account_id,
        {{ json_text('record', 'Field') }} as field_name,
        {{ json_text('record', 'OldValue') }} as old_value,
        {{ json_text('record', 'NewValue') }} as new_value,
        {{ to_utc_timestamp(json_text('record', 'CreatedDate')) }} as changed_at
    from source
)

select * from renamed
