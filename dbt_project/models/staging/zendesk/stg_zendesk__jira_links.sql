select
    jira_link_id,
    ticket_id,
    issue_id,
    issue_key,
    linked_at
from {{ ref('base_zendesk__jira_links') }}
where rejection_reason is null
