-- Every raw Zendesk ticket field, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('zendesk', 'ticket_fields'), [
    {'name': 'ticket_field_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'title', 'path': 'title'},
    {'name': 'field_type', 'path': 'type'},
]) }}
