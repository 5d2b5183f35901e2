-- Every raw Zendesk-Jira link, typed, with the reason it cannot be used (null when it can):
-- the linked issue must be known and usable, or the engineering phase would miss it unseen.
{{ validated_collection(source('zendesk', 'jira_links'), [
        {'name': 'jira_link_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
        {'name': 'ticket_id', 'path': 'ticket_id', 'type': 'bigint', 'required': true},
        {'name': 'issue_id', 'path': 'issue_id', 'required': true},
        {'name': 'issue_key', 'path': 'issue_key'},
        {'name': 'linked_at', 'path': 'created_at', 'type': 'timestamp', 'required': true},
    ],
    checks=[
        ["issues.issue_id is null", "'unknown issue: ' || typed.issue_id"],
        ["issues.rejection_reason is not null", "'issue held back: ' || typed.issue_id"],
    ],
    joins="left join " ~ ref('base_jira__issues') ~ " as issues on issues.issue_id = typed.issue_id",
) }}
