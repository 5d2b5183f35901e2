-- Business-hours schedules. The zone is a Rails name, mapped to IANA by a seed;
-- a zone that is already an IANA name is kept as it is.
with source as (
    select * from {{ source('zendesk', 'schedules') }}
),

zones as (
    select * from {{ ref('zendesk_time_zones') }}
),

renamed as (
    select
        cast(record_id as bigint) as schedule_id,
        {{ json_text('record', 'name') }} as schedule_name,
        {{ json_text('record', 'time_zone') }} as rails_time_zone
    from source
)

select
    renamed.schedule_id,
    renamed.schedule_name,
    renamed.rails_time_zone,
    coalesce(zones.iana_time_zone, renamed.rails_time_zone) as time_zone,
    -- "The first schedule is the helpdesk's default": the lowest id, as the API lists them.
    renamed.schedule_id = min(renamed.schedule_id) over () as is_default
from renamed
left join zones on zones.rails_time_zone = renamed.rails_time_zone
