-- Which tickets are cases, and when the customer's interruption began.
-- metrics.md: deleted tickets and tickets closed by a merge are not cases;
-- started_at is created_at, or the "Impact started at" field when earlier.
-- Incremental per ticket (a new ticket field title rebuilds it in full: docs/incremental.md).
{{ incremental_per_ticket('case_id') }}

with tickets as (
    select * from {{ ref('stg_zendesk__tickets') }}
    where {{ changed_tickets_only() }}
),

ticket_fields as (
    select * from {{ ref('stg_zendesk__ticket_fields') }}
),

field_values as (
    select * from {{ ref('stg_zendesk__ticket_custom_field_values') }}
    where {{ changed_tickets_only() }}
),

organizations as (
    select * from {{ ref('stg_zendesk__organizations') }}
),

ratings as (
    select * from {{ ref('stg_zendesk__satisfaction_ratings') }}
    where {{ changed_tickets_only() }}
),

titled_values as (
    select
        field_values.ticket_id,
        ticket_fields.title,
        field_values.field_value
    from field_values
    inner join ticket_fields on ticket_fields.ticket_field_id = field_values.ticket_field_id
    where field_values.field_value is not null
),

impact as (
    select
        ticket_id,
        min({{ to_utc_timestamp('field_value') }}) as impact_started_at
    from titled_values
    where title = 'Impact started at'
    group by ticket_id
),

handle_time as (
    select
        ticket_id,
        max(cast(field_value as double)) as handle_time_seconds
    from titled_values
    where title = 'Total time spent (sec)'
    group by ticket_id
),

-- The latest answered rating decides whether a solved case frowns; a re-rating replaces the earlier one.
answered_ratings as (
    select
        ticket_id,
        score,
        row_number() over (
            partition by ticket_id order by updated_at desc, satisfaction_rating_id desc
        ) as recency
    from ratings
    where score in ('good', 'bad')
),

latest_rating as (
    select ticket_id, score
    from answered_ratings
    where recency = 1
)

select
    tickets.ticket_id as case_id,
    organizations.account_id,
    tickets.organization_id,
    tickets.requester_id,
    tickets.channel,
    tickets.priority,
    tickets.status as current_status,
    tickets.created_at,
    tickets.updated_at,
    case
        when impact.impact_started_at < tickets.created_at then impact.impact_started_at
        else tickets.created_at
    end as started_at,
    impact.impact_started_at,
    handle_time.handle_time_seconds,
    coalesce(latest_rating.score, tickets.satisfaction_score) as latest_rating_score
from tickets
left join organizations on organizations.organization_id = tickets.organization_id
left join impact on impact.ticket_id = tickets.ticket_id
left join handle_time on handle_time.ticket_id = tickets.ticket_id
left join latest_rating on latest_rating.ticket_id = tickets.ticket_id
where tickets.status <> 'deleted'
  and not tickets.is_closed_by_merge
