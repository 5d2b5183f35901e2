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
    def fields(self) -> tuple[str, ...]:
        """The top-level fields we know the vendor sends; any other is noted as new when it first appears."""
        return KNOWN_FIELDS[self.table]

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
