"""The API path end to end, against servers that behave as the vendors document (tests/vendor_apis).

`smile run --pull` pulls a generated company whose tickets were mostly closed long ago (the
servers' clock stands months after the data ends, so they are archived), then loads, builds,
checks and publishes. The publication must equal a file-drop run of the same records; a second
pull after a small change asks only for the change; a wrong credential fails the run with one
line saying why, in the run's output, its history and the app's badge, and publishes nothing.
"""

from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import comparable_rows, query, run_smile
from tests.vendor_apis import OffsetClock, VendorApis
from time_to_smile.generator import generate_company
from time_to_smile.run_record import read_history
from time_to_smile.settings import environment, resolve_paths

AS_OF = "2026-11-16 00:00:00"


def credentials(apis: VendorApis) -> dict[str, str]:
    creds = apis.credentials
    return {"ZENDESK_BASE_URL": apis.url, "ZENDESK_EMAIL": creds["zendesk"]["email"],
            "ZENDESK_API_TOKEN": creds["zendesk"]["token"], "JIRA_BASE_URL": apis.url,
            "JIRA_EMAIL": creds["jira"]["email"], "JIRA_API_TOKEN": creds["jira"]["token"],
            "SALESFORCE_INSTANCE_URL": apis.url, "SALESFORCE_ACCESS_TOKEN": creds["salesforce"]["access_token"]}


@pytest.fixture(scope="module")
def pulled(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    served = root / "served"
    generate_company(served, accounts=5, tickets=60, days=20, seed=3)
    from_files = run_smile(root / "files", served, as_of=AS_OF)
    home = root / "home"
    # the same pseudonym key as the file-drop home, so the people's pseudonyms compare too
    key = resolve_paths(home).pseudonym_key_file
    key.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(resolve_paths(root / "files").pseudonym_key_file, key)
    # real time, started months after the data ends: the extractor's waits are real
    with VendorApis(served, OffsetClock("2027-06-01T00:00:00Z")) as apis:
        archived = {t["id"] for t in apis.records("zendesk/tickets.jsonl") if apis.zendesk.is_archived(t)}
        with environment(credentials(apis)):
            first = run_smile(home, home / "sources", as_of=AS_OF, pull=True)
            requests_first = len(apis.requests)
            first_publication = {table: comparable_rows(home / "serving.duckdb", f"marts.{table}")
                                 for table in ("fct_case_journey", "fct_case_phases", "fct_handoffs")}
            ticket = next(t for t in apis.records("zendesk/tickets.jsonl") if t["status"] == "solved")
            now = apis.clock.now() - 120  # the exports leave out the last minute
            apis.upsert("zendesk/tickets.jsonl", {**ticket, "priority": "urgent", "generated_timestamp": int(now)})
            apis.reset_requests()
            second = run_smile(home, home / "sources", as_of=AS_OF, pull=True)
            requests_second = [r.path for r in apis.requests]
        with environment(credentials(apis) | {"ZENDESK_API_TOKEN": "revoked"}):
            refused = run_smile(home, home / "sources", as_of=AS_OF, pull=True)
    return {"root": root, "served": served, "home": home, "from_files": from_files, "first": first,
            "second": second, "refused": refused, "archived": archived, "ticket": ticket,
            "requests_first": requests_first, "requests_second": requests_second,
            "first_publication": first_publication}


def test_a_pull_publishes_what_a_file_drop_of_the_same_records_publishes(pulled):
    assert pulled["from_files"].published and pulled["first"].published, pulled["first"].lines()
    files = pulled["root"] / "files" / "serving.duckdb"
    for table, rows in pulled["first_publication"].items():
        assert rows == comparable_rows(files, f"marts.{table}"), table
    assert len(pulled["first_publication"]["fct_case_journey"]) > 40

def test_archived_tickets_arrive_with_their_audits(pulled):
    assert len(pulled["archived"]) >= 20
    served = [json.loads(line) for line in (pulled["served"] / "zendesk/ticket_audits.jsonl").read_text().splitlines()]
    deleted = {json.loads(line)["id"] for line in (pulled["served"] / "zendesk/tickets.jsonl").read_text().splitlines()
               if json.loads(line)["status"] == "deleted"}
    archived_audits = {a["id"] for a in served if a["ticket_id"] in pulled["archived"]}
    loaded = {int(r) for (r,) in query(pulled["home"] / "warehouse.duckdb", "select record_id from raw.zendesk_ticket_audits")}
    assert archived_audits and archived_audits <= loaded
    assert loaded == {a["id"] for a in served if a["ticket_id"] not in deleted}


def test_a_second_pull_asks_for_the_change_and_publishes_it(pulled):
    second, ticket = pulled["second"], pulled["ticket"]
    assert second.published, second.lines()
    audits = [p for p in pulled["requests_second"] if p.endswith("/audits.json")]
    assert audits == [f"/api/v2/tickets/{ticket['id']}/audits.json"], "one changed ticket, one audits request"
    assert len(pulled["requests_second"]) < pulled["requests_first"] / 3
    priority = query(pulled["home"] / "serving.duckdb", "select priority from marts.fct_case_journey where case_id = ?",
                     [ticket["id"]])
    assert priority == [("urgent",)]
    assert query(pulled["home"] / "warehouse.duckdb", "select count(*) from raw._quarantine") == [(0,)]


def test_a_revoked_credential_fails_the_run_with_one_line_and_publishes_nothing(pulled):
    refused, home = pulled["refused"], pulled["home"]
    reason = ("Zendesk: GET /api/v2/users/me.json: 401 Unauthorized: Couldn't authenticate you "
              "(check ZENDESK_EMAIL and ZENDESK_API_TOKEN)")
    assert not refused.published
    assert f"  FAILED: extract__api_pull: {reason}" in refused.progress
    assert refused.not_published_because == f"extract__api_pull: {reason}"
    newest = read_history(home / "run_history.jsonl", limit=1)[0]
    assert newest["not_published_because"] == f"extract__api_pull: {reason}"
    # the previous publication stands: the second pull's change is still there
    assert query(home / "serving.duckdb", "select priority from marts.fct_case_journey where case_id = ?",
                 [pulled["ticket"]["id"]]) == [("urgent",)]
