-- A usable schedule's weekly open intervals, in minutes from Sunday 00:00 local time
-- (base_zendesk__schedules has checked that every one is a whole number).
with source as (
    select * from {{ source('zendesk', 'schedules') }}
),

usable as (
    select record_id, schedule_id from {{ ref('base_zendesk__schedules') }}
    where rejection_reason is null
),

intervals as (
    select
        usable.schedule_id,
        {{ json_array_elements('source.record', 'intervals') }} as schedule_interval
    from source
    inner join usable on usable.record_id = source.record_id
)

select
    schedule_id,
    {{ whole_number(json_text('schedule_interval', 'start_time')) }} as start_minute,
    {{ whole_number(json_text('schedule_interval', 'end_time')) }} as end_minute
from intervals
