-- Every raw Jira issue, typed, with the reason it cannot be used (null when it can):
-- its status category must be one Jira defines, and its changelog's times must be times.
{{ validated_collection(source('jira', 'issues'), [
        {'name': 'issue_id', 'path': 'id', 'from_record_id': true, 'required': true},
        {'name': 'issue_key', 'path': 'key', 'required': true},
        {'name': 'project_key', 'path': 'fields.project.key'},
        {'name': 'project_name', 'path': 'fields.project.name', 'type': 'free_text'},
        {'name': 'summary', 'path': 'fields.summary', 'type': 'free_text'},
        {'name': 'issue_type', 'path': 'fields.issuetype.name'},
        {'name': 'status_name', 'path': 'fields.status.name'},
        {'name': 'status_category', 'path': 'fields.status.statusCategory.key', 'required': true},
        {'name': 'priority', 'path': 'fields.priority.name'},
        {'name': 'created_at', 'path': 'fields.created', 'type': 'timestamp', 'required': true},
        {'name': 'resolved_at', 'path': 'fields.resolutiondate', 'type': 'timestamp'},
    ],
    checks=[
        ["status_category not in ('new', 'indeterminate', 'done')",
         "'unknown value: fields.status.statusCategory.key = ' || status_category"],
        ["not " ~ list_members_typed(raw_field('changelog.histories'), 'created', 'timestamp'),
         "'wrong type: changelog.histories[].created (not a timestamp)'"],
    ],
    columns_read=['changelog'],
) }}
