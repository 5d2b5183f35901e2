-- The bug stack rank (metrics.md): engineering issues ranked by the distinct cases linked,
-- then distinct accounts, then the ARR of those accounts, with the engineering-phase hours
-- they caused. Hours: the overlap of each case's engineering-phase segments with the
-- issue's open interval on that case; when two issues are open on one case at once,
-- each is charged the overlap (the customer waited on both).
with links as (
    select distinct ticket_id as case_id, issue_id from {{ ref('stg_zendesk__jira_links') }}
),

issues as (
    select * from {{ ref('stg_jira__issues') }}
),

journeys as (
    select case_id, account_id from {{ ref('fct_case_journey') }}
),

accounts as (
    select account_id, arr from {{ ref('stg_salesforce__accounts') }}
),

engineering_hours as (
    select
        intervals.issue_id,
        sum({{ hours_between(
            'case when intervals.engineering_from > phases.segment_start then intervals.engineering_from else phases.segment_start end',
            'case when intervals.engineering_to is not null and intervals.engineering_to < phases.segment_end then intervals.engineering_to else phases.segment_end end'
        ) }}) as engineering_hours_caused
    from {{ ref('int_case_engineering_intervals') }} as intervals
    inner join {{ ref('fct_case_phases') }} as phases
        on phases.case_id = intervals.case_id
        and phases.phase = 'engineering'
        and phases.segment_start < coalesce(intervals.engineering_to, phases.segment_end)
        and phases.segment_end > intervals.engineering_from
    group by intervals.issue_id
),

reach as (
    select
        links.issue_id,
        count(distinct links.case_id) as linked_cases,
        count(distinct journeys.account_id) as linked_accounts
    from links
    inner join journeys on journeys.case_id = links.case_id
    group by links.issue_id
),

reach_arr as (
    select issue_id, sum(arr) as linked_arr
    from (
        select distinct links.issue_id, journeys.account_id, accounts.arr
        from links
        inner join journeys on journeys.case_id = links.case_id
        inner join accounts on accounts.account_id = journeys.account_id
    ) as distinct_accounts
    group by issue_id
)

select
    cast(row_number() over (
        order by reach.linked_cases desc, reach.linked_accounts desc, coalesce(reach_arr.linked_arr, 0) desc, issues.issue_key
    ) as integer) as stack_rank,
    issues.issue_id,
    issues.issue_key,
    issues.project_key,
    issues.project_name,
    issues.summary,
    issues.status_category,
    issues.resolved_at is not null or issues.status_category = 'done' as is_resolved,
    reach.linked_cases,
    reach.linked_accounts,
    coalesce(reach_arr.linked_arr, 0) as linked_arr,
    coalesce(engineering_hours.engineering_hours_caused, 0) as engineering_hours_caused
from reach
inner join issues on issues.issue_id = reach.issue_id
left join reach_arr on reach_arr.issue_id = reach.issue_id
left join engineering_hours on engineering_hours.issue_id = reach.issue_id
