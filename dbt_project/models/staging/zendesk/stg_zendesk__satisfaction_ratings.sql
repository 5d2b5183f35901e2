with source as (
    select * from {{ source('zendesk', 'satisfaction_ratings') }}
),

renamed as (
    select
        cast(record_id as bigint) as satisfaction_rating_id,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'score') }} as score,
        {{ json_text('record', 'comment') }} as rating_comment,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc_timestamp(json_text('record', 'updated_at')) }} as updated_at
    from source
)

select * from renamed
