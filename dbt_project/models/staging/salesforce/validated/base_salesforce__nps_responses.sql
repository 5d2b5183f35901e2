-- Every raw NPS survey response, typed, with the reason it cannot be used (null when it can):
-- a score outside 0-10 is listed rather than counted.
{{ validated_collection(source('salesforce', 'NPS_Response__c'), [
        {'name': 'nps_response_id', 'path': 'Id', 'from_record_id': true, 'required': true},
        {'name': 'account_id', 'path': 'Account__c', 'required': true},
        {'name': 'contact_id', 'path': 'Contact__c'},
        {'name': 'score', 'path': 'Score__c', 'type': 'whole_number', 'required': true},
        {'name': 'response_comment', 'path': 'Comment__c', 'type': 'free_text'},
        {'name': 'responded_at', 'path': 'CreatedDate', 'type': 'timestamp', 'required': true},
    ],
    checks=[["score not between 0 and 10", "'out of range: Score__c = ' || score"]],
) }}
