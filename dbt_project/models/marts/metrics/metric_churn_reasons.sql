-- Why customers left: loss reasons of lost renewals ranked by churned accounts, then lost ARR.
with churned as (
    select loss_reason, account_id, lost_arr
    from {{ ref('fct_account_health') }}
    where has_churned
)

select
    coalesce(loss_reason, 'Not recorded') as loss_reason,
    count(*) as churned_accounts,
    sum(lost_arr) as lost_arr,
    cast(row_number() over (order by count(*) desc, sum(lost_arr) desc, coalesce(loss_reason, 'Not recorded')) as integer) as reason_rank
from churned
group by coalesce(loss_reason, 'Not recorded')
