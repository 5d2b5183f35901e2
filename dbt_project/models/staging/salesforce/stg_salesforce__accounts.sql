select
    account_id,
    account_name,
    created_at,
    segment,
    persona,
    coalesce(white_glove, false) as is_white_glove,
    arr,
    lifecycle_stage,
    preferred_channels,
    licensed_seats,
    active_users,
    renewal_date
from {{ ref('base_salesforce__accounts') }}
where rejection_reason is null
