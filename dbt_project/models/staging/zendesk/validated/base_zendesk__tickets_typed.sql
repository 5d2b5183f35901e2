-- Every raw ticket, its text columns (parsed once by the load) typed, with `type_problem`: the first
-- field that is missing though required or does not type (null when all do). Incremental: a
-- run types only the tickets loaded since the last complete build (a newer version replaces
-- the row); whether a ticket can be measured is decided in base_zendesk__tickets, because
-- that also depends on other records (its requester, its organization, its audits).
{{ incremental_per_record() }}

{%- set fields = [
    {'name': 'ticket_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'created_at', 'path': 'created_at', 'type': 'timestamp', 'required': true},
    {'name': 'updated_at', 'path': 'updated_at', 'type': 'timestamp'},
    {'name': 'status', 'path': 'status', 'required': true},
    {'name': 'priority', 'path': 'priority'},
    {'name': 'ticket_type', 'path': 'type'},
    {'name': 'subject', 'path': 'subject', 'type': 'free_text'},
    {'name': 'requester_id', 'path': 'requester_id', 'type': 'bigint', 'required': true},
    {'name': 'submitter_id', 'path': 'submitter_id', 'type': 'bigint'},
    {'name': 'assignee_id', 'path': 'assignee_id', 'type': 'bigint'},
    {'name': 'group_id', 'path': 'group_id', 'type': 'bigint'},
    {'name': 'organization_id', 'path': 'organization_id', 'type': 'bigint'},
    {'name': 'channel', 'path': 'via.channel', 'required': true},
    {'name': 'satisfaction_score', 'path': 'satisfaction_rating.score'},
] %}

with source as (
    select * from {{ source('zendesk', 'tickets') }}
    {% if is_incremental() %}
    where {{ loaded_since_last_build() }}
    {% endif %}
),

typed as (
    select
        record_id,
        {{ typed_fields(fields) }},
        -- Zendesk closes the source ticket of a merge and tags it closed_by_merge.
        {{ list_contains_text(raw_field('tags'), 'closed_by_merge') }} as is_closed_by_merge,
        -- a list of (id, value) text pairs: stg_zendesk__ticket_custom_field_values flattens it
        {{ raw_field('custom_fields') }} as custom_fields,
        record_version as source_version,
        _source_file,
        _source_line,
        _loaded_at
    from source
)

select
    {{ star_except([text_columns(fields)]) }},
    case {{- type_problems(fields) }}
    end as type_problem
from typed
