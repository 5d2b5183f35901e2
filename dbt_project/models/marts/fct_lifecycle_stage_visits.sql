-- One row per stay of an account in a lifecycle stage; the open visit runs to the as-of time.
select
    account_id,
    stage,
    cycle_number,
    entered_at,
    exited_at,
    days_in_stage,
    visit_number,
    stage_order,
    exited_at is null as is_current
from {{ ref('int_stage_visits_derived') }}
