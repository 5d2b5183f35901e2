with source as (
    select * from {{ source('enrichment', 'comment_sentiment') }}
),

renamed as (
    select
        event_id as comment_event_id,
        ticket_id,
        compound as sentiment_compound,
        label as sentiment,
        analyzer as sentiment_analyzer
    from source
)

select * from renamed
