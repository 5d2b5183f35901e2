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
        {{ list_elements(raw_field('intervals', 'source')) }} as schedule_interval
    from source
    inner join usable on usable.record_id = source.record_id
)

select
    schedule_id,
    {{ whole_number(raw_field('start_time', 'schedule_interval')) }} as start_minute,
    {{ whole_number(raw_field('end_time', 'schedule_interval')) }} as end_minute
from intervals
