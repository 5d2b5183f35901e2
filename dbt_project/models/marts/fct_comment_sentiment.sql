-- One row per public comment an end user wrote on a case, with its sentiment and the
-- account's lifecycle stage when it was written. No comment text: names, emails and
-- bodies stay in the warehouse.
with sentiment as (
    select * from {{ ref('stg_enrichment__comment_sentiment') }}
),

comments as (
    select event_id, ticket_id, audit_at, comment_author_id
    from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment' and is_public
),

end_users as (
    select user_id from {{ ref('stg_zendesk__users') }} where role = 'end-user'
),

cases as (
    select case_id, account_id, segment from {{ ref('fct_case_journey') }}
),

visits as (
    select * from {{ ref('int_stage_visits_derived') }}
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
    sentiment.sentiment_compound
from comments
inner join sentiment on sentiment.comment_event_id = comments.event_id
inner join end_users on end_users.user_id = comments.comment_author_id
inner join cases on cases.case_id = comments.ticket_id
left join visits
    on visits.account_id = cases.account_id
    and {{ valid_at('visits.entered_at', 'visits.exited_at', 'comments.audit_at') }}
