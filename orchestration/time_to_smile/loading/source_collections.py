"""The catalogue of raw collections (sources.md): where each lives, how to key it, and the
typed columns the load gives it.

Each collection lands in `raw.<table>` as one row per record id holding the newest
version of the record: its JSON text (`record`) and, parsed from it once as it is read,
one typed column per top-level field of `SCHEMAS[table]` (docs/architecture.md, "The raw
layer"). `version_paths` lists, in order of preference, the JSON paths whose timestamp
orders two versions of a record.

A schema gives every field the staging models (and the sentiment scoring) read, and the
nested arrays they unnest, as text: a scalar is VARCHAR (a number or boolean as its JSON
text, an object or array as its JSON text, as `json_extract_string` gives it), an object
is a struct of its fields, an array a list of its element's shape. Typing the text is the
validation's job (dbt's base_ models: "missing required key" when it is null, "wrong type"
when a safe cast of it fails), so the quarantine reasons stay what docs/data-quality.md says.
A value whose JSON does not fit an object or array shape (a string where an object was
expected) reads as null, as a JSON path through it would.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class SourceCollection:
    system: str  # zendesk | jira | salesforce
    name: str  # file stem in the drop, e.g. "tickets" or "Account"
    id_path: str
    version_paths: tuple[str, ...]
    description: str

    @property
    def table(self) -> str:
        return f"{self.system}_{self.name.lower()}"

    @property
    def fields(self) -> tuple[str, ...]:
        """The top-level fields we know the vendor sends; any other is noted as new when it first appears."""
        return KNOWN_FIELDS[self.table]

    @property
    def keeps_text(self) -> bool:
        """Whether every record's JSON text is kept in `record`; otherwise only where the typed
        columns cannot hold the record (TYPED_ONLY)."""
        return self.table not in TYPED_ONLY

    @property
    def top_level_keys(self) -> tuple[str, ...]:
        """The top-level keys the typed columns, the id and the versions hold."""
        return tuple(json.loads(self.transform_schema()))

    @property
    def schema(self) -> dict:
        """The typed columns: top-level field -> shape (TEXT, {field: shape}, or [shape])."""
        return SCHEMAS[self.table]

    @property
    def columns(self) -> dict[str, str]:
        """Each typed column's DuckDB type, in the schema's order."""
        return {name: duckdb_type(shape) for name, shape in self.schema.items()}

    def key_schema(self) -> str:
        """The json_transform structure of the id and the versions only."""
        shape: dict = {}
        for path in (self.id_path, *self.version_paths):
            _merge(shape, _path_shape(path))
        return json.dumps(shape)

    def transform_schema(self) -> str:
        """The json_transform structure that reads the id, the versions and every typed column at once."""
        shape = json.loads(json.dumps(self.schema))
        for path in (self.id_path, *self.version_paths):
            _merge(shape, _path_shape(path))
        # a nested path's leaf must be in its column's declared shape, or the column's struct would differ
        assert all(shape[name] == member for name, member in self.schema.items()), self.table
        return json.dumps(shape)

    @property
    def folder(self) -> str:
        return self.system

    @property
    def asset_key(self) -> list[str]:
        return ["raw", self.table]


_ZD_VERSION = ("$.updated_at", "$.created_at")
_SF_VERSION = ("$.SystemModstamp", "$.LastModifiedDate", "$.CreatedDate")

COLLECTIONS: tuple[SourceCollection, ...] = (
    # Zendesk tickets carry generated_timestamp (epoch seconds), bumped on every change.
    SourceCollection("zendesk", "tickets", "$.id", ("$.generated_timestamp", "$.updated_at"), "Incremental Ticket Export"),
    SourceCollection("zendesk", "ticket_audits", "$.id", ("$.created_at",), "Ticket Audits API (immutable)"),
    SourceCollection("zendesk", "users", "$.id", _ZD_VERSION, "Users API"),
    SourceCollection("zendesk", "groups", "$.id", _ZD_VERSION, "Groups API"),
    SourceCollection("zendesk", "organizations", "$.id", _ZD_VERSION, "Organizations API"),
    SourceCollection("zendesk", "ticket_fields", "$.id", _ZD_VERSION, "Ticket Fields API"),
    SourceCollection("zendesk", "satisfaction_ratings", "$.id", _ZD_VERSION, "Satisfaction Ratings API"),
    SourceCollection("zendesk", "schedules", "$.id", _ZD_VERSION, "Business Hours Schedules API"),
    SourceCollection("zendesk", "jira_links", "$.id", _ZD_VERSION, "Jira integration links API"),
    SourceCollection("jira", "issues", "$.id", ("$.fields.updated", "$.fields.created"), "Issue search, expand=changelog"),
    SourceCollection("salesforce", "Account", "$.Id", _SF_VERSION, "REST query: Account"),
    SourceCollection("salesforce", "AccountHistory", "$.Id", ("$.CreatedDate",), "REST query: AccountHistory"),
    SourceCollection("salesforce", "Contact", "$.Id", _SF_VERSION, "REST query: Contact"),
    SourceCollection("salesforce", "Opportunity", "$.Id", _SF_VERSION, "REST query: Opportunity"),
    SourceCollection("salesforce", "NPS_Response__c", "$.Id", _SF_VERSION, "REST query: NPS_Response__c"),
)

BY_TABLE = {c.table: c for c in COLLECTIONS}

_SF_SYSTEM = ("Id", "attributes", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsDeleted")
_ZD_TIMES = ("id", "created_at", "updated_at", "url")
# sources.md's fields plus the ones the vendors send alongside them (as the sample company does).
KNOWN_FIELDS: dict[str, tuple[str, ...]] = {
    "zendesk_tickets": _ZD_TIMES + ("generated_timestamp", "status", "priority", "type", "subject", "description",
                                    "requester_id", "submitter_id", "assignee_id", "group_id", "organization_id",
                                    "tags", "custom_fields", "via", "satisfaction_rating"),
    "zendesk_ticket_audits": ("id", "ticket_id", "created_at", "author_id", "via", "events", "metadata"),
    "zendesk_users": _ZD_TIMES + ("name", "email", "role", "organization_id", "default_group_id", "active", "time_zone"),
    "zendesk_groups": _ZD_TIMES + ("name", "description", "default", "deleted"),
    "zendesk_organizations": _ZD_TIMES + ("name", "external_id", "domain_names", "tags"),
    "zendesk_ticket_fields": _ZD_TIMES + ("title", "type", "active", "required", "custom_field_options"),
    "zendesk_satisfaction_ratings": _ZD_TIMES + ("ticket_id", "score", "comment", "assignee_id", "group_id", "requester_id"),
    "zendesk_schedules": _ZD_TIMES + ("name", "time_zone", "intervals"),
    "zendesk_jira_links": _ZD_TIMES + ("ticket_id", "issue_id", "issue_key"),
    "jira_issues": ("id", "key", "self", "fields", "changelog", "expand"),
    "salesforce_account": _SF_SYSTEM + ("Name", "Website", "Industry", "BillingCountry", "Segment__c", "Persona__c",
                                        "White_Glove__c", "ARR__c", "Licensed_Seats__c", "Active_Users__c",
                                        "Preferred_Channels__c", "Lifecycle_Stage__c", "Renewal_Date__c"),
    "salesforce_accounthistory": _SF_SYSTEM + ("AccountId", "Field", "DataType", "OldValue", "NewValue"),
    "salesforce_contact": _SF_SYSTEM + ("AccountId", "FirstName", "LastName", "Name", "Email"),
    "salesforce_opportunity": _SF_SYSTEM + ("AccountId", "Name", "Type", "StageName", "Amount", "CloseDate",
                                            "IsClosed", "IsWon", "Probability", "Loss_Reason__c"),
    "salesforce_nps_response__c": _SF_SYSTEM + ("Name", "Account__c", "Contact__c", "Score__c", "Comment__c"),
}


TEXT = "VARCHAR"
JSON = "JSON"  # a value kept as its JSON text, unparsed
_ZD_VIA = {"channel": TEXT}


def _text(*names: str) -> dict:
    return {name: TEXT for name in names}


# What staging reads from each collection (models/staging/*/validated/base_*.sql and the stg_
# models that unnest arrays) and the enrichment's comments: each field as text, arrays as lists.
SCHEMAS: dict[str, dict] = {
    "zendesk_tickets": {
        **_text("created_at", "updated_at", "generated_timestamp", "status", "priority", "type", "subject",
                "requester_id", "submitter_id", "assignee_id", "group_id", "organization_id"),
        "via": _ZD_VIA,
        "satisfaction_rating": {"score": TEXT},
        "tags": [TEXT],
        "custom_fields": [_text("id", "value")],
    },
    "zendesk_ticket_audits": {
        **_text("ticket_id", "created_at", "author_id"),
        "via": _ZD_VIA,
        "events": [_text("id", "type", "field_name", "value", "previous_value", "author_id", "body", "public")],
        "metadata": JSON,  # not read by staging: kept as its JSON text (the audits keep no record text)
    },
    "zendesk_users": _text("created_at", "updated_at", "name", "email", "role", "organization_id", "default_group_id"),
    "zendesk_groups": _text("created_at", "updated_at", "name"),
    "zendesk_organizations": _text("created_at", "updated_at", "name", "external_id"),
    "zendesk_ticket_fields": _text("created_at", "updated_at", "title", "type"),
    "zendesk_satisfaction_ratings": _text("created_at", "updated_at", "ticket_id", "score", "comment"),
    "zendesk_schedules": {
        **_text("created_at", "updated_at", "name", "time_zone"),
        "intervals": [_text("start_time", "end_time")],
    },
    "zendesk_jira_links": _text("created_at", "updated_at", "ticket_id", "issue_id", "issue_key"),
    "jira_issues": {
        "key": TEXT,
        "fields": {
            "project": _text("key", "name"),
            "summary": TEXT,
            "issuetype": _text("name"),
            "status": {"name": TEXT, "statusCategory": _text("key")},
            "priority": _text("name"),
            "created": TEXT,
            "updated": TEXT,
            "resolutiondate": TEXT,
        },
        "changelog": {"histories": [{"id": TEXT, "created": TEXT, "items": [_text("field", "fromString", "toString")]}]},
    },
    "salesforce_account": _text("CreatedDate", "LastModifiedDate", "SystemModstamp", "Name", "Segment__c",
                                "Persona__c", "White_Glove__c", "ARR__c", "Lifecycle_Stage__c",
                                "Preferred_Channels__c", "Licensed_Seats__c", "Active_Users__c", "Renewal_Date__c"),
    "salesforce_accounthistory": _text("CreatedDate", "AccountId", "Field", "OldValue", "NewValue"),
    "salesforce_contact": _text("CreatedDate", "LastModifiedDate", "SystemModstamp", "AccountId", "Name", "Email"),
    "salesforce_opportunity": _text("CreatedDate", "LastModifiedDate", "SystemModstamp", "AccountId", "Type",
                                    "StageName", "IsClosed", "IsWon", "CloseDate", "Amount", "Loss_Reason__c"),
    "salesforce_nps_response__c": _text("CreatedDate", "LastModifiedDate", "SystemModstamp", "Account__c",
                                        "Contact__c", "Score__c", "Comment__c"),
}


# Collections whose record text is not kept for every record: their typed columns hold every
# field sources.md defines for them, so the text is kept only for a record they cannot hold
# (a top-level field no column has, or a value of another shape than its column's, which
# validation reads to say "wrong type"). The audits are most of the drop's bytes, and their
# typed events are as large as the text: keeping both doubled the audits' load.
TYPED_ONLY = {"zendesk_ticket_audits"}


def duckdb_type(shape) -> str:
    """A schema shape as a DuckDB column type: VARCHAR, STRUCT("a" VARCHAR, ...), or T[]."""
    if isinstance(shape, list):
        return f"{duckdb_type(shape[0])}[]"
    if isinstance(shape, dict):
        members = ", ".join(f'"{name}" {duckdb_type(member)}' for name, member in shape.items())
        return f"STRUCT({members})"
    return shape


def _path_shape(path: str) -> dict:
    """`$.fields.updated` as {"fields": {"updated": TEXT}}."""
    *parents, leaf = path.removeprefix("$.").split(".")
    shape: dict = {leaf: TEXT}
    for parent in reversed(parents):
        shape = {parent: shape}
    return shape


def _merge(into: dict, shape: dict) -> None:
    for name, member in shape.items():
        if isinstance(member, dict) and isinstance(into.get(name), dict):
            _merge(into[name], member)
        else:
            into.setdefault(name, member)
