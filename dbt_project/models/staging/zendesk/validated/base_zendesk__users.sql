-- Every raw Zendesk user, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('zendesk', 'users'), [
    {'name': 'user_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'user_name', 'path': 'name', 'type': 'free_text'},
    {'name': 'email', 'path': 'email'},
    {'name': 'role', 'path': 'role'},
    {'name': 'organization_id', 'path': 'organization_id', 'type': 'bigint'},
    {'name': 'default_group_id', 'path': 'default_group_id', 'type': 'bigint'},
]) }}
