-- Every raw ticket, typed, with the reason it cannot be measured (null when it can): a
-- missing required key or a wrong type (found in base_zendesk__tickets_typed), a value
-- outside the vendor's vocabulary (sources.md), a requester or organization the helpdesk
-- does not know (yet), or a clock that runs backwards. A rejected ticket is held back, not lost: it is listed
-- in int_quarantined_records and comes back by itself once a later drop fixes it.
-- A table, incremental per ticket: a record loaded for the ticket, one of its audits, its
-- requester or its organization puts it on base_zendesk__tickets_changed, and its row is
-- decided afresh (as a view, every model reading it regrouped all the audits: seven times
-- a build, 0.4-0.9 s each at 1M tickets). A record whose id is not a ticket id touches no
-- ticket; it is redone when a newer version of it is loaded.
-- depends_on: {{ ref('base_zendesk__tickets_changed') }}
{{ incremental_per_record() }}

with typed as (
    select * from {{ ref('base_zendesk__tickets_typed') }}
    {% if is_incremental() %}
    where {{ changed_tickets_only() }} or {{ loaded_since_last_build() }}
    {% endif %}
),

first_audits as (
    select ticket_id, min(audit_at) as first_audit_at
    from {{ ref('base_zendesk__ticket_audits') }}
    where rejection_reason is null
      and {{ changed_tickets_only() }}
    group by ticket_id
),

-- the usable ones (what stg_zendesk__users and stg_zendesk__organizations keep), read from
-- the validated layer so that base_ reads only sources and base_ models
known_users as (
    select user_id from {{ ref('base_zendesk__users') }} where rejection_reason is null
),

known_organizations as (
    select organization_id from {{ ref('base_zendesk__organizations') }} where rejection_reason is null
)

select
    {{ star_except(['type_problem'], 'typed') }},
    case
        when typed.type_problem is not null then typed.type_problem
        when status not in ('new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted')
            then 'unknown value: status = ' || status
        when priority not in ('low', 'normal', 'high', 'urgent') then 'unknown value: priority = ' || priority
        when channel not in (select channel from {{ ref('channels') }}) then 'unknown value: via.channel = ' || channel
        when known_users.user_id is null then 'unknown requester: user ' || typed.requester_id
        when typed.organization_id is not null and known_organizations.organization_id is null
            then 'unknown organization: ' || typed.organization_id
        when first_audits.first_audit_at < created_at
            then 'clock skew: an audit at ' || {{ timestamp_text('first_audits.first_audit_at') }}
                || ' precedes the creation at ' || {{ timestamp_text('created_at') }}
    end as rejection_reason
from typed
left join known_users on known_users.user_id = typed.requester_id
left join known_organizations on known_organizations.organization_id = typed.organization_id
left join first_audits on first_audits.ticket_id = typed.ticket_id
