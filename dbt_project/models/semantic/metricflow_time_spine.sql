-- MetricFlow's time spine: one row per day from 2020-01-01 to 2030-12-31. dbt.date_spine
-- (shipped with dbt-core, dispatched per adapter) keeps it portable; its end date is
-- exclusive, hence 2031-01-01.
with days as (
    {{ dbt.date_spine('day', "cast('2020-01-01' as date)", "cast('2031-01-01' as date)") }}
)

select cast(date_day as date) as date_day
from days
