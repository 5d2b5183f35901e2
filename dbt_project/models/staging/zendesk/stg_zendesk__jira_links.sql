with source as (
    select * from {{ source('zendesk', 'jira_links') }}
),

renamed as (
    select
        cast(record_id as bigint) as jira_link_id,
        cast({{ json_text('record', 'ticket_id') }} as bigint) as ticket_id,
        {{ json_text('record', 'issue_id') }} as issue_id,
        {{ json_text('record', 'issue_key') }} as issue_key,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as linked_at
    from source
)

select * from renamed
