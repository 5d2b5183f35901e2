-- The tickets whose rows the per-ticket incremental models recompute in this build:
-- every ticket with a record loaded since the last complete build (macros/incremental.sql)
-- that those models read: the ticket itself, one of its audits or satisfaction ratings,
-- or its requester or organization (which decide whether it can be measured and whose
-- account it is). Only the raw records loaded since are read.
with new_tickets as (
    select ticket_id
    from {{ ref('base_zendesk__tickets_typed') }}
    where {{ loaded_since_last_build() }}
),

new_audits as (
    select ticket_id
    from {{ ref('base_zendesk__ticket_audits') }}
    where {{ loaded_since_last_build() }}
),

-- raw, not base_zendesk__satisfaction_ratings: that model checks its ticket in
-- base_zendesk__tickets, which this list decides (a cycle)
new_ratings as (
    select try_cast({{ raw_field('ticket_id') }} as bigint) as ticket_id
    from {{ source('zendesk', 'satisfaction_ratings') }}
    where {{ loaded_since_last_build() }}
),

new_people as (
    select tickets.ticket_id
    from {{ ref('base_zendesk__tickets_typed') }} as tickets
    where tickets.requester_id in (
            select user_id from {{ ref('base_zendesk__users') }}
            where {{ loaded_since_last_build() }})
       or tickets.organization_id in (
            select organization_id from {{ ref('base_zendesk__organizations') }}
            where {{ loaded_since_last_build() }})
)

select ticket_id from (
    select ticket_id from new_tickets
    union
    select ticket_id from new_audits
    union
    select ticket_id from new_ratings
    union
    select ticket_id from new_people
)
where ticket_id is not null  -- a record without a usable ticket id touches no ticket
