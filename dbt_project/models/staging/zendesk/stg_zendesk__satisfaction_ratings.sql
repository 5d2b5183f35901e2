select
    satisfaction_rating_id,
    ticket_id,
    score,
    rating_comment,
    created_at,
    updated_at
from {{ ref('base_zendesk__satisfaction_ratings') }}
where rejection_reason is null
