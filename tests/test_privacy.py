"""What reaches the published marts about people (docs/privacy.md): pseudonyms, never ids,
names or emails; comment excerpts only when recent, with contact details redacted.

Two real runs of the hand-made company in one home, with a customer comment full of
contact details: first as of its AS_OF, then months later (no new files).
"""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from tests.conftest import pseudonym, query, run_smile
from tests.fixtures import handmade_company as hm

COMMENT = ("Still down for Rita Requester. Call +44 20 7946 0958 or (212) 555-0143, mail rita@acme.example, "
           "card 4111 1111 1111 1111 was charged twice since 2026-03-02 10:15")
REDACTED = ("Still down for Rita Requester. Call [phone] or [phone], mail [email], "
            "card [card number] was charged twice since 2026-03-02 10:15")
PERSON_COLUMNS = {
    "fct_case_journey": ["first_owner_id", "requester_id"],
    "fct_case_phases": ["assignee_id"],
    "fct_handoffs": ["from_assignee_id", "to_assignee_id"],
    "metric_agent_transfers": ["agent_id"],
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("privacy")
    sources = hm.write(root / "sources")
    audit = {"id": 950, "ticket_id": 1, "created_at": "2026-03-09T09:00:00Z", "author_id": hm.R, "via": {"channel": "web"},
             "events": [{"id": 9501, "type": "Comment", "author_id": hm.R, "body": COMMENT, "public": True}]}
    (sources / "zendesk" / "ticket_audits.contact_details.jsonl").write_text(json.dumps(audit) + "\n")
    home = root / "home"
    first = run_smile(home, sources, as_of=hm.AS_OF)
    assert first.published, first.lines()
    serving = home / "serving.duckdb"
    people_then = {table: query(serving, f"select {', '.join(cols)} from marts.{table} order by all") for table, cols in PERSON_COLUMNS.items()}
    excerpt_then = query(serving, "select excerpt from marts.fct_comment_sentiment where comment_id = 9501")
    later = run_smile(home, sources, as_of="2026-07-01 00:00:00")
    assert later.published, later.lines()
    return serving, people_then, excerpt_then


def test_contact_details_are_redacted_in_recent_excerpts(runs):
    _, _, excerpt_then = runs
    assert excerpt_then == [(REDACTED,)]


def test_comments_older_than_the_excerpt_window_are_not_quoted(runs):
    serving, _, _ = runs
    # as of 2026-07-01 every comment is more than 90 days old
    assert query(serving, "select count(*), count(excerpt) from marts.fct_comment_sentiment")[0][1] == 0


def test_people_are_stable_keyed_pseudonyms(runs, handmade_publication):
    serving, people_then, _ = runs
    for table, columns in PERSON_COLUMNS.items():
        values = [v for row in query(serving, f"select {', '.join(columns)} from marts.{table}") for v in row if v is not None]
        assert values and all(re.fullmatch(r"person-[0-9a-f]{16}", v) for v in values), table
        # the same people keep the same pseudonyms in the next run
        assert query(serving, f"select {', '.join(columns)} from marts.{table} order by all") == people_then[table]
    owner = query(serving, "select first_owner_id from marts.fct_case_journey where case_id = 1")[0][0]
    assert owner == pseudonym(serving, hm.A)
    # keyed per installation: another home names the same agent differently
    assert pseudonym(handmade_publication, hm.A) != owner
    assert query(handmade_publication, "select first_owner_id from marts.fct_case_journey where case_id = 1")[0][0] == pseudonym(handmade_publication, hm.A)


def test_no_name_email_or_comment_text_is_published(runs):
    serving, _, _ = runs
    users = hm.build()["zendesk/users.jsonl"]
    contacts = hm.build()["salesforce/Contact.jsonl"]
    secrets = {u["email"] for u in users} | {c["Email"] for c in contacts} | {u["name"] for u in users} | {c["Name"] for c in contacts}
    bodies = {e["body"] for a in hm.build()["zendesk/ticket_audits.jsonl"] for e in a["events"] if e["type"] == "Comment"}
    with duckdb.connect(str(serving), read_only=True) as con:
        text_columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema = 'marts' and data_type = 'VARCHAR' and column_name <> 'excerpt'").fetchall()
        published_text = {v for t, c in text_columns for (v,) in con.execute(f'select distinct "{c}" from marts.{t}').fetchall() if v}
    leaks = {s for s in secrets if any(s in value for value in published_text)}
    assert not leaks
    # whole comment bodies never appear (group and status words are short and shared, so compare whole bodies)
    assert not {b for b in bodies if len(b) > 3 and b in published_text}
