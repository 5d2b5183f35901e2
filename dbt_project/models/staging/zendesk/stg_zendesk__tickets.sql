with source as (
    select * from {{ source('zendesk', 'tickets') }}
),

renamed as (
    select
        cast(record_id as bigint) as ticket_id,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc_timestamp(json_text('record', 'updated_at')) }} as updated_at,
        {{ json_text('record', 'status') }} as status,
        {{ json_text('record', 'priority') }} as priority,
        {{ json_text('record', 'type') }} as ticket_type,
        {{ json_text('record', 'subject') }} as subject,
        cast({{ json_text('record', 'requester_id') }} as bigint) as requester_id,
        cast({{ json_text('record', 'submitter_id') }} as bigint) as submitter_id,
        cast({{ json_text('record', 'assignee_id') }} as bigint) as assignee_id,
        cast({{ json_text('record', 'group_id') }} as bigint) as group_id,
        cast({{ json_text('record', 'organization_id') }} as bigint) as organization_id,
        {{ json_text('record', 'via.channel') }} as channel,
        {{ json_text('record', 'satisfaction_rating.score') }} as satisfaction_score,
        -- Zendesk closes the source ticket of a merge and tags it closed_by_merge.
        {{ json_array_contains_text('record', 'tags', 'closed_by_merge') }} as is_closed_by_merge,
        record_version as source_version
    from source
)

select * from renamed
