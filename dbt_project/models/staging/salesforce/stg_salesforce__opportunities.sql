with source as (
    select * from {{ source('salesforce', 'Opportunity') }}
),

renamed as (
    select
        record_id as opportunity_id,
        {{ json_text('record', 'AccountId') }} as account_id,
        {{ json_text('record', 'Type') }} as opportunity_type,
        {{ json_text('record', 'StageName') }} as stage_name,
        cast({{ json_text('record', 'IsClosed') }} as boolean) as is_closed,
        cast({{ json_text('record', 'IsWon') }} as boolean) as is_won,
        cast({{ json_text('record', 'CloseDate') }} as date) as close_date,
        cast({{ json_text('record', 'Amount') }} as double) as amount,
        {{ json_text('record', 'Loss_Reason__c') }} as loss_reason
    from source
)

select * from renamed
