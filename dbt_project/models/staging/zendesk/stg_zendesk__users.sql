with source as (
    select * from {{ source('zendesk', 'users') }}
),

renamed as (
    select
        cast(record_id as bigint) as user_id,
        {{ json_text('record', 'name') }} as user_name,
        {{ json_text('record', 'email') }} as email,
        {{ json_text('record', 'role') }} as role,
        {{ json_text('record', 'role') }} in ('agent', 'admin') as is_agent,
        cast({{ json_text('record', 'organization_id') }} as bigint) as organization_id,
        cast({{ json_text('record', 'default_group_id') }} as bigint) as default_group_id
    from source
)

select * from renamed
