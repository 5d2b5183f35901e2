"""The catalogue of raw collections (sources.md): where each lives and how to key it.

Each collection lands in `raw.<table>` as one row per record id holding the
newest version of the record as JSON. `version_paths` lists, in order of
preference, the JSON paths whose timestamp orders two versions of a record.
"""

from __future__ import annotations

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
