-- The default schedule's open windows as UTC intervals, week by week over the
-- journeys' span. Intervals are minutes from Sunday 00:00 in the schedule's zone,
-- so each week is laid out in local time and converted (daylight saving included).
with schedules as (
    select * from {{ ref('stg_zendesk__schedules') }} where is_default
),

intervals as (
    select intervals.*, schedules.time_zone
    from {{ ref('stg_zendesk__schedule_intervals') }} as intervals
    inner join schedules on schedules.schedule_id = intervals.schedule_id
),

span as (
    select
        {{ dbt.dateadd('day', -8, 'min(started_at)') }} as span_start,
        {{ dbt.dateadd('day', 8, 'max(journey_end_at)') }} as span_end
    from {{ ref('int_case_clocks_computed') }}
),

weeks as (
    -- Sundays: the day before each ISO (Monday) week start
    select {{ dbt.dateadd('day', -1, 'week_start') }} as week_sunday
    from (
        {{ week_series(dbt.date_trunc('week', '(select span_start from span)'), '(select span_end from span)') }}
    ) as series
),

local_windows as (
    select
        intervals.schedule_id,
        intervals.time_zone,
        {{ dbt.dateadd('minute', 'intervals.start_minute', 'cast(weeks.week_sunday as ' ~ dbt.type_timestamp() ~ ')') }} as local_start,
        {{ dbt.dateadd('minute', 'intervals.end_minute', 'cast(weeks.week_sunday as ' ~ dbt.type_timestamp() ~ ')') }} as local_end
    from weeks
    cross join intervals
)

select
    schedule_id,
    {{ local_to_utc('local_start', 'time_zone') }} as window_start,
    {{ local_to_utc('local_end', 'time_zone') }} as window_end
from local_windows
