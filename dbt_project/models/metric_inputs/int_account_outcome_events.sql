-- What followed for an account (issue 24, "experience to business drivers"): one row per
-- outcome the CRM records, with the window of the account's experience read before it.
--   - renewal_lost: a renewal opportunity closed, lost (1, the account churned) or won (0);
--   - nps_detractor: an NPS response, a detractor's (score 0-6: 1) or not (0).
-- The window is the var('driver_window_days') days before the outcome.
with renewals as (
    select
        {{ dbt.concat(["'renewal:'", 'opportunity_id']) }} as outcome_event_id,
        'renewal_lost' as outcome,
        account_id,
        cast(close_date as timestamp) as outcome_at,
        case when is_won then 0 else 1 end as has_outcome
    from {{ ref('stg_salesforce__opportunities') }}
    where opportunity_type = 'Renewal' and is_closed and close_date is not null
),

responses as (
    select
        {{ dbt.concat(["'nps:'", 'nps_response_id']) }} as outcome_event_id,
        'nps_detractor' as outcome,
        account_id,
        responded_at as outcome_at,
        case when score <= 6 then 1 else 0 end as has_outcome
    from {{ ref('stg_salesforce__nps_responses') }}
    where responded_at is not null and score is not null
),

events as (
    select * from renewals
    union all
    select * from responses
)

select
    events.outcome_event_id,
    events.outcome,
    events.account_id,
    accounts.segment,
    events.outcome_at,
    {{ dbt.dateadd('day', -var('driver_window_days'), 'events.outcome_at') }} as window_start,
    events.has_outcome
from events
left join {{ ref('stg_salesforce__accounts') }} as accounts on accounts.account_id = events.account_id
where events.account_id is not null
