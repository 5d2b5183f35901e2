-- Every raw business-hours schedule, typed, with the reason it cannot be used (null when it can):
-- its weekly intervals must be an array of whole minutes.
{{ validated_collection(source('zendesk', 'schedules'), [
        {'name': 'schedule_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
        {'name': 'schedule_name', 'path': 'name', 'type': 'free_text'},
        {'name': 'rails_time_zone', 'path': 'time_zone', 'required': true},
    ],
    checks=[
        [json_is_array('record', 'intervals') ~ " is not true", "'missing required key: intervals'"],
        ["not " ~ json_array_members_typed('record', 'intervals', 'start_time', 'whole_number'),
         "'wrong type: intervals[].start_time (not a whole number)'"],
        ["not " ~ json_array_members_typed('record', 'intervals', 'end_time', 'whole_number'),
         "'wrong type: intervals[].end_time (not a whole number)'"],
    ],
) }}
