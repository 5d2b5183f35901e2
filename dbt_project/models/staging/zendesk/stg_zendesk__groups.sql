select
    group_id,
    group_name
from {{ ref('base_zendesk__groups') }}
where rejection_reason is null
