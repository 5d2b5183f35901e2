select
    opportunity_id,
    account_id,
    opportunity_type,
    stage_name,
    is_closed,
    is_won,
    close_date,
    amount,
    loss_reason
from {{ ref('base_salesforce__opportunities') }}
where rejection_reason is null
