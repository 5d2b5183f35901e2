select
    issue_id,
    issue_key,
    project_key,
    summary,
    issue_type,
    status_name,
    status_category,
    priority,
    created_at,
    resolved_at
from {{ ref('base_jira__issues') }}
where rejection_reason is null
