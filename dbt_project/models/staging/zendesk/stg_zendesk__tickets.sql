-- The tickets that passed validation (base_zendesk__tickets says why the others did not).
select
    ticket_id,
    created_at,
    updated_at,
    status,
    priority,
    ticket_type,
    subject,
    requester_id,
    submitter_id,
    assignee_id,
    group_id,
    organization_id,
    channel,
    satisfaction_score,
    is_closed_by_merge,
    source_version
from {{ ref('base_zendesk__tickets') }}
where rejection_reason is null
