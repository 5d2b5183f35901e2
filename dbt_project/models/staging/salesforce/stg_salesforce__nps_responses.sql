select
    nps_response_id,
    account_id,
    contact_id,
    score,
    response_comment,
    responded_at
from {{ ref('base_salesforce__nps_responses') }}
where rejection_reason is null
