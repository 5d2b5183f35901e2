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
    return facts


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
        ("validation", 2, "wrong type: id"),
        ("validation", 3, "wrong type: created_at (not a timestamp)"),
        ("validation", 4, "wrong type: requester_id"),
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
    assert query(c["warehouse"], "select count(*) from raw.zendesk_groups") == [(2,)]


def check_unexpected_new_field(c):
    assert reasons_in(c, "tickets.new_field.jsonl") == []
    noted = query(c["warehouse"], "select collection, field_name, regexp_extract(first_file_path, '[^/]+$'), first_line_number, records from raw._new_fields")
    assert noted == [("zendesk_tickets", "sla_policy", "tickets.new_field.jsonl", 1, 1)]
    assert valid_tickets(c, [201]) == [201]


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
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_bad_input_kind(catalogue, kind):
    KINDS[kind](catalogue)


def test_every_quarantined_line_is_accounted_for_in_the_run_summary(catalogue):
    summary = catalogue["summary"]
    load_lines = [q for q in catalogue["quarantined"] if q[0] == "load"]
    assert sum(summary.quarantined.values()) == len(load_lines)
    held_back = [q for q in catalogue["quarantined"] if q[0] == "validation"]
    assert sum(summary.held_back.values()) == len(held_back)
    assert any(line.startswith(f"records held back: {len(held_back)}") for line in summary.lines())
