select
    organization_id,
    organization_name,
    -- The CRM Account Id: the bridge from helpdesk to CRM.
    account_id
from {{ ref('base_zendesk__organizations') }}
where rejection_reason is null
