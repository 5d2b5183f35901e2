-- Engineering time per case and linked issue: from the later of the link's creation
-- and the issue's (re)opening until the issue resolves. An issue already resolved
-- when linked adds nothing unless it is reopened later.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with links as (
    select * from {{ ref('stg_zendesk__jira_links') }}
    where {{ changed_cases_only('ticket_id') }}
),

clocks as (
    select case_id, journey_end_at from {{ ref('int_case_clocks_computed') }}
    where {{ changed_cases_only() }}
),

issues as (
    select issue_id, issue_key, project_key from {{ ref('stg_jira__issues') }}
),

open_intervals as (
    select * from {{ ref('int_jira_issue_open_intervals') }}
)

select
    links.ticket_id as case_id,
    links.jira_link_id,
    links.issue_id,
    issues.issue_key,
    issues.project_key,
    links.linked_at,
    case when open_intervals.open_from > links.linked_at then open_intervals.open_from else links.linked_at end as engineering_from,
    open_intervals.open_to as engineering_to
from links
inner join clocks on clocks.case_id = links.ticket_id
inner join issues on issues.issue_id = links.issue_id
inner join open_intervals
    on open_intervals.issue_id = links.issue_id
    and (open_intervals.open_to is null or open_intervals.open_to > links.linked_at)
where links.linked_at < clocks.journey_end_at
