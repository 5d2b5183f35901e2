-- Every raw satisfaction rating, typed, with the reason it cannot be used (null when it can):
-- besides its own fields, a rating needs a ticket that is measured. A rating on a ticket that
-- is unknown (not arrived yet), deleted or held back is listed, not dropped from CSAT unseen.
{{ validated_collection(source('zendesk', 'satisfaction_ratings'), [
        {'name': 'satisfaction_rating_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
        {'name': 'ticket_id', 'path': 'ticket_id', 'type': 'bigint', 'required': true},
        {'name': 'score', 'path': 'score', 'required': true},
        {'name': 'rating_comment', 'path': 'comment', 'type': 'free_text'},
        {'name': 'created_at', 'path': 'created_at', 'type': 'timestamp', 'required': true},
        {'name': 'updated_at', 'path': 'updated_at', 'type': 'timestamp'},
    ],
    checks=[
        ["score not in ('good', 'bad', 'offered', 'unoffered')", "'unknown value: score = ' || score"],
        ["tickets.ticket_id is null", "'unknown ticket: ' || typed.ticket_id"],
        ["tickets.status = 'deleted'", "'ticket deleted: ' || typed.ticket_id"],
        ["tickets.rejection_reason is not null", "'ticket held back: ' || typed.ticket_id"],
    ],
    joins="left join " ~ ref('base_zendesk__tickets') ~ " as tickets on tickets.ticket_id = typed.ticket_id",
) }}
