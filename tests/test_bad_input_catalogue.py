"""The bad-input catalogue (issue 5): every kind of bad input a real export has, each in
its own file of the hand-made company's drop, through one real pipeline run.

Each kind is either quarantined with its reason (file, line, reason queryable in
`intermediate.int_quarantined_records`) or normalised (a timestamp with an offset,
events out of order, a duplicate, a new field), and in every file the good rows
are all loaded. Nothing disappears without a line saying why.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest

from tests.conftest import query, run_smile
from tests.fixtures import handmade_company as hm
from tests.fixtures.handmade_company import AS_OF, change, comment, create

DAY = "2026-03-03"
GOOD_USERS = range(7001, 7401)


def ticket(ticket_id, **fields):
    record = hm._ticket(ticket_id, f"{DAY}T09:00:00Z", f"{DAY}T10:00:00Z", "open", hm.T1, hm.A)
    record.update(fields)
    return record


def audit(audit_id, ticket_id, at, author, *events):
    numbered = [dict(event, id=audit_id * 10 + i) for i, event in enumerate(events)]
    return {"id": audit_id, "ticket_id": ticket_id, "created_at": at, "author_id": author, "via": {"channel": "web"},
            "events": numbered}


def journey(ticket_id, first_audit_id):
    """A solved case with a handoff: opened 09:00, first reply 09:30, handed A -> B 10:00, solved 12:00."""
    a = first_audit_id
    return [
        audit(a, ticket_id, f"{DAY}T09:00:00Z", hm.R, create("status", "new"), create("group_id", hm.T1),
              create("assignee_id", hm.A), comment(hm.R, True, "It is broken")),
        audit(a + 1, ticket_id, f"{DAY}T09:30:00Z", hm.A, comment(hm.A, True, "On it"), change("status", "new", "open")),
        audit(a + 2, ticket_id, f"{DAY}T10:00:00Z", hm.A, change("assignee_id", hm.A, hm.B)),
        audit(a + 3, ticket_id, f"{DAY}T12:00:00Z", hm.B, comment(hm.B, True, "Fixed"), change("status", "open", "solved")),
    ]


def lines(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def write_catalogue(zendesk: Path) -> dict:
    """Write one file per kind of bad input; return facts the checks need."""
    facts = {}
    (zendesk / "tickets.malformed.jsonl").write_text(lines(ticket(101), '{"id": 102, "status":', ticket(103)))

    users = "".join(json.dumps({"id": i, "name": f"User {i}", "email": f"u{i}@example.com", "role": "end-user",
                                "organization_id": 501, "updated_at": "2026-03-01T00:00:00Z"}) + "\n" for i in GOOD_USERS)
    packed = gzip.compress(users.encode())
    (zendesk / "users.truncated.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    recovered = zlib.decompressobj(wbits=31).decompress(packed[: len(packed) // 2])
    facts["complete_user_lines"] = recovered.count(b"\n")

    (zendesk / "tickets.wrong_types.jsonl").write_text(lines(
        ticket(111), ticket(112, id="one-twelve"), ticket(113, created_at="yesterday"), ticket(114, requester_id="Ann")))
    no_id = ticket(120)
    del no_id["id"]
    no_requester = ticket(122)
    del no_requester["requester_id"]
    no_created = ticket(123)
    del no_created["created_at"]
    (zendesk / "tickets.missing_keys.jsonl").write_text(lines(ticket(121), no_id, no_requester, no_created))
    (zendesk / "tickets.unknown_values.jsonl").write_text(lines(
        ticket(131), ticket(132, status="escalated"), ticket(133, via={"channel": "fax"}), ticket(134, priority="critical")))
    (zendesk / "tickets.timestamps.jsonl").write_text(lines(
        ticket(141, created_at=f"{DAY}T11:00:00+02:00"), ticket(142, created_at=f"{DAY} 09:00:00"),
        ticket(143, created_at=hm._epoch(f"{DAY}T09:00:00Z")), ticket(144, created_at=f"{DAY}T09:00:00.000+0000")))

    # 151 and 152 live the same journey; 152's audits arrive in reverse order.
    solved = dict(status="solved", assignee_id=hm.B, updated_at=f"{DAY}T12:00:00Z")
    (zendesk / "tickets.journeys.jsonl").write_text(lines(
        ticket(151, **solved), ticket(152, **solved), ticket(162, **solved), ticket(181, created_at="2026-03-05T10:00:00Z"),
        ticket(191)))
    (zendesk / "ticket_audits.in_order.jsonl").write_text(lines(*journey(151, 1510)))
    (zendesk / "ticket_audits.reversed.jsonl").write_text(lines(*reversed(journey(152, 1520))))

    # A record sent twice, and an audit re-sent under a new id with the same events.
    (zendesk / "tickets.duplicates.jsonl").write_text(lines(ticket(161), ticket(161)))
    handoffs_of_162 = journey(162, 1620)
    resent = dict(handoffs_of_162[2], id=1629)
    (zendesk / "ticket_audits.resent.jsonl").write_text(lines(*handoffs_of_162, resent))
    facts["resent_event_ids"] = [e["id"] for e in resent["events"]]

    (zendesk / "ticket_audits.orphans.jsonl").write_text(lines(
        audit(1700, 99999, f"{DAY}T09:00:00Z", hm.R, comment(hm.R, True, "Hello?")),
        audit(1701, 101, f"{DAY}T09:00:00Z", hm.R, create("status", "new"))))
    (zendesk / "tickets.unknown_people.jsonl").write_text(lines(
        ticket(171, requester_id=424242), ticket(172, organization_id=77777), ticket(173)))
    # Solved an hour before it was created: the clocks disagree, so the case cannot be measured.
    (zendesk / "ticket_audits.skewed.jsonl").write_text(lines(
        audit(1810, 181, "2026-03-05T10:00:00Z", hm.R, create("status", "new"), comment(hm.R, True, "Broken")),
        audit(1811, 181, "2026-03-05T09:00:00Z", hm.A, comment(hm.A, True, "Fixed"), change("status", "new", "solved"))))
    (zendesk / "ticket_audits.huge.jsonl").write_text(lines(
        audit(1910, 191, f"{DAY}T09:00:00Z", hm.R, create("status", "new"), comment(hm.R, True, "word " * 1_900_000)),
        audit(1911, 191, f"{DAY}T09:30:00Z", hm.R, comment(hm.R, True, "long but fine " * 70_000))))
    good_user = json.dumps({"id": 7501, "name": "Jose", "email": "jose@example.com", "role": "end-user"}).encode()
    latin1_user = json.dumps({"id": 7502, "name": "Jos_", "role": "end-user"}).encode().replace(b"Jos_", b"Jos\xe9")
    (zendesk / "users.latin1.jsonl").write_bytes(good_user + b"\n" + latin1_user + b"\n")
    (zendesk / "groups.empty.jsonl").write_bytes(b"")
    (zendesk / "tickets.new_field.jsonl").write_text(lines(ticket(201, sla_policy={"title": "Gold"})))
    # Files no collection claims: a real Zendesk collection we do not use, and a drop named with "-" for ".".
    (zendesk / "ticket_metrics.jsonl").write_text(lines(ticket(901)))
    (zendesk / "tickets-2026-03-13.jsonl").write_text(lines(ticket(902)))
    facts["unrecognised_files"] = {
        "zendesk/ticket_metrics.jsonl": "unknown collection: not one of sources.md's zendesk collections",
        "zendesk/tickets-2026-03-13.jsonl": "misnamed: did you mean tickets.2026-03-13.jsonl?",
    }
    write_bad_records_per_collection(zendesk.parent)
    return facts


# -- one bad record among good ones, collection by collection (issue 19): the good ones publish,
# -- the bad one is listed with its field and reason. Jira and Salesforce ids are text, so every
# -- key of theirs types; a Contact has nothing to type beyond it.
NOW = f"{DAY}T09:00:00Z"
SF_NOW = f"{DAY}T09:00:00.000+0000"


def sf(obj, record_id, **fields):
    return {"attributes": {"type": obj}, "Id": record_id, "CreatedDate": SF_NOW, "SystemModstamp": SF_NOW, **fields}


def jira_issue(issue_id, **fields):
    base = {"summary": "Import stalls", "issuetype": {"name": "Bug"}, "project": {"key": "PLAT"},
            "status": {"name": "Done", "statusCategory": {"key": "done"}}, "priority": {"name": "High"},
            "created": "2026-03-02T04:30:00.000+0000", "updated": "2026-03-03T04:30:00.000+0000",
            "resolutiondate": "2026-03-03T04:30:00.000+0000"}
    return {"id": issue_id, "key": f"PLAT-{issue_id}", "fields": {**base, **fields},
            "changelog": {"histories": [{"id": "9", "created": "2026-03-02T10:00:00.000+0000",
                                         "items": [{"field": "status", "fromString": "To Do", "toString": "Done"}]}]}}


def write_bad_records_per_collection(sources: Path) -> None:
    z, j, s = sources / "zendesk", sources / "jira", sources / "salesforce"
    no_created = jira_issue("20002")
    del no_created["fields"]["created"]
    (z / "users.bad_records.jsonl").write_text(lines(
        {"id": 7601, "name": "Good User", "role": "end-user"}, {"id": "abc", "name": "Bad Key"},
        {"id": 7602, "name": "Bad Org", "organization_id": "x"}))
    (z / "groups.bad_records.jsonl").write_text(lines({"id": 31, "name": "Escalations"}, {"id": "grp-x", "name": "Bad"}))
    (z / "organizations.bad_records.jsonl").write_text(lines({"id": 601, "name": "Good Org"}, {"id": "org-x"}))
    (z / "ticket_fields.bad_records.jsonl").write_text(lines({"id": 900101, "title": "Region", "type": "text"},
                                                             {"id": "tf-x", "title": "Bad"}))
    (z / "tickets.deleted.jsonl").write_text(lines(ticket(302, status="deleted")))
    rating = {"score": "good", "created_at": NOW, "updated_at": NOW}
    (z / "satisfaction_ratings.bad_records.jsonl").write_text(lines(
        {**rating, "id": 8101, "ticket_id": 151}, {**rating, "id": "r-x", "ticket_id": 99997},
        {**rating, "id": 8102, "ticket_id": "t-1"}, {**rating, "id": 8103, "ticket_id": 173, "score": "meh"},
        {**rating, "id": 8104, "ticket_id": 99998}, {**rating, "id": 8105, "ticket_id": 302},
        {**rating, "id": 8106, "ticket_id": 132}))
    hours = [{"start_time": 1980, "end_time": 2460}]
    (z / "schedules.bad_records.jsonl").write_text(lines(
        {"id": 3, "name": "APAC", "time_zone": "UTC", "intervals": hours},
        {"id": "sched-x", "name": "Bad", "time_zone": "UTC", "intervals": hours},
        {"id": 4, "name": "Bad hours", "time_zone": "UTC", "intervals": [{"start_time": "nine", "end_time": 2460}]},
        {"id": 5, "name": "No hours", "time_zone": "UTC"}))
    link = {"issue_key": "PLAT-1", "created_at": NOW}
    (z / "jira_links.bad_records.jsonl").write_text(lines(
        {**link, "id": 6101, "ticket_id": 151, "issue_id": "10001"}, {**link, "id": "link-x", "ticket_id": 99997, "issue_id": "10001"},
        {**link, "id": 6102, "ticket_id": "t", "issue_id": "10001"}, {**link, "id": 6103, "ticket_id": 173, "issue_id": "99999"}))
    (z / "ticket_audits.bad_records.jsonl").write_text(lines(
        {"id": 1950, "ticket_id": 173, "created_at": f"{DAY}T09:30:00Z", "author_id": hm.A, "via": {"channel": "web"},
         "events": {"id": 19500, "type": "Comment", "body": "an object, not a list", "public": True}},
        audit(1912, 191, f"{DAY}T10:00:00Z", hm.R, comment(hm.R, True, "Hello\x00\x07\x1b[31m world\tand\nmore"))))
    (j / "issues.bad_records.jsonl").write_text(lines(
        jira_issue("20001"), no_created, jira_issue("20003", status={"name": "Odd", "statusCategory": {"key": "weird"}}),
        {**jira_issue("20004"), "changelog": {"histories": [{"id": "1", "created": "soon", "items": []}]}}))
    (s / "Account.bad_records.jsonl").write_text(lines(
        sf("Account", "001000000000000091", Name="Good Co", Segment__c="SMB", Persona__c="Admin", White_Glove__c=False,
           ARR__c=1000.0, Lifecycle_Stage__c="Implemented", Preferred_Channels__c="email", Licensed_Seats__c=10.0,
           Active_Users__c=4.0, Renewal_Date__c="2026-09-01"),
        {k: v for k, v in sf("Account", "001000000000000092", Name="No Date").items() if k != "CreatedDate"},
        sf("Account", "001000000000000093", Name="Bad ARR", ARR__c="lots")))
    (s / "AccountHistory.bad_records.jsonl").write_text(lines(
        sf("AccountHistory", "017000000000000091", AccountId=hm.ACCOUNT, Field="Active_Users__c", OldValue=3, NewValue=4),
        sf("AccountHistory", "017000000000000092", Field="Active_Users__c"),
        sf("AccountHistory", "017000000000000093", AccountId=hm.ACCOUNT, Field="Segment__c", CreatedDate="yesterday")))
    (s / "Contact.bad_records.jsonl").write_text(lines(sf("Contact", "003000000000000091", AccountId=hm.ACCOUNT, Name="Good")))
    (s / "Opportunity.bad_records.jsonl").write_text(lines(
        sf("Opportunity", "006000000000000091", AccountId=hm.ACCOUNT, Type="Renewal", StageName="Negotiation",
           IsClosed=False, IsWon=False, CloseDate="2026-04-01", Amount=120000.0),
        sf("Opportunity", "006000000000000092", AccountId=hm.ACCOUNT, IsWon="maybe"),
        sf("Opportunity", "006000000000000093", Type="Renewal")))
    (s / "NPS_Response__c.bad_records.jsonl").write_text(lines(
        sf("NPS_Response__c", "a0X000000000000091", Account__c=hm.ACCOUNT, Score__c=9.0),
        sf("NPS_Response__c", "a0X000000000000092", Account__c=hm.ACCOUNT, Score__c=42),
        sf("NPS_Response__c", "a0X000000000000093", Account__c=hm.ACCOUNT, Score__c="ten")))


# table, staging model and key column, the good ids, and each bad line's reason
PER_COLLECTION = {
    "zendesk_users": ("users", "stg_zendesk__users", "user_id", [7601], [
        (2, "wrong type: id (not an integer)"), (3, "wrong type: organization_id (not an integer)")]),
    "zendesk_groups": ("groups", "stg_zendesk__groups", "group_id", [31], [(2, "wrong type: id (not an integer)")]),
    "zendesk_organizations": ("organizations", "stg_zendesk__organizations", "organization_id", [601], [
        (2, "wrong type: id (not an integer)")]),
    "zendesk_ticket_fields": ("ticket_fields", "stg_zendesk__ticket_fields", "ticket_field_id", [900101], [
        (2, "wrong type: id (not an integer)")]),
    "zendesk_satisfaction_ratings": ("satisfaction_ratings", "stg_zendesk__satisfaction_ratings", "satisfaction_rating_id",
                                     [8101], [(2, "wrong type: id (not an integer)"),
                                              (3, "wrong type: ticket_id (not an integer)"),
                                              (4, "unknown value: score = meh"), (5, "unknown ticket: 99998"),
                                              (6, "ticket deleted: 302"), (7, "ticket held back: 132")]),
    "zendesk_schedules": ("schedules", "stg_zendesk__schedules", "schedule_id", [3], [
        (2, "wrong type: id (not an integer)"), (3, "wrong type: intervals[].start_time (not a whole number)"),
        (4, "missing required key: intervals")]),
    "zendesk_jira_links": ("jira_links", "stg_zendesk__jira_links", "jira_link_id", [6101], [
        (2, "wrong type: id (not an integer)"), (3, "wrong type: ticket_id (not an integer)"), (4, "unknown issue: 99999")]),
    "zendesk_ticket_audits": ("ticket_audits", "stg_zendesk__ticket_audit_events", "audit_id", [1912], [
        (1, "wrong type: events (not an array)")]),
    "jira_issues": ("issues", "stg_jira__issues", "issue_id", ["20001"], [
        (2, "missing required key: fields.created"),
        (3, "unknown value: fields.status.statusCategory.key = weird"),
        (4, "wrong type: changelog.histories[].created (not a timestamp)")]),
    "salesforce_account": ("Account", "stg_salesforce__accounts", "account_id", ["001000000000000091"], [
        (2, "missing required key: CreatedDate"), (3, "wrong type: ARR__c (not a number)")]),
    "salesforce_accounthistory": ("AccountHistory", "stg_salesforce__account_history", "account_history_id",
                                  ["017000000000000091"], [(2, "missing required key: AccountId"),
                                                           (3, "wrong type: CreatedDate (not a timestamp)")]),
    "salesforce_contact": ("Contact", "stg_salesforce__contacts", "contact_id", ["003000000000000091"], []),
    "salesforce_opportunity": ("Opportunity", "stg_salesforce__opportunities", "opportunity_id", ["006000000000000091"], [
        (2, "wrong type: IsWon (not true or false)"), (3, "missing required key: AccountId")]),
    "salesforce_nps_response__c": ("NPS_Response__c", "stg_salesforce__nps_responses", "nps_response_id",
                                   ["a0X000000000000091"], [(2, "out of range: Score__c = 42"),
                                                            (3, "wrong type: Score__c (not a whole number)")]),
}


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalogue")
    sources = hm.write(root / "sources")
    facts = write_catalogue(sources / "zendesk")
    summary = run_smile(root / "home", sources, as_of=AS_OF)
    assert summary.published, summary.lines()
    warehouse = root / "home" / "warehouse.duckdb"
    quarantined = query(warehouse, """
        select stage, collection, record_id, regexp_extract(file_path, '[^/]+$'), line_number, reason
        from intermediate.int_quarantined_records""")
    return {"warehouse": warehouse, "serving": root / "home" / "serving.duckdb", "facts": facts,
            "quarantined": quarantined, "summary": summary}


def reasons_in(catalogue, file_name):
    return sorted((stage, line, reason) for stage, _, _, f, line, reason in catalogue["quarantined"] if f == file_name)


def valid_tickets(catalogue, ids):
    found = query(catalogue["warehouse"], f"select ticket_id from staging.stg_zendesk__tickets where ticket_id in ({', '.join(map(str, ids))})")
    return sorted(row[0] for row in found)


def check_malformed_json(c):
    assert reasons_in(c, "tickets.malformed.jsonl") == [("load", 2, "malformed JSON")]
    assert valid_tickets(c, [101, 103]) == [101, 103]


def check_truncated_gzip(c):
    complete = c["facts"]["complete_user_lines"]
    assert 0 < complete < len(GOOD_USERS)
    assert reasons_in(c, "users.truncated.jsonl.gz") == [
        ("load", complete + 1, "truncated gzip file: the lines from here on were lost")]
    loaded = query(c["warehouse"], "select cast(record_id as int) from raw.zendesk_users where record_id between '7001' and '7400' order by 1")
    assert [row[0] for row in loaded] == list(GOOD_USERS)[:complete]


def check_wrong_types(c):
    assert reasons_in(c, "tickets.wrong_types.jsonl") == [
        ("validation", 2, "wrong type: id (not an integer)"),
        ("validation", 3, "wrong type: created_at (not a timestamp)"),
        ("validation", 4, "wrong type: requester_id (not an integer)"),
    ]
    assert valid_tickets(c, [111, 113, 114]) == [111]


def check_missing_required_keys(c):
    assert reasons_in(c, "tickets.missing_keys.jsonl") == [
        ("load", 2, "missing required key: id"),
        ("validation", 3, "missing required key: requester_id"),
        ("validation", 4, "missing required key: created_at"),
    ]
    assert valid_tickets(c, [121, 122, 123]) == [121]


def check_unknown_enum_values(c):
    assert reasons_in(c, "tickets.unknown_values.jsonl") == [
        ("validation", 2, "unknown value: status = escalated"),
        ("validation", 3, "unknown value: via.channel = fax"),
        ("validation", 4, "unknown value: priority = critical"),
    ]
    assert valid_tickets(c, [131, 132, 133, 134]) == [131]


def check_other_timestamp_formats(c):
    assert reasons_in(c, "tickets.timestamps.jsonl") == []
    rows = query(c["warehouse"], "select ticket_id, strftime(created_at, '%Y-%m-%d %H:%M:%S') from staging.stg_zendesk__tickets where ticket_id between 141 and 144 order by 1")
    assert rows == [(i, f"{DAY} 09:00:00") for i in (141, 142, 143, 144)]


def check_events_out_of_order(c):
    assert reasons_in(c, "ticket_audits.reversed.jsonl") == []
    rows = query(c["serving"], """
        select case_id, smile_status, time_to_smile_hours, first_response_hours, handoff_count
        from marts.fct_case_journey where case_id in (151, 152) order by 1""")
    assert [r[1:] for r in rows] == [("smiling", 3.0, 0.5, 1)] * 2


def check_duplicate_events_and_records(c):
    assert reasons_in(c, "tickets.duplicates.jsonl") == []
    unchanged = query(c["warehouse"], "select lines_read, records_upserted, lines_unchanged from raw._loaded_files where file_path like '%tickets.duplicates.jsonl'")
    assert unchanged == [(2, 1, 1)]
    assert reasons_in(c, "ticket_audits.resent.jsonl") == [
        ("validation", 5, f"duplicate event id: {event_id} (counted once)") for event_id in c["facts"]["resent_event_ids"]]
    assert query(c["serving"], "select handoff_count from marts.fct_case_journey where case_id = 162") == [(1,)]


def check_audits_for_unknown_tickets(c):
    assert reasons_in(c, "ticket_audits.orphans.jsonl") == [("validation", 1, "unknown ticket: 99999")]
    assert query(c["warehouse"], "select count(*) from staging.stg_zendesk__ticket_audit_events where audit_id = 1701") == [(1,)]


def check_tickets_for_unknown_people(c):
    assert reasons_in(c, "tickets.unknown_people.jsonl") == [
        ("validation", 1, "unknown requester: user 424242"),
        ("validation", 2, "unknown organization: 77777"),
    ]
    assert valid_tickets(c, [171, 172, 173]) == [173]


def check_solve_before_creation(c):
    assert reasons_in(c, "tickets.journeys.jsonl") == [
        ("validation", 4, "clock skew: an audit at 2026-03-05 09:00:00 precedes the creation at 2026-03-05 10:00:00")]
    assert reasons_in(c, "ticket_audits.skewed.jsonl") == [
        ("validation", 1, "ticket held back: 181"), ("validation", 2, "ticket held back: 181")]
    assert valid_tickets(c, [151, 152, 162, 181, 191]) == [151, 152, 162, 191]


def check_huge_comment_body(c):
    assert reasons_in(c, "ticket_audits.huge.jsonl") == [("load", 1, "line too long (over 8 MB)")]
    kept = query(c["warehouse"], "select length(comment_body) from staging.stg_zendesk__ticket_audit_events where audit_id = 1911 and event_type = 'Comment'")
    assert kept == [(len("long but fine " * 70_000),)]


def check_invalid_utf8(c):
    assert reasons_in(c, "users.latin1.jsonl") == [("load", 2, "invalid UTF-8")]
    assert query(c["warehouse"], "select record_id from raw.zendesk_users where record_id in ('7501', '7502')") == [("7501",)]


def check_empty_file(c):
    assert reasons_in(c, "groups.empty.jsonl") == [("load", 0, "empty file")]
    # the hand-made company's two groups and groups.bad_records.jsonl's two: the empty file added none
    assert query(c["warehouse"], "select count(*) from raw.zendesk_groups") == [(4,)]


def check_unexpected_new_field(c):
    assert reasons_in(c, "tickets.new_field.jsonl") == []
    noted = query(c["warehouse"], "select collection, field_name, regexp_extract(first_file_path, '[^/]+$'), first_line_number, records from raw._new_fields")
    assert noted == [("zendesk_tickets", "sla_policy", "tickets.new_field.jsonl", 1, 1)]
    assert valid_tickets(c, [201]) == [201]


def check_unrecognised_files(c):
    expected = c["facts"]["unrecognised_files"]
    sources = (c["warehouse"].parent.parent / "sources").resolve()
    listed = query(c["warehouse"], "select file_path, reason from raw._unrecognised_files order by 1")
    assert [(Path(f).relative_to(sources).as_posix(), r) for f, r in listed] == sorted(expected.items())
    assert valid_tickets(c, [901, 902]) == []  # listed, not loaded under a guessed collection
    summary = c["summary"]
    assert summary.unrecognised_files == expected
    said = summary.lines()
    line = said[next(i for i, s in enumerate(said) if s.startswith("lines quarantined")) + 1]
    assert line == "files not recognised: 2 (" + "; ".join(f"{p}: {r}" for p, r in sorted(expected.items())) + "; see raw._unrecognised_files)"
    last_run = json.loads((c["warehouse"].parent / "run_history.jsonl").read_text().splitlines()[-1])
    assert last_run["files_not_recognised"] == expected


KINDS = {
    "malformed JSON": check_malformed_json,
    "truncated gzip file": check_truncated_gzip,
    "wrong types": check_wrong_types,
    "missing required keys": check_missing_required_keys,
    "unknown enum values": check_unknown_enum_values,
    "other timestamp formats and offsets": check_other_timestamp_formats,
    "events out of order": check_events_out_of_order,
    "duplicate events and records": check_duplicate_events_and_records,
    "audits for unknown tickets": check_audits_for_unknown_tickets,
    "tickets for unknown users or organizations": check_tickets_for_unknown_people,
    "solve before creation (clock skew)": check_solve_before_creation,
    "huge comment body": check_huge_comment_body,
    "invalid UTF-8": check_invalid_utf8,
    "empty file": check_empty_file,
    "unexpected new field": check_unexpected_new_field,
    "files the loader does not recognise": check_unrecognised_files,
}


@pytest.mark.parametrize("table", list(PER_COLLECTION))
def test_one_bad_record_per_collection_is_listed_and_the_rest_publishes(catalogue, table):
    name, model, key, good, bad = PER_COLLECTION[table]
    file_name = f"{name}.bad_records.jsonl"
    assert reasons_in(catalogue, file_name) == [("validation", line, reason) for line, reason in bad]
    assert all(collection == table for _, collection, _, f, _, _ in catalogue["quarantined"] if f == file_name)
    found = query(catalogue["warehouse"], f"select distinct {key} from staging.{model} where {key} in ({', '.join(map(repr, good))})")
    assert sorted(row[0] for row in found) == sorted(good), "the good record beside the bad ones is used"
    # and the data-quality mart counts them by kind, without ids
    kinds = query(catalogue["serving"], "select reason, records from marts.data_quality where collection = ?", [table])
    assert sum(n for _, n in kinds) == sum(1 for q in catalogue["quarantined"] if q[1] == table)


def test_a_case_whose_history_is_partly_held_back_is_flagged_and_left_out_of_the_metrics(catalogue):
    # 173 has an audit whose events are an object, a rating with an unknown score and a link to an unknown issue
    flags = dict(query(catalogue["serving"], "select case_id, has_held_back_records from marts.fct_case_journey "
                                              "where case_id in (151, 152, 173, 191)"))
    assert flags == {151: False, 152: False, 173: True, 191: False}
    in_metrics = query(catalogue["warehouse"], "select case_id from intermediate.int_case_metric_facts where case_id in (151, 173)")
    assert in_metrics == [(151,)]


def test_published_text_carries_no_control_characters(catalogue):
    excerpt = query(catalogue["serving"], "select excerpt from marts.fct_comment_sentiment where excerpt like 'Hello%'")
    assert excerpt == [("Hello[31m world\tand\nmore",)], "NUL, BEL and ESC removed; tab and newline kept"
    control = "regexp_matches({c}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]')"
    for table, column in [("fct_comment_sentiment", "excerpt"), ("fct_bug_stack_rank", "summary")]:
        assert query(catalogue["serving"], f"select count(*) from marts.{table} where {control.format(c=column)}") == [(0,)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_bad_input_kind(catalogue, kind):
    KINDS[kind](catalogue)


def test_every_quarantined_line_is_accounted_for_in_the_run_summary(catalogue):
    summary = catalogue["summary"]
    load_lines = [q for q in catalogue["quarantined"] if q[0] == "load" and q[1] != "unrecognised file"]
    assert sum(summary.quarantined.values()) == len(load_lines)
    files = [q for q in catalogue["quarantined"] if q[1] == "unrecognised file"]
    assert len(files) == len(summary.unrecognised_files) == 2
    held_back = [q for q in catalogue["quarantined"] if q[0] == "validation"]
    assert sum(summary.held_back.values()) == len(held_back)
    assert any(line.startswith(f"records held back: {len(held_back)}") for line in summary.lines())
