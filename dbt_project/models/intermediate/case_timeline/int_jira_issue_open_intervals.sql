-- When each engineering issue was open: from creation until its status enters the
-- done category; a transition out of done opens it again (metrics.md rule 3).
with issues as (
    select * from {{ ref('stg_jira__issues') }}
),

changes as (
    select * from {{ ref('stg_jira__issue_status_changes') }}
),

-- A status's category as the issues' current statuses report it, else from the seed.
observed_categories as (
    select status_name, max(status_category) as status_category
    from issues
    group by status_name
),

categories as (
    select status_name, status_category from observed_categories
    union all
    select seed.status_name, seed.status_category
    from {{ ref('jira_status_categories') }} as seed
    where seed.status_name not in (select status_name from observed_categories)
),

first_change as (
    select issue_id, from_status
    from (
        select issue_id, from_status, row_number() over (partition by issue_id order by changed_at, history_id) as change_order
        from changes
    ) as ordered
    where change_order = 1
),

status_timeline as (
    -- the status at creation: the first transition's from-status, else the current status
    select issues.issue_id, issues.created_at as valid_from, '0' as history_id,
        coalesce(first_change.from_status, issues.status_name) as status_name
    from issues
    left join first_change on first_change.issue_id = issues.issue_id
    union all
    select issue_id, changed_at, history_id, to_status
    from changes
),

openness as (
    select
        status_timeline.issue_id,
        status_timeline.valid_from,
        status_timeline.history_id,
        coalesce(categories.status_category, 'indeterminate') <> 'done' as is_open
    from status_timeline
    left join categories on categories.status_name = status_timeline.status_name
    union all
    -- An issue resolved with no changelog: open from creation to its resolution date.
    select issues.issue_id, issues.resolved_at, 'resolutiondate', false
    from issues
    where issues.resolved_at is not null
      and issues.issue_id not in (select issue_id from changes)
),

normalised as (
    -- a history-less resolved issue starts open, then resolves at resolutiondate
    select issue_id, valid_from, history_id,
        case when history_id = '0' and issue_id in (
            select issue_id from openness where history_id = 'resolutiondate'
        ) then true else is_open end as is_open
    from openness
),

flips as (
    select
        *,
        lag(is_open) over (partition by issue_id order by valid_from, history_id) as was_open
    from normalised
),

state_changes as (
    select issue_id, valid_from, history_id, is_open
    from flips
    where was_open is null or was_open <> is_open
),

intervals as (
    select
        issue_id,
        is_open,
        valid_from as open_from,
        lead(valid_from) over (partition by issue_id order by valid_from, history_id) as open_to
    from state_changes
)

select issue_id, open_from, open_to
from intervals
where is_open
