"""The published journey segments: the phase vocabulary and positive durations."""

import great_expectations as gx

TABLE = "marts.fct_case_phases"
PHASES = ["reopen_gap", "waiting_on_customer", "engineering", "first_response", "close_the_loop", "support_investigation"]


def expectations(previous_rows: int | None = None) -> list:
    E = gx.expectations
    return [
        E.ExpectColumnValuesToNotBeNull(column="case_id"),
        E.ExpectColumnValuesToBeInSet(column="phase", value_set=PHASES),
        E.ExpectColumnValuesToNotBeNull(column="holder"),
        E.ExpectColumnValuesToBeBetween(column="calendar_hours", min_value=0, strict_min=True),
        E.ExpectColumnValuesToBeBetween(column="business_hours", min_value=0),
    ]
