-- Every raw ticket, typed, with the reason it cannot be measured (null when it can):
-- a wrong type, a missing required key, a value outside the vendor's vocabulary
-- (sources.md), a requester or organization the helpdesk does not know (yet), or a
-- clock that runs backwards. A rejected ticket is held back, not lost: it is listed
-- in int_quarantined_records and comes back by itself once a later drop fixes it.
with source as (
    select * from {{ source('zendesk', 'tickets') }}
),

typed as (
    select
        record_id,
        try_cast(record_id as bigint) as ticket_id,
        {{ json_text('record', 'created_at') }} as created_at_text,
        {{ to_utc_timestamp(json_text('record', 'created_at')) }} as created_at,
        {{ to_utc_timestamp(json_text('record', 'updated_at')) }} as updated_at,
        {{ json_text('record', 'status') }} as status,
        {{ json_text('record', 'priority') }} as priority,
        {{ json_text('record', 'type') }} as ticket_type,
        {{ json_text('record', 'subject') }} as subject,
        {{ json_text('record', 'requester_id') }} as requester_id_text,
        try_cast({{ json_text('record', 'requester_id') }} as bigint) as requester_id,
        try_cast({{ json_text('record', 'submitter_id') }} as bigint) as submitter_id,
        try_cast({{ json_text('record', 'assignee_id') }} as bigint) as assignee_id,
        try_cast({{ json_text('record', 'group_id') }} as bigint) as group_id,
        {{ json_text('record', 'organization_id') }} as organization_id_text,
        try_cast({{ json_text('record', 'organization_id') }} as bigint) as organization_id,
        {{ json_text('record', 'via.channel') }} as channel,
        {{ json_text('record', 'satisfaction_rating.score') }} as satisfaction_score,
        -- Zendesk closes the source ticket of a merge and tags it closed_by_merge.
        {{ json_array_contains_text('record', 'tags', 'closed_by_merge') }} as is_closed_by_merge,
        record_version as source_version,
        record,
        _source_file,
        _source_line
    from source
),

first_audits as (
    select ticket_id, min(audit_at) as first_audit_at
    from {{ ref('base_zendesk__ticket_audits') }}
    where rejection_reason is null
    group by ticket_id
),

known_users as (
    select user_id from {{ ref('stg_zendesk__users') }}
),

known_organizations as (
    select organization_id from {{ ref('stg_zendesk__organizations') }}
)

select
    typed.*,
    case
        when typed.ticket_id is null then 'wrong type: id'
        when created_at_text is null then 'missing required key: created_at'
        when created_at is null then 'wrong type: created_at (not a timestamp)'
        when status is null then 'missing required key: status'
        when status not in ('new', 'open', 'pending', 'hold', 'solved', 'closed', 'deleted')
            then 'unknown value: status = ' || status
        when priority not in ('low', 'normal', 'high', 'urgent') then 'unknown value: priority = ' || priority
        when channel is null then 'missing required key: via.channel'
        when channel not in ('email', 'web', 'chat', 'voice', 'api') then 'unknown value: via.channel = ' || channel
        when requester_id_text is null then 'missing required key: requester_id'
        when typed.requester_id is null then 'wrong type: requester_id'
        when known_users.user_id is null then 'unknown requester: user ' || typed.requester_id
        when organization_id_text is not null and typed.organization_id is null then 'wrong type: organization_id'
        when typed.organization_id is not null and known_organizations.organization_id is null
            then 'unknown organization: ' || typed.organization_id
        when first_audits.first_audit_at < created_at
            then 'clock skew: an audit at ' || strftime(first_audits.first_audit_at, '%Y-%m-%d %H:%M:%S')
                || ' precedes the creation at ' || strftime(created_at, '%Y-%m-%d %H:%M:%S')
    end as rejection_reason
from typed
left join known_users on known_users.user_id = typed.requester_id
left join known_organizations on known_organizations.organization_id = typed.organization_id
left join first_audits on first_audits.ticket_id = typed.ticket_id
