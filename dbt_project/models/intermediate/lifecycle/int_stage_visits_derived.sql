-- Lifecycle stage visits from the CRM's field history (sources.md): before its first
-- recorded change an account was in that change's OldValue; with no change recorded,
-- in its current stage. Moving to an earlier stage starts a new cycle.
-- Measured as of the run's as-of instant: a change the CRM records after it has not
-- happened yet, so the visit it ends is still open and the visit it starts is left out
-- (the changes still tell which stage the account was in before them).
with accounts as (
    select * from {{ ref('stg_salesforce__accounts') }}
),

changes as (
    select
        account_id,
        changed_at,
        old_value,
        new_value,
        row_number() over (partition by account_id order by changed_at, account_history_id) as change_number
    from {{ ref('stg_salesforce__account_history') }}
    where field_name = 'Lifecycle_Stage__c'
),

stages as (
    select * from {{ ref('lifecycle_stages') }}
),

visits as (
    select accounts.account_id, changes.old_value as stage, accounts.created_at as entered_at, 0 as visit_order
    from accounts
    inner join changes on changes.account_id = accounts.account_id and changes.change_number = 1
    union all
    select account_id, new_value, changed_at, change_number
    from changes
    union all
    select accounts.account_id, accounts.lifecycle_stage, accounts.created_at, 0
    from accounts
    where accounts.account_id not in (select account_id from changes)
),

ordered as (
    select
        visits.account_id,
        visits.stage,
        visits.visit_order,
        visits.entered_at,
        lead(visits.entered_at) over (partition by visits.account_id order by visits.visit_order) as exited_at,
        stages.stage_order,
        lag(stages.stage_order) over (partition by visits.account_id order by visits.visit_order) as previous_stage_order
    from visits
    left join stages on stages.stage = visits.stage
),

as_of_now as (
    select
        account_id, stage, visit_order, entered_at, stage_order, previous_stage_order,
        case when exited_at <= {{ as_of_timestamp() }} then exited_at end as exited_at
    from ordered
    where entered_at <= {{ as_of_timestamp() }}
)

select
    account_id,
    stage,
    stage_order,
    cast(visit_order + 1 as integer) as visit_number,
    cast(1 + sum(case when stage_order < previous_stage_order then 1 else 0 end) over (
        partition by account_id order by visit_order rows between unbounded preceding and current row
    ) as integer) as cycle_number,
    entered_at,
    exited_at,
    {{ hours_between('entered_at', 'coalesce(exited_at, ' ~ as_of_timestamp() ~ ')') }} / 24.0 as days_in_stage
from as_of_now
