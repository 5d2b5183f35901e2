with source as (
    select * from {{ source('zendesk', 'groups') }}
),

renamed as (
    select
        cast(record_id as bigint) as group_id,
        {{ json_text('record', 'name') }} as group_name
    from source
)

select * from renamed
