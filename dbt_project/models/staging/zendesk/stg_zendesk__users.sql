with users as (
    select * from {{ ref('base_zendesk__users') }}
    where rejection_reason is null
)

select
    user_id,
    user_name,
    email,
    role,
    role in ('agent', 'admin') as is_agent,
    organization_id,
    default_group_id
from users
