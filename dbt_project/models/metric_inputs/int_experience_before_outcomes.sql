-- What the account's customers lived in the window before each outcome
-- (int_account_outcome_events), as it stood at the outcome: only what had happened by then.
--   - cases: cases started in the window;
--   - median_time_to_smile_hours: Kaplan-Meier median of those cases' Time to Smile, a case
--     that had not smiled by the outcome censored there (null: not reached, more than half
--     still waiting or frowning);
--   - handoffs_without_context_per_case: handoffs before the outcome that did not carry
--     context, per case;
--   - reopen_rate: cases reopened at least once (as the case stands now: a reopen's time is not
--     kept on the journey), per case;
--   - frowning_share: of the cases solved before the outcome, those whose latest rating is bad.
with window_cases as (
    select
        events.outcome_event_id,
        events.outcome_at,
        journeys.case_id,
        journeys.started_at,
        journeys.smiled_at,
        journeys.solved_at,
        journeys.smile_status,
        journeys.reopen_count
    from {{ ref('int_account_outcome_events') }} as events
    inner join {{ ref('fct_case_journey') }} as journeys
        on journeys.account_id = events.account_id
        and journeys.started_at >= events.window_start
        and journeys.started_at < events.outcome_at
),

clocks as (
    select
        outcome_event_id,
        case when smiled_at <= outcome_at then 1 else 0 end as smiled,
        {{ hours_between('started_at', "case when smiled_at <= outcome_at then smiled_at
                                               when solved_at <= outcome_at then solved_at
                                               else outcome_at end") }} as smile_clock_hours
    from window_cases
),

medians as (
    {{ kaplan_meier_quantiles('clocks', ['outcome_event_id'], 'smile_clock_hours', 'smiled', {'median_hours': 0.5}) }}
),

handoffs as (
    select window_cases.outcome_event_id, count(*) as handoffs_without_context
    from window_cases
    inner join {{ ref('fct_handoffs') }} as handoffs
        on handoffs.case_id = window_cases.case_id
        and handoffs.handoff_at < window_cases.outcome_at
        and not coalesce(handoffs.carried_context, false)
    group by window_cases.outcome_event_id
),

per_event as (
    select
        outcome_event_id,
        count(*) as cases,
        sum(case when reopen_count > 0 then 1 else 0 end) as reopened_cases,
        sum(case when solved_at <= outcome_at then 1 else 0 end) as solved_cases,
        sum(case when solved_at <= outcome_at and smile_status = 'frowning' then 1 else 0 end) as frowning_cases
    from window_cases
    group by outcome_event_id
)

select
    events.outcome_event_id,
    events.outcome,
    events.account_id,
    events.segment,
    events.outcome_at,
    events.has_outcome,
    cast(coalesce(per_event.cases, 0) as bigint) as cases,
    medians.median_hours as median_time_to_smile_hours,
    cast(coalesce(handoffs.handoffs_without_context, 0) as double) / per_event.cases as handoffs_without_context_per_case,
    cast(per_event.reopened_cases as double) / per_event.cases as reopen_rate,
    case when per_event.solved_cases > 0 then cast(per_event.frowning_cases as double) / per_event.solved_cases end as frowning_share
from {{ ref('int_account_outcome_events') }} as events
left join per_event on per_event.outcome_event_id = events.outcome_event_id
left join medians on medians.outcome_event_id = events.outcome_event_id
left join handoffs on handoffs.outcome_event_id = events.outcome_event_id
