-- The benchmark's baseline: Time to Smile and the phase hours of every case, computed in one
-- DuckDB statement straight from the raw tables of warehouse.duckdb, with metrics.md's rules
-- and none of the pipeline's machinery (no dbt, no validation, no intermediate tables, no
-- tests). It measures what the bare engine needs for the product's core number; `smile bench`
-- times it beside the pipeline and checks that both agree on every case.
--
-- It assumes clean input (the generator's companies): no record is held back by validation,
-- and timestamps are ISO 8601. Parameter $as_of: the run's as-of time (UTC, naive).
with tickets as (
    select
        cast(record_id as bigint) as case_id,
        cast(cast(record ->> '$.created_at' as timestamptz) as timestamp) as created_at,
        cast(cast(record ->> '$.updated_at' as timestamptz) as timestamp) as updated_at,
        record ->> '$.status' as status,
        record ->> '$.satisfaction_rating.score' as ticket_score,
        record
    from raw.zendesk_tickets
    where record ->> '$.status' <> 'deleted'
      and not coalesce(list_contains(cast(record -> '$.tags' as varchar[]), 'closed_by_merge'), false)
),

impact as (  -- the custom field "Impact started at": when the customer's use was interrupted
    select tickets.case_id, min(cast(cast(field ->> '$.value' as timestamptz) as timestamp)) as impact_at
    from tickets, unnest(cast(record -> '$.custom_fields' as json[])) as f(field)
    where cast(field ->> '$.id' as bigint) in (
        select cast(record_id as bigint) from raw.zendesk_ticket_fields where record ->> '$.title' = 'Impact started at')
      and field ->> '$.value' is not null
    group by tickets.case_id
),

latest_rating as (
    select cast(record ->> '$.ticket_id' as bigint) as case_id,
        arg_max(record ->> '$.score', (cast(cast(record ->> '$.updated_at' as timestamptz) as timestamp), cast(record_id as bigint))) as score
    from raw.zendesk_satisfaction_ratings
    where record ->> '$.score' in ('good', 'bad')
    group by 1
),

events as (  -- every audit event, once (an event id repeated across audits counts at its first audit)
    select cast(a.record ->> '$.ticket_id' as bigint) as case_id, cast(a.record_id as bigint) as audit_id,
        cast(cast(a.record ->> '$.created_at' as timestamptz) as timestamp) as ts,
        cast(a.record ->> '$.author_id' as bigint) as audit_author_id, e.event
    from raw.zendesk_ticket_audits as a, unnest(cast(a.record -> '$.events' as json[])) as e(event)
    qualify e.event ->> '$.id' is null
        or row_number() over (partition by (e.event ->> '$.id') order by ts, audit_id) = 1
),

statuses as (  -- the ticket's status from each audit that set it (the audit's last value wins)
    select case_id, ts, audit_id, arg_max(event ->> '$.value', cast(event ->> '$.id' as bigint)) as status
    from events
    where event ->> '$.type' in ('Create', 'Change') and event ->> '$.field_name' = 'status'
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
    where event ->> '$.type' = 'Comment' and cast(event ->> '$.public' as boolean)
      and coalesce(cast(event ->> '$.author_id' as bigint), audit_author_id) in (
          select cast(record_id as bigint) from raw.zendesk_users where record ->> '$.role' in ('agent', 'admin'))
    group by case_id
),

issues as (
    select record_id as issue_id, cast(cast(record ->> '$.fields.created' as timestamptz) as timestamp) as created_at,
        record ->> '$.fields.status.name' as status_name, record ->> '$.fields.status.statusCategory.key' as category,
        cast(cast(record ->> '$.fields.resolutiondate' as timestamptz) as timestamp) as resolved_at, record
    from raw.jira_issues
),

status_changes as (
    select issues.issue_id, cast(cast(h ->> '$.created' as timestamptz) as timestamp) as ts, h ->> '$.id' as history_id,
        item ->> '$.fromString' as from_status, item ->> '$.toString' as to_status
    from issues, unnest(cast(record -> '$.changelog.histories' as json[])) as hs(h),
        unnest(cast(h -> '$.items' as json[])) as its(item)
    where item ->> '$.field' = 'status'
),

categories as (  -- a status's category as the issues report it, else the reference table's
    select status_name, max(category) as category from issues group by status_name
    union all
    select status_name, status_category from reference.jira_status_categories
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
    select cast(l.record ->> '$.ticket_id' as bigint) as case_id,
        greatest(o.open_from, cast(cast(l.record ->> '$.created_at' as timestamptz) as timestamp)) as eng_from,
        o.open_to as eng_to
    from raw.zendesk_jira_links as l
    join open_intervals as o on o.issue_id = l.record ->> '$.issue_id'
    join journeys as j on j.case_id = cast(l.record ->> '$.ticket_id' as bigint)
    where (o.open_to is null or o.open_to > cast(cast(l.record ->> '$.created_at' as timestamptz) as timestamp))
      and cast(cast(l.record ->> '$.created_at' as timestamptz) as timestamp) < j.journey_end_at
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
