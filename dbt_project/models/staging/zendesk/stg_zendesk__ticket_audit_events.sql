-- One row per event of a valid audit of a valid ticket, in the ticket's history order
-- (audit created_at, then id). An event id seen twice on a ticket counts once, from its
-- earliest audit (base_zendesk__ticket_audit_events numbers the repeats).
-- A table, not a view: the case timeline reads it five times. Incremental per ticket:
-- only the tickets changed since the last complete build are rewritten.
{{ incremental_per_ticket() }}

select
    events.audit_id,
    events.ticket_id,
    events.audit_at,
    events.audit_author_id,
    events.audit_channel,
    events.event_id,
    events.event_type,
    events.field_name,
    events.field_value,
    events.previous_value,
    events.comment_author_id,
    events.comment_body,
    events.is_public
from {{ ref('base_zendesk__ticket_audit_events') }} as events
inner join {{ ref('stg_zendesk__tickets') }} as tickets on tickets.ticket_id = events.ticket_id
where events.occurrence = 1
  and {{ changed_tickets_only('events.ticket_id') }}
