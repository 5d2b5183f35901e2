-- One row per case with what the weekly metrics count: the case's ISO week (of
-- started_at), its segment, the Time to Smile and first-reply clocks with their
-- censoring, and the solved-case outcomes (owner resolution, FCR, reopen, repeat contact).
-- A case whose own records are partly held back (has_held_back_records) is left out: its
-- clock would be measured from an incomplete history (docs/data-quality.md).
with journeys as (
    select * from {{ ref('fct_case_journey') }}
    where not has_held_back_records
),

cases as (
    select case_id, requester_id, created_at from {{ ref('int_cases_identified') }}
),

-- Repeat contact: the same requester opens another ticket within 7 days after the solve.
repeat_contacts as (
    select journeys.case_id, count(later.case_id) as later_cases
    from journeys
    inner join cases as this_case on this_case.case_id = journeys.case_id
    inner join cases as later
        on later.requester_id = this_case.requester_id
        and later.case_id <> journeys.case_id
        and later.created_at > journeys.solved_at
        and later.created_at <= {{ dbt.dateadd('day', 7, 'journeys.solved_at') }}
    where journeys.solved_at is not null
    group by journeys.case_id
),

accounts as (
    select account_id, persona, preferred_channels from {{ ref('stg_salesforce__accounts') }}
),

first_reply_targets as (
    select priority, target_business_hours from {{ ref('first_reply_targets') }}
),

reply_business_hours as (
    select * from {{ ref('int_case_first_reply_business_hours') }}
)

select
    journeys.case_id,
    cast({{ dbt.date_trunc('week', 'journeys.started_at') }} as date) as week_start,
    journeys.segment,
    accounts.persona,
    journeys.channel,
    journeys.priority,
    journeys.lifecycle_stage,
    -- Time to Smile: an event for smiling cases; open and frowning cases are censored at elapsed_hours
    case when journeys.smile_status = 'smiling' then 1 else 0 end as smiled,
    coalesce(journeys.time_to_smile_hours, journeys.elapsed_hours) as smile_clock_hours,
    -- first reply, from ticket creation: cases without a reply are censored at their solve or the as-of time
    case when journeys.first_reply_at is not null then 1 else 0 end as replied,
    {{ hours_between('journeys.created_at', 'coalesce(journeys.first_reply_at, journeys.solved_at, ' ~ as_of_timestamp() ~ ')') }} as first_reply_clock_hours,
    journeys.handoff_count,
    journeys.first_response_hours,
    journeys.support_investigation_hours,
    journeys.engineering_hours,
    journeys.close_the_loop_hours,
    journeys.waiting_on_customer_hours,
    journeys.reopen_gap_hours,
    journeys.solved_at is not null as is_solved,
    case when journeys.resolved_by_first_owner then 1 else 0 end as resolved_by_first_owner,
    case when journeys.is_first_contact_resolution then 1 else 0 end as first_contact_resolved,
    case when journeys.reopen_count > 0 then 1 else 0 end as reopened,
    case when coalesce(repeat_contacts.later_cases, 0) > 0 then 1 else 0 end as repeat_contact,
    -- first reply against the priority's target (business hours): met, missed, or not decided
    -- yet (no reply and still inside the target) -> null, left out of the attainment rate
    reply_business_hours.first_reply_business_hours,
    first_reply_targets.target_business_hours as first_reply_target_business_hours,
    case
        when journeys.first_reply_at is not null
            then case when reply_business_hours.first_reply_business_hours <= first_reply_targets.target_business_hours then 1 else 0 end
        when reply_business_hours.first_reply_business_hours > first_reply_targets.target_business_hours then 0
    end as met_first_reply_target,
    -- channel adherence: the case came through a channel the account prefers
    case
        when accounts.preferred_channels is null then null
        when ';' || accounts.preferred_channels || ';' like '%;' || journeys.channel || ';%' then 1
        else 0
    end as used_preferred_channel,
    case when journeys.solved_at is not null then journeys.handle_time_seconds end as solved_handle_time_seconds
from journeys
left join repeat_contacts on repeat_contacts.case_id = journeys.case_id
left join reply_business_hours on reply_business_hours.case_id = journeys.case_id
left join first_reply_targets on first_reply_targets.priority = coalesce(journeys.priority, 'normal')
left join accounts on accounts.account_id = journeys.account_id
