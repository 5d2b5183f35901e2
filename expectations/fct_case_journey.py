"""The published case journeys: keys, the clock's vocabulary, sane durations, and no sudden loss of cases."""

import great_expectations as gx

TABLE = "marts.fct_case_journey"
CHANNELS = ["email", "web", "chat", "voice", "api"]
# Cases are only ever added (a deletion removes one now and then): a run that would publish
# more than 10% fewer cases than the last publication has lost data, not customers.
MAX_SHRINK = 0.10


def expectations(previous_rows: int | None = None) -> list:
    E = gx.expectations
    bounds = []
    if previous_rows:
        bounds.append(E.ExpectTableRowCountToBeBetween(min_value=int(previous_rows * (1 - MAX_SHRINK))))
    return bounds + [
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
