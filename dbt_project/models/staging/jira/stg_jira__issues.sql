with source as (
    select * from {{ source('jira', 'issues') }}
),

renamed as (
    select
        record_id as issue_id,
        {{ json_text('record', 'key') }} as issue_key,
        {{ json_text('record', 'fields.project.key') }} as project_key,
        {{ json_text('record', 'fields.summary') }} as summary,
        {{ json_text('record', 'fields.issuetype.name') }} as issue_type,
        {{ json_text('record', 'fields.status.name') }} as status_name,
        {{ json_text('record', 'fields.status.statusCategory.key') }} as status_category,
        {{ json_text('record', 'fields.priority.name') }} as priority,
        {{ to_utc_timestamp(json_text('record', 'fields.created')) }} as created_at,
        {{ to_utc_timestamp(json_text('record', 'fields.resolutiondate')) }} as resolved_at
    from source
)

select * from renamed
