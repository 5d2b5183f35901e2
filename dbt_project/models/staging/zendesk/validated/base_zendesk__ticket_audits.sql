-- Every raw ticket audit, typed, with the reason it cannot be used (null when it can).
-- The checks here need nothing but the audit itself; whether its ticket is known is
-- decided in stg_zendesk__ticket_audit_events, once the tickets are checked.
-- Incremental: a run types only the audits loaded since the last complete build. The
-- events stay in the raw table's typed `events` list; base_zendesk__ticket_audit_events
-- unnests them.
{{ incremental_per_record() }}

{%- set fields = [
    {'name': 'audit_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'ticket_id', 'path': 'ticket_id', 'type': 'bigint', 'required': true},
    {'name': 'audit_at', 'path': 'created_at', 'type': 'timestamp', 'required': true},
    {'name': 'audit_author_id', 'path': 'author_id', 'type': 'bigint'},
    {'name': 'audit_channel', 'path': 'via.channel'},
] %}

with source as (
    select * from {{ source('zendesk', 'ticket_audits') }}
    {% if is_incremental() %}
    where {{ loaded_since_last_build() }}
    {% endif %}
),

typed as (
    select
        record_id,
        {{ typed_fields(fields) }},
        -- the events' type only (base_zendesk__ticket_audit_events reads them). The load typed them
        -- as a list, which is null when they are absent, null or not an array: only then is the
        -- record's text read, to tell "missing" from "wrong type".
        case when {{ raw_field('events') }} is not null then 'ARRAY'
             else {{ json_value_type('record', 'events') }} end as events_type,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select
    {{ star_except(['events_type', text_columns(fields)]) }},
    case {{- type_problems(fields) }}
        when coalesce(events_type, 'NULL') = 'NULL' then 'missing required key: events'
        when events_type <> 'ARRAY' then 'wrong type: events (not an array)'
    end as rejection_reason
from typed
