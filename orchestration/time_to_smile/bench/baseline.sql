-- The benchmark's strong baseline: Time to Smile and the phase hours of every case, computed by
-- DuckDB straight from the source files (sources.md's JSON Lines), with metrics.md's rules and none
-- of the pipeline's machinery (no loader, no raw tables, no dbt, no validation, no intermediate
-- models, no tests). `smile bench` times the whole script, reading the files included, and divides
-- the pipeline's time by it; it also checks that both agree on every case.
--
-- Two steps. Load: each collection's files are read once by DuckDB's JSON reader with an explicit
-- typed schema of only the fields the rules need (timestamps parsed as they are read, an audit's
-- events a typed list unnested once), into temporary tables, so no JSON text is kept or parsed
-- again and the planner knows the tables' sizes. Compute: one statement, today's rules (the
-- former baseline.sql over the raw tables, read here from the typed tables instead).
--
-- It assumes clean input (the generator's companies): no record is held back by validation,
-- and timestamps are ISO 8601. A record repeated in a later file drop counts in its newest
-- version, as the loader keeps it (the newest version, on a tie the later file: sources.md).
-- Audits are immutable and an event repeated across audits counts once (below), so audits are
-- not deduplicated. Parameters (bench/baseline.py): $as_of, the run's as-of time (UTC, naive);
-- $tickets, $audits, $users, $ticket_fields, $ratings, $links, $issues, each collection's files in
-- the loader's order (oldest drop first); $status_categories, the dbt seed jira_status_categories.csv.
-- Statements end with a semicolon at the end of a line; the last one's result is the baseline.

-- 1. Load: each collection's files read once, typed as they are read, newest version of each record.

create temp table src_tickets as
select id as case_id, cast(created_at as timestamp) as created_at, cast(updated_at as timestamp) as updated_at,
    status, satisfaction_rating.score as ticket_score, tags, custom_fields
from read_json($tickets, format = 'newline_delimited', filename = true, columns = {
    id: 'BIGINT', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ', generated_timestamp: 'DOUBLE',
    status: 'VARCHAR', tags: 'VARCHAR[]', custom_fields: 'STRUCT(id BIGINT, value VARCHAR)[]',
    satisfaction_rating: 'STRUCT(score VARCHAR)'})
-- the loader's version: generated_timestamp (epoch seconds), else updated_at; on a tie the later file
qualify row_number() over (partition by id order by coalesce(to_timestamp(generated_timestamp), updated_at) desc nulls last,
    list_position($tickets, filename) desc) = 1;

-- every audit's events, unnested once into typed columns
create temp table src_audit_events as
select a.ticket_id as case_id, a.id as audit_id, cast(a.created_at as timestamp) as ts, a.author_id as audit_author_id,
    e.event.id as event_id, e.event.type as event_type, e.event.field_name, e.event.value,
    e.event.author_id, e.event.public
from read_json($audits, format = 'newline_delimited', columns = {
        id: 'BIGINT', ticket_id: 'BIGINT', created_at: 'TIMESTAMPTZ', author_id: 'BIGINT',
        events: 'STRUCT(id BIGINT, type VARCHAR, field_name VARCHAR, value VARCHAR, author_id BIGINT, public BOOLEAN)[]'}) as a,
    unnest(a.events) as e(event);

create temp table src_ticket_fields as
select id, title
from read_json($ticket_fields, format = 'newline_delimited', filename = true, columns = {
    id: 'BIGINT', title: 'VARCHAR', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ'})
qualify row_number() over (partition by id order by coalesce(updated_at, created_at) desc nulls last,
    list_position($ticket_fields, filename) desc) = 1;

create temp table src_users as
select id, role
from read_json($users, format = 'newline_delimited', filename = true, columns = {
    id: 'BIGINT', role: 'VARCHAR', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ'})
qualify row_number() over (partition by id order by coalesce(updated_at, created_at) desc nulls last,
    list_position($users, filename) desc) = 1;

create temp table src_ratings as
select id, ticket_id as case_id, score, cast(updated_at as timestamp) as updated_at
from read_json($ratings, format = 'newline_delimited', filename = true, columns = {
    id: 'BIGINT', ticket_id: 'BIGINT', score: 'VARCHAR', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ'})
qualify row_number() over (partition by id order by coalesce(updated_at, created_at) desc nulls last,
    list_position($ratings, filename) desc) = 1;

create temp table src_links as
select ticket_id as case_id, issue_id, cast(created_at as timestamp) as linked_at
from read_json($links, format = 'newline_delimited', filename = true, columns = {
    id: 'BIGINT', ticket_id: 'BIGINT', issue_id: 'VARCHAR', created_at: 'TIMESTAMPTZ', updated_at: 'TIMESTAMPTZ'})
qualify row_number() over (partition by id order by coalesce(updated_at, created_at) desc nulls last,
    list_position($links, filename) desc) = 1;

create temp table src_issues as
select id as issue_id, cast(fields.created as timestamp) as created_at, fields.status.name as status_name,
    fields.status.statusCategory.key as category, cast(fields.resolutiondate as timestamp) as resolved_at,
    changelog.histories as histories
from read_json($issues, format = 'newline_delimited', filename = true, columns = {
    id: 'VARCHAR',
    fields: 'STRUCT(created TIMESTAMPTZ, updated TIMESTAMPTZ, resolutiondate TIMESTAMPTZ,
                    status STRUCT(name VARCHAR, statusCategory STRUCT("key" VARCHAR)))',
    changelog: 'STRUCT(histories STRUCT(id VARCHAR, created TIMESTAMPTZ,
                       items STRUCT(field VARCHAR, fromString VARCHAR, toString VARCHAR)[])[])'})
qualify row_number() over (partition by id order by coalesce(fields.updated, fields.created) desc nulls last,
    list_position($issues, filename) desc) = 1;

create temp table src_status_categories as
select status_name, status_category
from read_csv($status_categories, header = true, columns = {status_name: 'VARCHAR', status_category: 'VARCHAR'});

-- 2. Compute: metrics.md's rules over the loaded tables (the result of this last statement is the baseline).

with tickets as (
    select case_id, created_at, updated_at, status, ticket_score, custom_fields
    from src_tickets
    where status <> 'deleted' and not coalesce(list_contains(tags, 'closed_by_merge'), false)
),

impact as (  -- the custom field "Impact started at": when the customer's use was interrupted
    select tickets.case_id, min(cast(cast(field.value as timestamptz) as timestamp)) as impact_at
    from tickets, unnest(tickets.custom_fields) as f(field)
    where field.id in (select id from src_ticket_fields where title = 'Impact started at')
      and field.value is not null
    group by tickets.case_id
),

latest_rating as (
    select case_id, arg_max(score, (updated_at, id)) as score
    from src_ratings
    where score in ('good', 'bad')
    group by 1
),

events as (  -- every audit event, once (an event id repeated across audits counts at its first audit)
    select * from src_audit_events
    qualify event_id is null
        or row_number() over (partition by event_id order by ts, audit_id) = 1
),

statuses as (  -- the ticket's status from each audit that set it (the audit's last value wins)
    select case_id, ts, audit_id, arg_max(value, event_id) as status
    from events
    where event_type in ('Create', 'Change') and field_name = 'status'
    group by case_id, ts, audit_id
),
status_entries as (
    select *, lag(status) over (partition by case_id order by ts, audit_id) as previous
    from statuses
),

clocks as (
    select
        tickets.case_id,
        least(tickets.created_at, coalesce(impact.impact_at, tickets.created_at)) as started_at,
        tickets.created_at,
        case when tickets.status in ('solved', 'closed') then coalesce(
            (select max(ts) from status_entries s where s.case_id = tickets.case_id and s.status = 'solved'
                and s.status is distinct from s.previous),
            (select min(ts) from status_entries s where s.case_id = tickets.case_id and s.status = 'closed'
                and s.status is distinct from s.previous),
            tickets.updated_at) end as solved_at,
        tickets.status in ('solved', 'closed') and coalesce(latest_rating.score, tickets.ticket_score) is distinct from 'bad'
            as smiled
    from tickets
    left join impact using (case_id)
    left join latest_rating using (case_id)
),

journeys as (
    select *, coalesce(solved_at, cast($as_of as timestamp)) as journey_end_at from clocks
),

first_reply as (  -- the first public comment by an agent
    select case_id, min(ts) as first_reply_at
    from events
    where event_type = 'Comment' and public
      and coalesce(author_id, audit_author_id) in (select id from src_users where role in ('agent', 'admin'))
    group by case_id
),

issues as (
    select * from src_issues
),

status_changes as (
    select issues.issue_id, cast(h.created as timestamp) as ts, h.id as history_id,
        item.fromString as from_status, item.toString as to_status
    from issues, unnest(issues.histories) as hs(h), unnest(h.items) as its(item)
    where item.field = 'status'
),

categories as (  -- a status's category as the issues report it, else the reference table's
    select status_name, max(category) as category from issues group by status_name
    union all
    select status_name, status_category from src_status_categories
    where status_name not in (select status_name from issues)
),

issue_states as (  -- open (not in the done category) from each status the issue entered
    select issue_id, created_at as ts, '0' as history_id,
        coalesce((select from_status from status_changes c where c.issue_id = issues.issue_id
                  order by c.ts, c.history_id limit 1), status_name) as status_name,
        resolved_at is not null and issue_id not in (select issue_id from status_changes) as resolved_without_history
    from issues
    union all
    select issue_id, ts, history_id, to_status, false from status_changes
),

openness as (
    select issue_id, ts, history_id,
        resolved_without_history or coalesce(categories.category, 'indeterminate') <> 'done' as is_open
    from issue_states left join categories using (status_name)
    union all
    select issue_id, resolved_at, 'resolutiondate', false from issues
    where resolved_at is not null and issue_id not in (select issue_id from status_changes)
),

open_intervals as (
    select issue_id, ts as open_from, open_to from (
        select issue_id, is_open, ts, lead(ts) over (partition by issue_id order by ts, history_id) as open_to
        from (select *, lag(is_open) over (partition by issue_id order by ts, history_id) as was_open from openness)
        where was_open is null or was_open <> is_open
    ) where is_open
),

engineering as (  -- while a linked issue is open, from the later of the link and the opening
    select l.case_id, greatest(o.open_from, l.linked_at) as eng_from, o.open_to as eng_to
    from src_links as l
    join open_intervals as o on o.issue_id = l.issue_id
    join journeys as j on j.case_id = l.case_id
    where (o.open_to is null or o.open_to > l.linked_at)
      and l.linked_at < j.journey_end_at
),

boundaries as (  -- wherever the status, a reply or an engineering issue changes
    select case_id, started_at as ts from journeys
    union select case_id, created_at from journeys
    union select case_id, journey_end_at from journeys
    union select case_id, ts from statuses
    union select case_id, first_reply_at from first_reply
    union select case_id, eng_from from engineering
    union select case_id, eng_to from engineering where eng_to is not null
),

segments as (
    select b.case_id, b.ts as seg_start, lead(b.ts) over (partition by b.case_id order by b.ts) as seg_end
    from boundaries as b join journeys as j using (case_id)
    where b.ts between j.started_at and j.journey_end_at
),

ruled as (
    select s.case_id, s.seg_start, s.seg_end,
        case
            when st.status = 'solved' then 'reopen_gap'
            when st.status = 'pending' then 'waiting_on_customer'
            when exists (select 1 from engineering e where e.case_id = s.case_id and e.eng_from <= s.seg_start
                         and (e.eng_to is null or e.eng_to > s.seg_start)) then 'engineering'
            when coalesce(r.first_reply_at <= s.seg_start, false) then 'support_investigation'
            else 'first_response'
        end as rule
    from segments as s
    left join first_reply as r using (case_id)
    asof left join statuses as st on st.case_id = s.case_id and st.ts <= s.seg_start
    where s.seg_end is not null
),

phased as (
    select case_id, (epoch(seg_end) - epoch(seg_start)) / 3600.0 as hours,
        case when rule = 'support_investigation' and coalesce(bool_or(rule = 'engineering') over (
            partition by case_id order by seg_start rows between unbounded preceding and 1 preceding), false)
            then 'close_the_loop' else rule end as phase
    from ruled
)

select
    j.case_id,
    case when j.smiled then (epoch(j.journey_end_at) - epoch(j.started_at)) / 3600.0 end as time_to_smile_hours,
    (epoch(j.journey_end_at) - epoch(j.started_at)) / 3600.0 as elapsed_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'first_response'), 0) as first_response_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'support_investigation'), 0) as support_investigation_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'engineering'), 0) as engineering_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'close_the_loop'), 0) as close_the_loop_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'waiting_on_customer'), 0) as waiting_on_customer_hours,
    coalesce(sum(p.hours) filter (where p.phase = 'reopen_gap'), 0) as reopen_gap_hours
from journeys as j
left join phased as p using (case_id)
group by all
