"""What reaches the published marts about people (docs/privacy.md): pseudonyms, never ids,
names or emails; comment excerpts only when recent, with contact details redacted.

Two real runs of the hand-made company in one home, with a customer comment full of
contact details: first as of its AS_OF, then months later (tests/fixtures/two_runs.py).
"""

from __future__ import annotations

import re

import duckdb
import pytest

from tests.conftest import pseudonym, query
from tests.fixtures import handmade_company as hm
from tests.fixtures.two_runs import CONTACT_DETAILS_COMMENT_ID, LATER_TICKET

REDACTED = ("Still down for Rita Requester. Call [phone] or [phone], mail [email], "
            "card [card number] was charged twice since 2026-03-02 10:15")
PERSON_COLUMNS = {
    "fct_case_journey": ["first_owner_id", "requester_id"],
    "fct_case_phases": ["assignee_id"],
    "fct_handoffs": ["from_assignee_id", "to_assignee_id"],
    "metric_agent_transfers": ["agent_id"],
}


def _people_sql(table: str) -> str:
    """The people columns of ``table``, on the cases both runs published (the second adds a ticket)."""
    where = "" if table == "metric_agent_transfers" else f" where case_id <> {LATER_TICKET}"
    return f"select {', '.join(PERSON_COLUMNS[table])} from marts.{table}{where} order by all"


@pytest.fixture(scope="module")
def runs(two_runs):
    """The shared two runs (tests/fixtures/two_runs.py): the later publication, and the first one's
    people (of the cases both runs published) and the contact-details comment's excerpt."""
    first = two_runs.first_publication
    people_then = {table: query(first, _people_sql(table)) for table in PERSON_COLUMNS}
    excerpt_then = query(first, "select excerpt from marts.fct_comment_sentiment where comment_id = ?",
                         [CONTACT_DETAILS_COMMENT_ID])
    return two_runs.home / "serving.duckdb", people_then, excerpt_then


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
        assert query(serving, _people_sql(table)) == people_then[table]
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
