-- One row per CRM account: utilization and renewal risk, churn, the number of support
-- agents the customer had to talk to lately, and open cases (white glove first).
with accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

as_of as (
    select as_of from {{ ref('int_run_context') }}
),

lost_renewals as (
    select account_id, max(close_date) as churned_on, max(loss_reason) as loss_reason
    from {{ ref('stg_salesforce__opportunities') }}
    where opportunity_type = 'Renewal' and is_closed and not is_won
    group by account_id
),

-- Contacts per customer: distinct agents who wrote a public comment on any of the
-- account's cases in the 90 days before the as-of time.
agent_contacts as (
    select journeys.account_id, count(distinct events.comment_author_id) as agents_in_contact_90d
    from {{ ref('stg_zendesk__ticket_audit_events') }} as events
    inner join {{ ref('stg_zendesk__users') }} as users on users.user_id = events.comment_author_id and users.is_agent
    inner join {{ ref('fct_case_journey') }} as journeys on journeys.case_id = events.ticket_id
    cross join as_of
    where events.event_type = 'Comment' and events.is_public
      and events.audit_at > {{ dbt.dateadd('day', -90, 'as_of.as_of') }}
      and events.audit_at <= as_of.as_of
    group by journeys.account_id
),

open_cases as (
    select account_id, count(*) as open_cases
    from {{ ref('fct_case_journey') }}
    where smile_status = 'open'
    group by account_id
)

select
    accounts.account_id,
    accounts.account_name,
    accounts.segment,
    accounts.persona,
    accounts.is_white_glove,
    accounts.arr,
    accounts.lifecycle_stage,
    accounts.licensed_seats,
    accounts.active_users,
    cast(accounts.active_users as double) / nullif(accounts.licensed_seats, 0) as utilization,
    accounts.renewal_date,
    -- at risk: under half the seats used within 90 days before the renewal
    coalesce(
        cast(accounts.active_users as double) / nullif(accounts.licensed_seats, 0) < 0.5
        and accounts.renewal_date >= cast(as_of.as_of as date)
        and accounts.renewal_date <= cast({{ dbt.dateadd('day', 90, 'as_of.as_of') }} as date),
        false
    ) as is_renewal_at_risk,
    lost_renewals.account_id is not null as has_churned,
    lost_renewals.churned_on,
    lost_renewals.loss_reason,
    case when lost_renewals.account_id is not null then accounts.arr else 0 end as lost_arr,
    coalesce(agent_contacts.agents_in_contact_90d, 0) as agents_in_contact_90d,
    coalesce(open_cases.open_cases, 0) as open_cases
from accounts
cross join as_of
left join lost_renewals on lost_renewals.account_id = accounts.account_id
left join agent_contacts on agent_contacts.account_id = accounts.account_id
left join open_cases on open_cases.account_id = accounts.account_id
