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
        {{ json_array_elements('source.record', 'changelog.histories') }} as history
    from source
    inner join usable on usable.issue_id = source.record_id
),

items as (
    select
        issue_id,
        {{ json_text('history', 'id') }} as history_id,
        {{ to_utc_timestamp(json_text('history', 'created')) }} as changed_at,
        {{ json_array_elements('history', 'items') }} as item
    from histories
)

select
    issue_id,
    history_id,
    changed_at,
    {{ json_text('item', 'fromString') }} as from_status,
    {{ json_text('item', 'toString') }} as to_status
from items
where {{ json_text('item', 'field') }} = 'status'
