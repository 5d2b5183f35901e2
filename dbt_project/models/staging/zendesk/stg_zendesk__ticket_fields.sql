select
    ticket_field_id,
    title,
    field_type
from {{ ref('base_zendesk__ticket_fields') }}
where rejection_reason is null
