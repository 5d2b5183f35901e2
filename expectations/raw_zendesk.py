"""The helpdesk's records as this run loaded them (sources.md, Zendesk): shapes, vocabularies, references."""

from .core import (
    INTEGER, NUMBER, TEXT, TIMESTAMP, Suite, is_true, json_kind, known, one_of, raw_frame, required, text, timestamp_text,
    unique,
)
from .domains import CHANNELS

TICKET_STATUSES = ["new", "open", "pending", "hold", "solved", "closed", "deleted"]
PRIORITIES = ["low", "normal", "high", "urgent"]


def _raw(table: str, columns: dict[str, str], expectations: list) -> Suite:
    return Suite(
        name=f"raw_{table}", table=f"raw.{table}", frame=raw_frame(table, columns),
        expectations=lambda previous_rows=None: [unique("record_id"), *expectations], blocking=False,
    )


SUITES = (
    _raw(
        "zendesk_tickets",
        {
            "id_type": json_kind("$.id"), "created_at_type": json_kind("$.created_at"),
            "status": text("$.status"), "priority": text("$.priority"), "channel": text("$.via.channel"),
            "requester_id_type": json_kind("$.requester_id"),
            "requester_is_known_user": known("$.requester_id", "zendesk_users"),
            "organization_is_known": known("$.organization_id", "zendesk_organizations"),
            "tags_type": json_kind("$.tags"), "custom_fields_type": json_kind("$.custom_fields"),
        },
        [
            *required("id_type", "created_at_type", "status", "requester_id_type"),
            one_of("id_type", INTEGER), one_of("created_at_type", TIMESTAMP), one_of("requester_id_type", INTEGER),
            one_of("status", TICKET_STATUSES), one_of("priority", PRIORITIES), one_of("channel", CHANNELS),
            is_true("requester_is_known_user"), is_true("organization_is_known"),
            one_of("tags_type", ["ARRAY"]), one_of("custom_fields_type", ["ARRAY"]),
        ],
    ),
    # The audits keep no record text (loading/source_collections.py, TYPED_ONLY): their suite reads
    # the typed columns, each value as its text, so "an integer" is text that is one.
    Suite(
        name="raw_zendesk_ticket_audits", table="raw.zendesk_ticket_audits",
        frame=f"""select record_id,
    try_cast(record_id as bigint) is not null as id_is_integer,
    created_at,
    case when created_at is not null then {timestamp_text("created_at")} end as created_at_is_timestamp,
    events is not null as events_is_list,
    case when ticket_id is null then null else ticket_id in (select record_id from raw.zendesk_tickets) end as ticket_is_known
from raw.zendesk_ticket_audits
where _loaded_at >= ?""",
        expectations=lambda previous_rows=None: [
            unique("record_id"), *required("created_at", "ticket_is_known"),
            is_true("id_is_integer"), is_true("created_at_is_timestamp"), is_true("events_is_list"), is_true("ticket_is_known"),
        ],
        blocking=False,
    ),
    _raw(
        "zendesk_users",
        {
            "id_type": json_kind("$.id"), "role": text("$.role"),
            "organization_is_known": known("$.organization_id", "zendesk_organizations"),
            "default_group_is_known": known("$.default_group_id", "zendesk_groups"),
        },
        [
            *required("id_type", "role"), one_of("id_type", INTEGER), one_of("role", ["end-user", "agent", "admin"]),
            is_true("organization_is_known"), is_true("default_group_is_known"),
        ],
    ),
    _raw(
        "zendesk_groups",
        {"id_type": json_kind("$.id"), "name": text("$.name")},
        [*required("id_type", "name"), one_of("id_type", INTEGER)],
    ),
    _raw(
        "zendesk_organizations",
        {
            "id_type": json_kind("$.id"), "name": text("$.name"),
            # organizations -> CRM accounts: the bridge every account-level metric crosses
            "external_id_is_known_account": known("$.external_id", "salesforce_account"),
        },
        [*required("id_type", "name"), one_of("id_type", INTEGER), is_true("external_id_is_known_account")],
    ),
    _raw(
        "zendesk_ticket_fields",
        {"id_type": json_kind("$.id"), "title": text("$.title"), "type": text("$.type")},
        [*required("id_type", "title", "type"), one_of("id_type", INTEGER)],
    ),
    _raw(
        "zendesk_satisfaction_ratings",
        {
            "id_type": json_kind("$.id"), "score": text("$.score"), "created_at_type": json_kind("$.created_at"),
            "ticket_is_known": known("$.ticket_id", "zendesk_tickets"),
        },
        [
            *required("id_type", "score", "created_at_type", "ticket_is_known"), one_of("id_type", INTEGER),
            one_of("score", ["good", "bad", "offered", "unoffered"]), one_of("created_at_type", TIMESTAMP),
            is_true("ticket_is_known"),
        ],
    ),
    _raw(
        "zendesk_schedules",
        {"id_type": json_kind("$.id"), "time_zone": text("$.time_zone"), "intervals_type": json_kind("$.intervals")},
        [*required("id_type", "time_zone", "intervals_type"), one_of("id_type", INTEGER), one_of("intervals_type", ["ARRAY"])],
    ),
    _raw(
        "zendesk_jira_links",
        {
            "id_type": json_kind("$.id"), "issue_key_type": json_kind("$.issue_key"),
            "ticket_is_known": known("$.ticket_id", "zendesk_tickets"),
            # links -> Jira issues, across systems
            "issue_is_known": known("$.issue_id", "jira_issues"),
        },
        [
            *required("id_type", "ticket_is_known", "issue_is_known"), one_of("id_type", NUMBER),
            one_of("issue_key_type", TEXT), is_true("ticket_is_known"), is_true("issue_is_known"),
        ],
    ),
)
