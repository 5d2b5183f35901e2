-- Every raw Salesforce Opportunity, typed, with the reason it cannot be used (null when it can).
{{ validated_collection(source('salesforce', 'Opportunity'), [
    {'name': 'opportunity_id', 'path': 'Id', 'from_record_id': true, 'required': true},
    {'name': 'account_id', 'path': 'AccountId', 'required': true},
    {'name': 'opportunity_type', 'path': 'Type'},
    {'name': 'stage_name', 'path': 'StageName'},
    {'name': 'is_closed', 'path': 'IsClosed', 'type': 'boolean'},
    {'name': 'is_won', 'path': 'IsWon', 'type': 'boolean'},
    {'name': 'close_date', 'path': 'CloseDate', 'type': 'date'},
    {'name': 'amount', 'path': 'Amount', 'type': 'double'},
    {'name': 'loss_reason', 'path': 'Loss_Reason__c', 'type': 'free_text'},
]) }}
