select
    account_history_id,
    account_id,
    field_name,
    old_value,
    new_value,
    changed_at
from {{ ref('base_salesforce__account_history') }}
where rejection_reason is null
