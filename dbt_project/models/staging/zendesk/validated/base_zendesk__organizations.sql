-- Every raw Zendesk organization, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('zendesk', 'organizations'), [
    {'name': 'organization_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
    {'name': 'organization_name', 'path': 'name', 'type': 'free_text'},
    {'name': 'account_id', 'path': 'external_id'},
]) }}
