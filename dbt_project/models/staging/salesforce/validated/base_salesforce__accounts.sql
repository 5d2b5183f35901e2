-- Every raw Salesforce Account, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('salesforce', 'Account'), [
    {'name': 'account_id', 'path': 'Id', 'from_record_id': true, 'required': true},
    {'name': 'account_name', 'path': 'Name', 'type': 'free_text'},
    {'name': 'created_at', 'path': 'CreatedDate', 'type': 'timestamp', 'required': true},
    {'name': 'segment', 'path': 'Segment__c'},
    {'name': 'persona', 'path': 'Persona__c'},
    {'name': 'white_glove', 'path': 'White_Glove__c', 'type': 'boolean'},
    {'name': 'arr', 'path': 'ARR__c', 'type': 'double'},
    {'name': 'lifecycle_stage', 'path': 'Lifecycle_Stage__c'},
    {'name': 'preferred_channels', 'path': 'Preferred_Channels__c'},
    {'name': 'licensed_seats', 'path': 'Licensed_Seats__c', 'type': 'whole_number'},
    {'name': 'active_users', 'path': 'Active_Users__c', 'type': 'whole_number'},
    {'name': 'renewal_date', 'path': 'Renewal_Date__c', 'type': 'date'},
]) }}
