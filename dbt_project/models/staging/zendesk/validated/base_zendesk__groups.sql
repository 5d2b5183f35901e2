-- Every raw Zendesk group, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('zendesk', 'groups'), [
    {'name': 'group_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'group_name', 'path': 'name', 'type': 'free_text'},
]) }}
