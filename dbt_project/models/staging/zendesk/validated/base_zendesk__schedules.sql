-- Every raw business-hours schedule, typed, with the reason it cannot be used (null when it can):
-- its weekly intervals must be an array of whole minutes (the load reads intervals that are
-- absent, null or not an array as a null list).
{{ validated_collection(source('zendesk', 'schedules'), [
        {'name': 'schedule_id', 'path': 'id', 'from_record_id': true, 'type': 'bigint', 'required': true},
        {'name': 'schedule_name', 'path': 'name', 'type': 'free_text'},
        {'name': 'rails_time_zone', 'path': 'time_zone', 'required': true},
    ],
    checks=[
        [raw_field('intervals') ~ " is null", "'missing required key: intervals'"],
        ["not " ~ list_members_typed(raw_field('intervals'), 'start_time', 'whole_number'),
         "'wrong type: intervals[].start_time (not a whole number)'"],
        ["not " ~ list_members_typed(raw_field('intervals'), 'end_time', 'whole_number'),
         "'wrong type: intervals[].end_time (not a whole number)'"],
    ],
    columns_read=['intervals'],
) }}
