-- Stage velocity (metrics.md): median days per lifecycle stage by cohort (the month the
-- account was created), by Kaplan-Meier: the current, unfinished visit of an account is
-- censored at its days so far. Plus how often accounts of the cohort cycled back.
with visits as (
    select
        visits.account_id,
        visits.stage,
        visits.cycle_number,
        visits.days_in_stage,
        case when visits.exited_at is not null then 1 else 0 end as exited,
        cast({{ dbt.date_trunc('month', 'accounts.created_at') }} as date) as cohort_month
    from {{ ref('int_stage_visits_derived') }} as visits
    inner join {{ ref('stg_salesforce__accounts') }} as accounts on accounts.account_id = visits.account_id
),

velocity as (
    {{ kaplan_meier_quantiles('visits', ['cohort_month', 'stage'], 'days_in_stage', 'exited', {'median_days': 0.5}) }}
),

cycles as (
    select cohort_month, count(*) as accounts,
        sum(case when max_cycle > 1 then 1 else 0 end) as accounts_cycled_back,
        avg(cast(max_cycle as double)) as mean_cycles
    from (select cohort_month, account_id, max(cycle_number) as max_cycle from visits group by cohort_month, account_id) as per_account
    group by cohort_month
)

select
    velocity.cohort_month,
    velocity.stage,
    cast(velocity.n as bigint) as visits,
    cast(velocity.n_events as bigint) as completed_visits,
    velocity.median_days,
    velocity.median_days_lower,
    velocity.median_days_upper,
    cast(cycles.accounts as bigint) as cohort_accounts,
    cast(cycles.accounts_cycled_back as bigint) as cohort_accounts_cycled_back,
    cycles.mean_cycles as cohort_mean_cycles
from velocity
inner join cycles on cycles.cohort_month = velocity.cohort_month
