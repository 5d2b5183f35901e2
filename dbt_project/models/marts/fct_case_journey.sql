-- One row per case: the customer's whole journey, from the interruption to the smile.
-- Incremental per case (docs/incremental.md). A published contract: a new column comes with
-- a new project version, which rebuilds in full, so a schema change here is a bug (fail).
{{ incremental_per_case() }}

with clocks as (
    select * from {{ ref('int_case_clocks_computed') }}
    where {{ changed_cases_only() }}
),

replies as (
    select * from {{ ref('int_case_replies_summarised') }}
    where {{ changed_cases_only() }}
),

phase_hours as (
    select
        case_id,
        sum(case when phase = 'first_response' then calendar_hours else 0 end) as first_response_hours,
        sum(case when phase = 'support_investigation' then calendar_hours else 0 end) as support_investigation_hours,
        sum(case when phase = 'engineering' then calendar_hours else 0 end) as engineering_hours,
        sum(case when phase = 'close_the_loop' then calendar_hours else 0 end) as close_the_loop_hours,
        sum(case when phase = 'waiting_on_customer' then calendar_hours else 0 end) as waiting_on_customer_hours,
        sum(case when phase = 'reopen_gap' then calendar_hours else 0 end) as reopen_gap_hours
    from {{ ref('fct_case_phases') }}
    where {{ changed_cases_only() }}
    group by case_id
),

handoff_counts as (
    select case_id, count(*) as handoff_count
    from {{ ref('fct_handoffs') }}
    where {{ changed_cases_only() }}
    group by case_id
),

linked_issues as (
    select ticket_id as case_id, count(distinct issue_id) as linked_issue_count
    from {{ ref('stg_zendesk__jira_links') }}
    where {{ changed_cases_only('ticket_id') }}
    group by ticket_id
),

accounts as (
    select account_id, segment from {{ ref('stg_salesforce__accounts') }}
),

-- Cases whose own records are partly held back by validation: their history is incomplete.
held_back as (
    select ticket_id as case_id from {{ ref('base_zendesk__ticket_audits') }}
    where rejection_reason is not null and {{ changed_cases_only('ticket_id') }}
    union
    select ticket_id from {{ ref('base_zendesk__satisfaction_ratings') }}
    where rejection_reason is not null and {{ changed_cases_only('ticket_id') }}
    union
    select ticket_id from {{ ref('base_zendesk__jira_links') }}
    where rejection_reason is not null and {{ changed_cases_only('ticket_id') }}
),

stage_visits as (
    select * from {{ ref('int_stage_visits_derived') }}
),

-- The account's stage at started_at; a case before the account's first recorded
-- visit takes the first visit's stage.
case_stage as (
    select case_id, stage
    from (
        select
            clocks.case_id,
            stage_visits.stage,
            row_number() over (
                partition by clocks.case_id
                order by case when stage_visits.entered_at <= clocks.started_at then 0 else 1 end,
                    case when stage_visits.entered_at <= clocks.started_at then stage_visits.entered_at end desc,
                    stage_visits.entered_at
            ) as match_rank
        from clocks
        inner join stage_visits on stage_visits.account_id = clocks.account_id
    ) as ranked
    where match_rank = 1
),

journeys as (
    select
        clocks.case_id,
        clocks.account_id,
        accounts.segment,
        clocks.channel,
        clocks.priority,
        clocks.created_at,
        clocks.started_at,
        replies.first_reply_at,
        clocks.smiled_at,
        clocks.smile_status,
        {{ hours_between('clocks.started_at', 'clocks.journey_end_at') }} as elapsed_hours,
        coalesce(phase_hours.first_response_hours, 0) as first_response_hours,
        coalesce(phase_hours.support_investigation_hours, 0) as support_investigation_hours,
        coalesce(phase_hours.engineering_hours, 0) as engineering_hours,
        coalesce(phase_hours.close_the_loop_hours, 0) as close_the_loop_hours,
        coalesce(phase_hours.waiting_on_customer_hours, 0) as waiting_on_customer_hours,
        coalesce(phase_hours.reopen_gap_hours, 0) as reopen_gap_hours,
        cast(coalesce(handoff_counts.handoff_count, 0) as integer) as handoff_count,
        cast(clocks.reopen_count as integer) as reopen_count,
        clocks.first_owner_id,
        clocks.solved_by_assignee_id,
        clocks.solved_at,
        clocks.current_status,
        coalesce(replies.public_agent_comment_count, 0) as public_agent_comment_count,
        coalesce(linked_issues.linked_issue_count, 0) as linked_issue_count,
        clocks.handle_time_seconds,
        clocks.requester_id,
        case_stage.stage as lifecycle_stage,
        held_back.case_id is not null as has_held_back_records
    from clocks
    left join replies on replies.case_id = clocks.case_id
    left join phase_hours on phase_hours.case_id = clocks.case_id
    left join handoff_counts on handoff_counts.case_id = clocks.case_id
    left join linked_issues on linked_issues.case_id = clocks.case_id
    left join accounts on accounts.account_id = clocks.account_id
    left join case_stage on case_stage.case_id = clocks.case_id
    left join held_back on held_back.case_id = clocks.case_id
)

select
    case_id,
    account_id,
    segment,
    channel,
    priority,
    created_at,
    started_at,
    first_reply_at,
    smiled_at,
    smile_status,
    case when smile_status = 'smiling' then elapsed_hours end as time_to_smile_hours,
    elapsed_hours,
    first_response_hours,
    support_investigation_hours,
    engineering_hours,
    close_the_loop_hours,
    waiting_on_customer_hours,
    reopen_gap_hours,
    handoff_count,
    reopen_count,
    {{ pseudonym('first_owner_id') }} as first_owner_id,
    case
        when solved_at is not null then coalesce(solved_by_assignee_id = first_owner_id, false)
    end as resolved_by_first_owner,
    case
        when solved_at is not null then
            reopen_count = 0 and handoff_count = 0 and linked_issue_count = 0 and public_agent_comment_count <= 1
    end as is_first_contact_resolution,
    lifecycle_stage,
    solved_at,
    current_status,
    public_agent_comment_count,
    linked_issue_count,
    handle_time_seconds,
    {{ pseudonym('requester_id') }} as requester_id,
    has_held_back_records
from journeys
