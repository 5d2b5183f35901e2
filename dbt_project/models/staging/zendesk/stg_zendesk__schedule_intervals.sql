-- A schedule's weekly open intervals, in minutes from Sunday 00:00 local time.
with source as (
    select * from {{ source('zendesk', 'schedules') }}
),

intervals as (
    select
        cast(record_id as bigint) as schedule_id,
        {{ json_array_elements('record', 'intervals') }} as schedule_interval
    from source
)

select
    schedule_id,
    cast({{ json_text('schedule_interval', 'start_time') }} as integer) as start_minute,
    cast({{ json_text('schedule_interval', 'end_time') }} as integer) as end_minute
from intervals
