-- Every raw Salesforce AccountHistory row, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('salesforce', 'AccountHistory'), [
    {'name': 'account_history_id', 'path': 'Id', 'from_record_id': true, 'required': true},
    {'name': 'account_id', 'path': 'AccountId', 'required': true},
    {'name': 'field_name', 'path': 'Field', 'required': true},
    {'name': 'old_value', 'path': 'OldValue'},
    {'name': 'new_value', 'path': 'NewValue'},
    {'name': 'changed_at', 'path': 'CreatedDate', 'type': 'timestamp', 'required': true},
]) }}
