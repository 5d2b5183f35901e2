-- Everything held back from the metrics, with where it came from and why: lines the
-- loader could not read and files it did not recognise (stage 'load'), and records that
-- failed validation (stage 'validation'). Validation is recomputed every run, so a record
-- held back because its ticket or requester had not arrived yet leaves this list when
-- they arrive.
with load_lines as (
    select
        'load' as stage,
        collection,
        cast(null as {{ dbt.type_string() }}) as record_id,
        file_path,
        line_number,
        reason
    from {{ source('smile', 'load_quarantine') }}
),

-- Files no collection claims: listed with their path and why (a whole file, so no line).
unrecognised_files as (
    select
        'load' as stage,
        'unrecognised file' as collection,
        cast(null as {{ dbt.type_string() }}) as record_id,
        file_path,
        cast(null as bigint) as line_number,
        reason
    from {{ source('smile', 'unrecognised_files') }}
),

tickets as (
    select
        'validation' as stage,
        'zendesk_tickets' as collection,
        record_id,
        _source_file as file_path,
        _source_line as line_number,
        rejection_reason as reason
    from {{ ref('base_zendesk__tickets') }}
    where rejection_reason is not null
),

audits as (
    select
        'validation' as stage,
        'zendesk_ticket_audits' as collection,
        audits.record_id,
        audits._source_file as file_path,
        audits._source_line as line_number,
        coalesce(
            audits.rejection_reason,
            case when held.ticket_id is not null then 'ticket held back: ' || audits.ticket_id
                 else 'unknown ticket: ' || audits.ticket_id end
        ) as reason
    from {{ ref('base_zendesk__ticket_audits') }} as audits
    left join {{ ref('stg_zendesk__tickets') }} as tickets on tickets.ticket_id = audits.ticket_id
    left join {{ ref('base_zendesk__tickets') }} as held on held.ticket_id = audits.ticket_id
    where audits.rejection_reason is not null or tickets.ticket_id is null
),

-- Every other collection: a record whose key or a field does not type, a required field that
-- is missing, or a reference or value the metrics cannot use (validated_collection).
other_collections as (
    {%- for collection, model in validated_collections() %}
    select
        'validation' as stage,
        '{{ collection }}' as collection,
        record_id,
        _source_file as file_path,
        _source_line as line_number,
        rejection_reason as reason
    from {{ ref(model) }}
    where rejection_reason is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- An event id already seen in an earlier audit of its ticket: the repeat is ignored, and said so.
duplicate_events as (
    select
        'validation' as stage,
        'zendesk_ticket_audits' as collection,
        events.record_id,
        events._source_file as file_path,
        events._source_line as line_number,
        'duplicate event id: ' || events.event_id || ' (counted once)' as reason
    from {{ ref('base_zendesk__ticket_audit_events') }} as events
    inner join {{ ref('stg_zendesk__tickets') }} as tickets on tickets.ticket_id = events.ticket_id
    where events.occurrence > 1
)

select * from load_lines
union all
select * from unrecognised_files
union all
select * from tickets
union all
select * from audits
union all
select * from duplicate_events
union all
select * from other_collections
