select
    issue_id,
    issue_key,
    project_key,
    -- sources.md promises only project{key}: without a name, the project is called by its key
    coalesce(nullif(trim(project_name), ''), project_key) as project_name,
    summary,
    issue_type,
    status_name,
    status_category,
    priority,
    created_at,
    resolved_at
from {{ ref('base_jira__issues') }}
where rejection_reason is null
