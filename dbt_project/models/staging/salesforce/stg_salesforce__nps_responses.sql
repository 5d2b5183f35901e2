with source as (
    select * from {{ source('salesforce', 'NPS_Response__c') }}
),

renamed as (
    select
        record_id as nps_response_id,
        {{ json_text('record', 'Account__c') }} as account_id,
        {{ json_text('record', 'Contact__c') }} as contact_id,
        cast({{ json_text('record', 'Score__c') }} as integer) as score,
        {{ json_text('record', 'Comment__c') }} as response_comment,
        {{ to_utc_timestamp(json_text('record', 'CreatedDate')) }} as responded_at
    from source
)

select * from renamed
