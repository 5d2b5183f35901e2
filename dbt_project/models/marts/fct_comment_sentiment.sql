-- One row per public comment an end user wrote on a case, with its sentiment and the
-- account's lifecycle stage when it was written. Names, emails and whole bodies stay in
-- the warehouse; recent comments carry a short excerpt for the voice-of-the-customer view,
-- with contact details redacted (docs/privacy.md).
-- Incremental per case (docs/incremental.md). A published contract: a new column comes with
-- a new project version, which rebuilds in full, so a schema change here is a bug (fail).
{{ incremental_per_case() }}

with sentiment as (
    select * from {{ ref('stg_enrichment__comment_sentiment') }}
    where {{ changed_cases_only('ticket_id') }}
),

comments as (
    select event_id, ticket_id, audit_at, comment_author_id, comment_body
    from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment' and is_public
      and {{ changed_cases_only('ticket_id') }}
),

end_users as (
    select user_id from {{ ref('stg_zendesk__users') }} where role = 'end-user'
),

cases as (
    select case_id, account_id, segment from {{ ref('fct_case_journey') }}
    where {{ changed_cases_only() }}
),

visits as (
    select * from {{ ref('int_stage_visits_derived') }}
),

run_context as (
    select as_of from {{ ref('int_run_context') }}
)

select
    comments.event_id as comment_id,
    comments.ticket_id as case_id,
    comments.audit_at as commented_at,
    cases.account_id,
    cases.segment,
    visits.stage as lifecycle_stage,
    visits.cycle_number,
    sentiment.sentiment,
    sentiment.sentiment_compound,
    -- Only recent comments are quoted (data minimisation). Redact before cutting, so a card
    -- number or address split by the cut is still recognised; the first 1,000 characters
    -- bound the regular expressions' work and reach well past the excerpt.
    case when comments.audit_at >= run_context.as_of - interval {{ var('excerpt_days') }} day
        -- control characters removed: an excerpt reaches analysts' terminals and the app
        then left({{ clean_text(redact_contact_details('left(comments.comment_body, 1000)')) }}, {{ var('excerpt_characters') }})
    end as excerpt
from comments
cross join run_context
inner join sentiment on sentiment.comment_event_id = comments.event_id
inner join end_users on end_users.user_id = comments.comment_author_id
inner join cases on cases.case_id = comments.ticket_id
left join visits
    on visits.account_id = cases.account_id
    and {{ valid_at('visits.entered_at', 'visits.exited_at', 'comments.audit_at') }}
