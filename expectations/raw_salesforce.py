"""The CRM's records as this run loaded them (sources.md, Salesforce): every child points at a known Account."""

from .core import (
    TIMESTAMP, Suite, at_least, between, is_true, json_kind, known, number, one_of, raw_frame, required, text, unique,
)
from .domains import LIFECYCLE_STAGES, SEGMENTS


def _raw(table: str, columns: dict[str, str], expectations: list, *, created_date_listed: bool = True) -> Suite:
    """`created_date_listed`: sources.md names CreatedDate for this object, so the warehouse relies on it."""
    columns = {"created_type": json_kind("$.CreatedDate"), **columns}
    return Suite(
        name=f"raw_{table}", table=f"raw.{table}", frame=raw_frame(table, columns),
        expectations=lambda previous_rows=None: [
            unique("record_id"), *(required("created_type") if created_date_listed else []),
            one_of("created_type", TIMESTAMP), *expectations,
        ],
        blocking=False,
    )


SUITES = (
    _raw(
        "salesforce_account",
        {
            "name": text("$.Name"), "segment": text("$.Segment__c"), "lifecycle_stage": text("$.Lifecycle_Stage__c"),
            "white_glove_type": json_kind("$.White_Glove__c"), "arr": number("$.ARR__c"),
            "arr_type": json_kind("$.ARR__c"), "licensed_seats": number("$.Licensed_Seats__c"),
            "active_users": number("$.Active_Users__c"),
        },
        [
            *required("name", "segment", "lifecycle_stage"), one_of("segment", SEGMENTS),
            one_of("lifecycle_stage", LIFECYCLE_STAGES), one_of("white_glove_type", ["BOOLEAN", "NULL"]),
            one_of("arr_type", ["UBIGINT", "BIGINT", "DOUBLE", "NULL"]), at_least("arr", 0),
            at_least("licensed_seats", 0), at_least("active_users", 0),
        ],
    ),
    _raw(
        "salesforce_accounthistory",
        {"field": text("$.Field"), "account_is_known": known("$.AccountId", "salesforce_account")},
        [*required("field", "account_is_known"), is_true("account_is_known")],
    ),
    _raw(
        "salesforce_contact",
        {"account_is_known": known("$.AccountId", "salesforce_account")},
        [is_true("account_is_known")],
        created_date_listed=False,
    ),
    _raw(
        "salesforce_opportunity",
        {
            "type": text("$.Type"), "stage_name": text("$.StageName"), "amount": number("$.Amount"),
            "is_closed_type": json_kind("$.IsClosed"), "account_is_known": known("$.AccountId", "salesforce_account"),
        },
        [
            *required("type", "stage_name", "account_is_known"), one_of("type", ["New Business", "Renewal"]),
            one_of("is_closed_type", ["BOOLEAN"]), at_least("amount", 0), is_true("account_is_known"),
        ],
        created_date_listed=False,
    ),
    _raw(
        "salesforce_nps_response__c",
        {
            "score": number("$.Score__c"), "account_is_known": known("$.Account__c", "salesforce_account"),
            "contact_is_known": known("$.Contact__c", "salesforce_contact"),
        },
        [*required("score", "account_is_known"), between("score", 0, 10), is_true("account_is_known"), is_true("contact_is_known")],
    ),
)
