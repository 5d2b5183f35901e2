select
    contact_id,
    account_id,
    contact_name,
    email
from {{ ref('base_salesforce__contacts') }}
where rejection_reason is null
