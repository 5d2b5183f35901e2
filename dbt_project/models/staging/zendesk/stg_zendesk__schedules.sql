-- Business-hours schedules. The zone is a Rails name, mapped to IANA by a seed;
-- a zone that is already an IANA name is kept as it is.
with schedules as (
    select * from {{ ref('base_zendesk__schedules') }}
    where rejection_reason is null
),

zones as (
    select * from {{ ref('zendesk_time_zones') }}
)

select
    schedules.schedule_id,
    schedules.schedule_name,
    schedules.rails_time_zone,
    coalesce(zones.iana_time_zone, schedules.rails_time_zone) as time_zone,
    -- "The first schedule is the helpdesk's default": the lowest id, as the API lists them.
    schedules.schedule_id = min(schedules.schedule_id) over () as is_default
from schedules
left join zones on zones.rails_time_zone = schedules.rails_time_zone
