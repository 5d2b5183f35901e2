-- Status transitions of the usable issues: the changelog histories' items whose field is "status".
with source as (
    select * from {{ source('jira', 'issues') }}
),

usable as (
    select issue_id from {{ ref('base_jira__issues') }}
    where rejection_reason is null
),

histories as (
    select
        source.record_id as issue_id,
        {{ list_elements(raw_field('changelog.histories', 'source')) }} as history
    from source
    inner join usable on usable.issue_id = source.record_id
),

items as (
    select
        issue_id,
        {{ raw_field('id', 'history') }} as history_id,
        {{ to_utc_timestamp(raw_field('created', 'history')) }} as changed_at,
        {{ list_elements(raw_field('items', 'history')) }} as item
    from histories
)

select
    issue_id,
    history_id,
    changed_at,
    {{ raw_field('fromString', 'item') }} as from_status,
    {{ raw_field('toString', 'item') }} as to_status
from items
where {{ raw_field('field', 'item') }} = 'status'
