with source as (
    select * from {{ source('salesforce', 'Account') }}
),

renamed as (
    select
        record_id as account_id,
        {{ json_text('record', 'Name') }} as account_name,
        {{ to_utc_timestamp(json_text('record', 'CreatedDate')) }} as created_at,
        {{ json_text('record', 'Segment__c') }} as segment,
        {{ json_text('record', 'Persona__c') }} as persona,
        coalesce(cast({{ json_text('record', 'White_Glove__c') }} as boolean), false) as is_white_glove,
        cast({{ json_text('record', 'ARR__c') }} as double) as arr,
        {{ json_text('record', 'Lifecycle_Stage__c') }} as lifecycle_stage,
        {{ json_text('record', 'Preferred_Channels__c') }} as preferred_channels,
        cast({{ json_text('record', 'Licensed_Seats__c') }} as integer) as licensed_seats,
        cast({{ json_text('record', 'Active_Users__c') }} as integer) as active_users,
        cast({{ json_text('record', 'Renewal_Date__c') }} as date) as renewal_date
    from source
)

select * from renamed
