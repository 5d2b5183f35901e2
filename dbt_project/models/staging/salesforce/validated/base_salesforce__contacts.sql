-- Every raw Salesforce Contact, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('salesforce', 'Contact'), [
    {'name': 'contact_id', 'path': 'Id', 'from_record_id': true, 'required': true},
    {'name': 'account_id', 'path': 'AccountId'},
    {'name': 'contact_name', 'path': 'Name', 'type': 'free_text'},
    {'name': 'email', 'path': 'Email'},
]) }}
