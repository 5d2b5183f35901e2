-- The cases whose rows the per-case incremental models recompute in this build
-- (docs/incremental.md): everything that can change a case's rows in them (clock,
-- segments, phases, handoffs, journey, comments) since the last complete build.
--   - the changed tickets (base_zendesk__tickets_changed);
--   - every open case: its journey runs to the as-of instant, which moves each run;
--   - cases with a Jira link loaded since, or linked to a Jira issue loaded since
--     (its status history decides the engineering intervals);
--   - cases with a comment by a user loaded since (whether the author is an agent
--     decides the first reply);
--   - cases of an account with a CRM record loaded since (segment, persona, preferred
--     channels, lifecycle history) or with a stage visit entered since the last build's
--     as-of instant (a visit counts once the as-of reaches it);
--   - cases with a public comment that left the excerpt window since the last build's
--     as-of (fct_comment_sentiment quotes only the last excerpt_days).
-- New sentiment scores need no rule: only new audits are scored, and their tickets changed.
-- Every record is read through its validated (base_) model, whatever its rejection_reason:
-- a record loaded since the last build counts even when it is held back.
-- A solved case depends on nothing else that changes: a new group or schedule record,
-- which every case reads, makes the build a full refresh (build_state.py).
with previous_as_of as (
    select previous_as_of from {{ source('smile', 'build_state') }}
),

open_cases as (
    select case_id
    from {{ ref('int_cases_identified') }}
    where current_status is null or current_status not in ('solved', 'closed')
),

new_links as (
    select ticket_id as case_id
    from {{ ref('base_zendesk__jira_links') }}
    where {{ loaded_since_last_build() }}
),

linked_to_new_issues as (
    select ticket_id as case_id
    from {{ ref('stg_zendesk__jira_links') }}
    where issue_id in (select issue_id from {{ ref('base_jira__issues') }} where {{ loaded_since_last_build() }})
),

accounts_reached as (
    select account_id from {{ ref('base_salesforce__accounts') }}
    where {{ loaded_since_last_build() }}
    union
    select account_id from {{ ref('base_salesforce__account_history') }}
    where {{ loaded_since_last_build() }}
    union
    select account_id from {{ ref('int_stage_visits_derived') }}
    where entered_at > coalesce((select previous_as_of from previous_as_of), {{ earliest_timestamp() }})
),

cases_of_reached_accounts as (
    select case_id
    from {{ ref('int_cases_identified') }}
    where account_id in (select account_id from accounts_reached)
),

excerpts_expired as (
    select ticket_id as case_id
    from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment' and is_public
      and audit_at >= (select previous_as_of from previous_as_of) - interval {{ var('excerpt_days') }} day
      and audit_at < (select as_of from {{ ref('int_run_context') }}) - interval {{ var('excerpt_days') }} day
),

commented_by_new_users as (
    select ticket_id as case_id
    from {{ ref('stg_zendesk__ticket_audit_events') }}
    where event_type = 'Comment'
      and comment_author_id in (
          select user_id from {{ ref('base_zendesk__users') }}
          where {{ loaded_since_last_build() }})
)

select case_id from (
    select ticket_id as case_id from {{ ref('base_zendesk__tickets_changed') }}
    union
    select case_id from open_cases
    union
    select case_id from new_links
    union
    select case_id from linked_to_new_issues
    union
    select case_id from commented_by_new_users
    union
    select case_id from cases_of_reached_accounts
    union
    select case_id from excerpts_expired
)
where case_id is not null  -- a link without a usable ticket id reaches no case
