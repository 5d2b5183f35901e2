-- Public agent comments per case: the first reply ends the first_response phase;
-- their count decides first contact resolution.
-- Incremental per case (docs/incremental.md).
{{ incremental_per_case() }}

with events as (
    select * from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment' and is_public
      and {{ changed_cases_only('ticket_id') }}
),

agents as (
    select user_id from {{ ref('stg_zendesk__users') }} where is_agent
)

select
    events.ticket_id as case_id,
    min(events.audit_at) as first_reply_at,
    count(*) as public_agent_comment_count
from events
inner join agents on agents.user_id = events.comment_author_id
group by events.ticket_id
