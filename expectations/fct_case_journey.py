"""The published case journeys: keys, the clock's vocabulary and sane durations."""

import great_expectations as gx

TABLE = "marts.fct_case_journey"
CHANNELS = ["email", "web", "chat", "voice", "api"]


def expectations() -> list:
    E = gx.expectations
    return [
        E.ExpectColumnValuesToNotBeNull(column="case_id"),
        E.ExpectColumnValuesToBeUnique(column="case_id"),
        E.ExpectColumnValuesToBeInSet(column="smile_status", value_set=["open", "frowning", "smiling"]),
        # the vendor's channels (sources.md); anything else means the helpdesk changed under us
        E.ExpectColumnValuesToBeInSet(column="channel", value_set=CHANNELS),
        E.ExpectColumnValuesToBeBetween(column="elapsed_hours", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="time_to_smile_hours", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="handoff_count", min_value=0),
        E.ExpectColumnValuesToBeBetween(column="reopen_count", min_value=0),
        E.ExpectColumnValuesToNotBeNull(column="started_at"),
    ]
