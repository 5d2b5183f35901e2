-- Everything held back from the metrics, with where it came from and why: lines the
-- loader could not read (stage 'load') and records that failed validation (stage
-- 'validation'). Validation is recomputed every run, so a record held back because
-- its ticket or requester had not arrived yet leaves this list when they arrive.
with load_lines as (
    select
        'load' as stage,
        collection,
        cast(null as varchar) as record_id,
        file_path,
        line_number,
        reason
    from {{ source('smile', 'load_quarantine') }}
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

-- An event id already seen in an earlier audit: the repeat is ignored, and said so.
audit_event_ids as (
    select
        record_id,
        _source_file,
        _source_line,
        audit_at,
        audit_id,
        try_cast(json_extract_string(event, '$.id') as bigint) as event_id
    from (
        select *, unnest(cast(coalesce(json_extract(record, '$.events'), '[]') as json[])) as event
        from {{ ref('base_zendesk__ticket_audits') }}
        where rejection_reason is null
    )
),

duplicate_events as (
    select
        'validation' as stage,
        'zendesk_ticket_audits' as collection,
        record_id,
        _source_file as file_path,
        _source_line as line_number,
        'duplicate event id: ' || event_id || ' (counted once)' as reason
    from audit_event_ids
    where event_id is not null
    qualify row_number() over (partition by event_id order by audit_at, audit_id) > 1
)

select * from load_lines
union all
select * from tickets
union all
select * from audits
union all
select * from duplicate_events
