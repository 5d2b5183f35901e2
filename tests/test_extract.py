"""Live API extraction against loopback servers that behave as the vendors document
(tests/vendor_apis: every behaviour there cites its documentation page).

The servers' clock stands months after the sample company's data ends
(2026-11-16), so most closed tickets are archived, as in a real helpdesk's
first pull. Every collection must come out exactly as served (none missing,
none twice) through paging, documented limits, injected faults, crashes and
resumes; a second pull must cost requests in proportion to what changed; and
every failure must end in a later successful run or one line saying why.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from time_to_smile.extract import ExtractConfig, ExtractError, MissingCredentialError, extract_all
from time_to_smile.extract.engine import StateStore
from time_to_smile.generator import generate_company
from time_to_smile.loading.drop_files import collection_files
from time_to_smile.loading.loader import load_collection
from time_to_smile.loading.source_collections import BY_TABLE, COLLECTIONS
from time_to_smile.warehouse import connect

from tests.vendor_apis import FakeClock, VendorApis
from tests.vendor_apis.clock import to_epoch

LONG_AFTER = "2027-06-01T00:00:00Z"  # 197 days after the sample's last day
EXPORTS = "/api/v2/incremental/"


@pytest.fixture(scope="module")
def company(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("company")
    generate_company(root, accounts=5, tickets=60, days=20, seed=3)
    return root


@pytest.fixture
def apis(company):
    with VendorApis(company, FakeClock(LONG_AFTER)) as servers:
        servers.salesforce.batch_size = 4  # small pages on a small company (Salesforce's own minimum is 200)
        servers.jira.page_size_cap = 5
        yield servers


def env_for(apis: VendorApis) -> dict[str, str]:
    creds = apis.credentials
    return {
        "ZENDESK_BASE_URL": apis.url, "ZENDESK_EMAIL": creds["zendesk"]["email"],
        "ZENDESK_API_TOKEN": creds["zendesk"]["token"],
        "JIRA_BASE_URL": apis.url, "JIRA_EMAIL": creds["jira"]["email"], "JIRA_API_TOKEN": creds["jira"]["token"],
        "SALESFORCE_INSTANCE_URL": apis.url, "SALESFORCE_ACCESS_TOKEN": creds["salesforce"]["access_token"],
    }


def config_for(apis: VendorApis, env: dict[str, str] | None = None, **overrides) -> ExtractConfig:
    """Small pages (7 per Zendesk page) so that every collection pages; every wait on the servers' clock."""
    settings = dict(clock=apis.clock, export_page_size=7, page_size=7) | overrides
    return ExtractConfig.from_env(env or env_for(apis), **settings)


def pull(apis: VendorApis, tmp_path: Path, lines: list[str] | None = None, **overrides):
    return extract_all(tmp_path / "drop", tmp_path / "home" / "extract_state.json", config_for(apis, **overrides),
                       progress=(lines.append if lines is not None else None))


def crash_at(table: str, stage: str, page: int, error: type[BaseException] = KeyboardInterrupt):
    """A page hook that stops the pull at one page of one collection, "written" (fsynced, not yet
    committed) or "committed", as a kill would."""

    def hook(at_table: str, at_stage: str, at_page: int) -> None:
        if (at_table, at_stage, at_page) == (table, stage, page):
            raise error("simulated crash")

    return hook


def drop_records(target: Path, table: str) -> list[dict]:
    return [json.loads(line) for path in collection_files(target, BY_TABLE[table])
            for line in path.read_text().splitlines() if line.strip()]


def served_records(apis: VendorApis, table: str) -> list[dict]:
    collection = BY_TABLE[table]
    records = apis.records(f"{collection.folder}/{collection.name}.jsonl")
    if table == "zendesk_ticket_audits":  # a deleted ticket has no audits to ask for (404)
        deleted = {t["id"] for t in apis.records("zendesk/tickets.jsonl") if t["status"] == "deleted"}
        records = [a for a in records if a["ticket_id"] not in deleted]
    return records


def key(record: dict):
    return record.get("id", record.get("Id"))


def assert_every_collection_exact(apis: VendorApis, target: Path) -> None:
    """Each record served is in the drop; nothing else is (a record may come twice: an incremental
    endpoint returns a changed record again, and the loader keeps one)."""
    assert not list(target.rglob("*.part")), "a finished pull leaves no partial files"
    for collection in COLLECTIONS:
        want = {key(r) for r in served_records(apis, collection.table)}
        got = {key(r) for r in drop_records(target, collection.table)}
        assert got == want, f"{collection.table}: missing {sorted(want - got)[:5]}, extra {sorted(got - want)[:5]}"


def zendesk_time(epoch: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def salesforce_time(epoch: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


# -- the first pull


def test_first_pull_of_a_helpdesk_closed_long_ago_brings_archived_tickets_audits(apis, tmp_path):
    tickets = apis.records("zendesk/tickets.jsonl")
    archived = {t["id"] for t in tickets if apis.zendesk.is_archived(t)}
    assert len(archived) >= 20, "the servers' clock must archive most of the company"
    started = apis.clock.now()
    lines: list[str] = []

    result = pull(apis, tmp_path, lines)

    assert_every_collection_exact(apis, tmp_path / "drop")
    audits = drop_records(tmp_path / "drop", "zendesk_ticket_audits")
    assert {a["ticket_id"] for a in audits} >= archived, "every archived ticket's history arrived"
    assert sorted(json.dumps(a, sort_keys=True) for a in audits) == sorted(
        json.dumps(a, sort_keys=True) for a in served_records(apis, "zendesk_ticket_audits")), "audits exactly as served"
    # /api/v2/ticket_audits leaves archived tickets out: it is not used at all
    assert apis.count("/api/v2/ticket_audits") == 0
    # Zendesk's incremental exports allow 10 requests a minute: the pull kept to it instead of meeting a 429
    assert apis.count(EXPORTS) > 10 and apis.count(EXPORTS, status=429) == 0
    assert apis.clock.now() - started >= 60
    # the JQL is bounded on the first pull too (the enhanced search refuses an unbounded one)
    searches = [r for r in apis.requests if r.path == "/rest/api/3/search/jql"]
    assert searches and all(r.status == 200 and 'updated >= "1970-01-01"' in r.body["jql"] for r in searches)
    credential_checks = 3  # users/me, myself, limits
    assert result.requests == len(apis.requests) - credential_checks, "the client counts what the servers saw"
    assert any(line.startswith("zendesk: credentials accepted") for line in lines)
    assert any("complete" in line for line in lines)


def test_an_issue_with_more_than_40_histories_arrives_with_its_whole_changelog(apis, tmp_path):
    issue = apis.records("jira/issues.jsonl")[0]
    histories = [{"id": str(700000 + n), "created": f"2026-10-{1 + n // 10:02d}T{n % 10:02d}:00:00.000+0000",
                  "items": [{"field": "labels", "fromString": None, "toString": f"step-{n}"}]} for n in range(150)]
    histories.reverse()  # newest first, as Jira keeps them
    apis.upsert("jira/issues.jsonl", {**issue, "changelog": {"startAt": 0, "maxResults": 150, "total": 150,
                                                              "histories": histories}})

    pull(apis, tmp_path, systems=("jira",))

    got = next(r for r in drop_records(tmp_path / "drop", "jira_issues") if r["id"] == issue["id"])
    assert [h["id"] for h in got["changelog"]["histories"]] == [h["id"] for h in histories]
    assert got["changelog"]["total"] == 150
    # the search carried 40 of them; the rest came from the issue's changelog endpoint, whose pages
    # are 5 long here (page_size_cap), fewer than the 100 asked: paging follows what came
    assert apis.count(f"/rest/api/3/issue/{issue['key']}/changelog") == 150 // 5
    assert apis.count("/rest/api/3/issue/") == 150 // 5, "issues with short changelogs cost no extra request"


# -- the second pull

SALESFORCE_MARKS = {"Account": "SystemModstamp", "AccountHistory": "CreatedDate", "Contact": "SystemModstamp",
                    "Opportunity": "SystemModstamp", "NPS_Response__c": "SystemModstamp"}


def newest_salesforce_marks(apis: VendorApis) -> dict[str, float]:
    return {obj: max(to_epoch(r[mark]) for r in apis.records(f"salesforce/{obj}.jsonl"))
            for obj, mark in SALESFORCE_MARKS.items()}


def salesforce_pages_from_the_last_mark(apis: VendorApis, marks: dict[str, float]) -> dict[str, int]:
    """Pages of `WHERE <mark> >= <the newest mark pulled>`: the records of that instant come again
    (the sample's five newest contacts share one SystemModstamp) with what changed, 4 a page."""
    pages = {}
    for obj, mark in SALESFORCE_MARKS.items():
        rows = sum(1 for r in apis.records(f"salesforce/{obj}.jsonl") if to_epoch(r[mark]) >= marks[obj])
        pages[obj] = max(1, math.ceil(rows / apis.salesforce.batch_size))
    return pages



def change_a_few_records(apis: VendorApis) -> dict[str, set]:
    """Two tickets answered (a new audit each), a user, an organization, a rating, a new Jira link,
    a Jira issue and a Salesforce account changed, at the servers' now; then time moves on (the
    exports leave out the last minute)."""
    now = apis.clock.now()
    stamp = zendesk_time(now)
    live = [t for t in apis.records("zendesk/tickets.jsonl") if t["status"] in ("open", "pending", "solved")][:2]
    assert len(live) == 2
    for n, ticket in enumerate(live):
        apis.upsert("zendesk/tickets.jsonl", {**ticket, "status": "open", "updated_at": stamp,
                                              "generated_timestamp": int(now)})
        apis.upsert("zendesk/ticket_audits.jsonl", {
            "id": 9_000_000_000 + n, "ticket_id": ticket["id"], "created_at": stamp, "author_id": ticket["requester_id"],
            "via": {"channel": "web"},
            "events": [{"id": 9_100_000_000 + n, "type": "Comment", "author_id": ticket["requester_id"],
                        "body": "Any news?", "public": True},
                       {"id": 9_200_000_000 + n, "type": "Change", "field_name": "status", "value": "open",
                        "previous_value": ticket["status"]}]})
    user = apis.records("zendesk/users.jsonl")[3]
    apis.upsert("zendesk/users.jsonl", {**user, "name": "Renamed Person", "updated_at": stamp})
    org = apis.records("zendesk/organizations.jsonl")[1]
    apis.upsert("zendesk/organizations.jsonl", {**org, "name": "Renamed Org", "updated_at": stamp})
    rating = apis.records("zendesk/satisfaction_ratings.jsonl")[2]
    apis.upsert("zendesk/satisfaction_ratings.jsonl", {**rating, "score": "bad", "comment": "Too slow", "updated_at": stamp})
    link = apis.records("zendesk/jira_links.jsonl")[-1]
    apis.upsert("zendesk/jira_links.jsonl", {**link, "id": link["id"] + 1000, "ticket_id": live[0]["id"],
                                             "created_at": stamp, "updated_at": stamp})
    issue = apis.records("jira/issues.jsonl")[2]
    apis.upsert("jira/issues.jsonl", {**issue, "fields": {**issue["fields"], "summary": "Changed",
                                                          "updated": salesforce_time(now)}})
    account = apis.records("salesforce/Account.jsonl")[0]
    apis.upsert("salesforce/Account.jsonl", {**account, "Name": "Renamed Account", "SystemModstamp": salesforce_time(now),
                                             "LastModifiedDate": salesforce_time(now)})
    apis.clock.advance(3600)
    return {"zendesk_tickets": {t["id"] for t in live}, "zendesk_users": {user["id"]},
            "zendesk_organizations": {org["id"]}, "zendesk_satisfaction_ratings": {rating["id"]},
            "zendesk_jira_links": {link["id"] + 1000}, "jira_issues": {issue["id"]},
            "salesforce_account": {account["Id"]}}


def test_a_second_pull_after_a_small_change_costs_requests_in_proportion(apis, tmp_path):
    first = pull(apis, tmp_path)
    first_marks = newest_salesforce_marks(apis)
    changed = change_a_few_records(apis)
    apis.reset_requests()

    second = pull(apis, tmp_path)

    # The first pull needed 100+ requests for 60 tickets; the second asks each endpoint once, but the
    # audits: one request per changed ticket. Stated per endpoint:
    by_path = Counter(r.path for r in apis.requests)
    assert by_path["/api/v2/incremental/tickets/cursor.json"] == 1
    assert sorted(p for p in by_path if p.endswith("/audits.json")) == sorted(
        f"/api/v2/tickets/{t}/audits.json" for t in changed["zendesk_tickets"])
    assert all(by_path[f"/api/v2/tickets/{t}/audits.json"] == 1 for t in changed["zendesk_tickets"])
    for path in ("/api/v2/incremental/users/cursor.json", "/api/v2/incremental/organizations.json",
                 "/api/v2/satisfaction_ratings.json", "/api/v2/jira/links", "/api/v2/groups.json",
                 "/api/v2/ticket_fields.json", "/api/v2/business_hours/schedules.json",
                 "/rest/api/3/search/jql"):
        assert by_path[path] == 1, path
    salesforce_pages = sum(salesforce_pages_from_the_last_mark(apis, first_marks).values())
    assert sum(n for p, n in by_path.items() if p.startswith("/services/data/v60.0/query")) == salesforce_pages
    assert salesforce_pages <= 5 + 1, "a query per object, and a page more where the newest mark is shared"
    credential_checks = 3  # users/me, myself, limits
    assert len(apis.requests) == 1 + 2 + 8 + salesforce_pages + credential_checks < first.requests / 4
    assert second.requests == len(apis.requests) - credential_checks

    # What came is what changed (plus, where the vendor repeats the boundary, records already held).
    def pulled_now(table: str) -> set:
        collection = BY_TABLE[table]
        path = tmp_path / "drop" / collection.folder / f"{collection.name}.{second.extract_id}.jsonl"
        return {key(json.loads(line)) for line in path.read_text().splitlines()} if path.exists() else set()

    new_drop = {table: pulled_now(table) for table in changed}
    for table, ids in changed.items():
        assert ids <= new_drop[table], f"{table}: the change did not arrive"
        assert len(new_drop[table]) <= len(ids) + 2, f"{table}: {len(new_drop[table])} records for {len(ids)} changed"
    audits_now = [a for a in drop_records(tmp_path / "drop", "zendesk_ticket_audits") if a["id"] >= 9_000_000_000]
    assert len(audits_now) == 2
    assert_every_collection_exact(apis, tmp_path / "drop")

    # the ticket came again with its change; loading both drops keeps the newest version
    with connect(tmp_path / "warehouse.duckdb") as con:
        for table in ("zendesk_tickets", "zendesk_users"):
            load_collection(con, BY_TABLE[table], tmp_path / "drop")
        ticket = next(iter(changed["zendesk_tickets"]))
        status = con.execute("select json_extract_string(record, '$.status') from raw.zendesk_tickets "
                             "where record_id = ?", [str(ticket)]).fetchone()[0]
        assert status == "open"
        user = next(iter(changed["zendesk_users"]))
        name = con.execute("select json_extract_string(record, '$.name') from raw.zendesk_users where record_id = ?",
                           [str(user)]).fetchone()[0]
        assert name == "Renamed Person"


# -- documented failures end in a later successful run or in one line


def test_an_expired_query_locator_queries_again_from_the_last_committed_mark(apis, tmp_path):
    crash = crash_at("salesforce_contact", "committed", 3)
    with pytest.raises(KeyboardInterrupt):
        pull(apis, tmp_path, systems=("salesforce",), page_hook=crash)
    # two days later every locator has expired (API 56.0 and later: "available for 2 days")
    apis.clock.advance(3 * 86400)
    apis.reset_requests()
    lines: list[str] = []

    pull(apis, tmp_path, lines, systems=("salesforce",))

    assert any("salesforce_contact: the query locator expired" in line for line in lines), lines
    refused = [r for r in apis.requests if r.status == 400]
    assert len(refused) == 1 and "/query/" in refused[0].path
    again = [r for r in apis.requests if r.path.endswith("/query") and "FROM Contact" in r.query["q"]]
    assert len(again) == 1 and "WHERE SystemModstamp >= " in again[0].query["q"]
    want = {r["Id"] for r in apis.records("salesforce/Contact.jsonl")}
    assert {r["Id"] for r in drop_records(tmp_path / "drop", "salesforce_contact")} == want
    # and the state is not stuck: the next pull is an ordinary incremental one
    expected = salesforce_pages_from_the_last_mark(apis, newest_salesforce_marks(apis))
    nxt = pull(apis, tmp_path, systems=("salesforce",))
    assert nxt.collections["salesforce_contact"].requests == expected["Contact"] == 2


def test_request_limit_403_is_waited_out_or_stops_with_one_line_and_resumes(apis, tmp_path):
    apis.fail("/services/data/v60.0/query", 403, times=2)  # REQUEST_LIMIT_EXCEEDED, as Salesforce answers it
    started = apis.clock.now()
    result = pull(apis, tmp_path, systems=("salesforce",))
    assert apis.count("/services/data", status=403) == 2
    assert apis.clock.now() - started >= 1 + 2, "backed off 1 s, then 2 s"
    assert result.collections["salesforce_account"].records == 5

    # the org's 24-hour limit runs out in the middle of the next pull (after 4 more requests)
    apis.salesforce.requests_remaining = 4
    home = tmp_path / "again"
    with pytest.raises(ExtractError) as failure:
        pull(apis, home, systems=("salesforce",), max_attempts=3)
    message = str(failure.value)
    assert "\n" not in message
    assert message.startswith("Salesforce: GET /services/data/v60.0/query")
    assert "403" in message and "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded." in message
    stopped = StateStore(home / "home" / "extract_state.json").data["run"]
    assert not stopped["complete"]

    apis.salesforce.requests_remaining = None  # the next day
    resumed = pull(apis, home, systems=("salesforce",))
    assert resumed.extract_id == stopped["id"], "the same extract went on where it stopped"
    for obj in ("Account", "AccountHistory", "Contact", "Opportunity", "NPS_Response__c"):
        want = {r["Id"] for r in apis.records(f"salesforce/{obj}.jsonl")}
        assert {r["Id"] for r in drop_records(home / "drop", f"salesforce_{obj.lower()}")} == want, obj


def test_a_refused_jql_says_why_in_one_line_and_the_corrected_run_succeeds(apis, tmp_path):
    env = env_for(apis) | {"JIRA_START_DATE": "last tuesday"}
    state = tmp_path / "home" / "extract_state.json"
    with pytest.raises(ExtractError) as failure:
        extract_all(tmp_path / "drop", state, config_for(apis, env, systems=("jira",)))
    message = str(failure.value)
    assert message.startswith("Jira: POST /rest/api/3/search/jql: 400") and "\n" not in message
    assert "last tuesday" in message, "the vendor's own message is kept"

    extract_all(tmp_path / "drop", state, config_for(apis, systems=("jira",)))
    assert {r["id"] for r in drop_records(tmp_path / "drop", "jira_issues")} == {
        r["id"] for r in apis.records("jira/issues.jsonl")}


def test_an_expired_jira_page_token_searches_again_from_the_last_mark(apis, tmp_path):
    crash = crash_at("jira_issues", "committed", 1)
    with pytest.raises(KeyboardInterrupt):
        pull(apis, tmp_path, systems=("jira",), page_hook=crash)
    apis.clock.advance(8 * 86400)  # "This token will expire in 7 days"
    lines: list[str] = []
    pull(apis, tmp_path, lines, systems=("jira",))
    assert any("jira_issues: the search's page token was refused" in line for line in lines)
    assert {r["id"] for r in drop_records(tmp_path / "drop", "jira_issues")} == {
        r["id"] for r in apis.records("jira/issues.jsonl")}


# -- the HTTP mechanics


def test_429_5xx_and_dropped_connections_are_retried(apis, tmp_path):
    apis.fail("/api/v2/incremental/tickets", 429, headers={"Retry-After": "7"})
    apis.fail("/api/v2/tickets/", 503, times=2)
    apis.drop("/api/v2/incremental/users")
    apis.drop("/rest/api/3/search/jql")
    apis.fail("/services/data/v60.0/query", 500)
    apis.fail("/rest/api/3/issue/", 502)
    started = apis.clock.now()

    pull(apis, tmp_path)

    assert_every_collection_exact(apis, tmp_path / "drop")
    outcomes = Counter(r.status for r in apis.requests)
    assert outcomes[429] == 1 and outcomes[503] == 2 and outcomes["drop"] == 2 and outcomes[500] == 1
    assert apis.clock.now() - started >= 60 + 7, "Retry-After was waited (and the export pace kept)"


def test_a_persistent_failure_stops_in_one_line_then_the_rerun_resumes_without_duplicates(apis, tmp_path):
    apis.fail("/api/v2/incremental/users", 503, times=4)
    state = tmp_path / "home" / "extract_state.json"
    with pytest.raises(ExtractError) as failure:
        pull(apis, tmp_path, max_attempts=4)
    assert str(failure.value).startswith("Zendesk: GET /api/v2/incremental/users/cursor.json: 503 Service Unavailable")
    saved = StateStore(state).data["run"]
    assert saved["collections"]["zendesk_tickets"]["status"] == "done"
    assert saved["collections"]["zendesk_ticket_audits"]["status"] == "done"
    assert saved["collections"]["zendesk_users"]["pages"] == 0 and not saved["complete"]
    assert not list((tmp_path / "drop" / "zendesk").glob("users.*.jsonl")), "an unfinished collection is not visible"

    apis.reset_requests()
    result = pull(apis, tmp_path)
    assert result.extract_id == saved["id"]
    assert apis.count("/api/v2/incremental/tickets") == 0 and apis.count("/api/v2/tickets/") == 0, \
        "finished collections are not fetched again"
    assert_every_collection_exact(apis, tmp_path / "drop")
    assert len(drop_records(tmp_path / "drop", "zendesk_users")) == len(apis.records("zendesk/users.jsonl"))


@pytest.mark.parametrize("stage", ["written", "committed"])
def test_a_crash_mid_collection_resumes_from_the_last_committed_page(apis, tmp_path, stage):
    crash = crash_at("zendesk_ticket_audits", stage, 5)
    with pytest.raises(KeyboardInterrupt):
        pull(apis, tmp_path, page_hook=crash)
    audits = StateStore(tmp_path / "home" / "extract_state.json").data["run"]["collections"]["zendesk_ticket_audits"]
    committed = 5 if stage == "committed" else 4
    assert audits["pages"] == committed and audits["position"]["index"] == committed
    apis.reset_requests()

    pull(apis, tmp_path)

    per_ticket = [r.path for r in apis.requests if r.path.endswith("/audits.json")]
    tickets = {t["id"] for t in apis.records("zendesk/tickets.jsonl") if t["status"] != "deleted"}
    assert len(per_ticket) == len(tickets) - committed, "only the tickets not yet committed are asked again"
    got = drop_records(tmp_path / "drop", "zendesk_ticket_audits")
    assert len(got) == len({a["id"] for a in got}), "no page kept twice"
    assert_every_collection_exact(apis, tmp_path / "drop")


def test_missing_and_wrong_credentials_fail_before_any_other_work(apis, tmp_path):
    env = env_for(apis)
    del env["JIRA_API_TOKEN"]
    with pytest.raises(MissingCredentialError, match="JIRA_API_TOKEN"):
        ExtractConfig.from_env(env)
    assert ExtractConfig.from_env({"ZENDESK_SUBDOMAIN": "acme", "ZENDESK_EMAIL": "a@b", "ZENDESK_API_TOKEN": "t"},
                                  systems=("zendesk",)).zendesk_base_url == "https://acme.zendesk.com"

    wrong = env_for(apis) | {"SALESFORCE_ACCESS_TOKEN": "expired"}
    with pytest.raises(ExtractError) as failure:
        extract_all(tmp_path / "drop", tmp_path / "state.json", config_for(apis, wrong))
    assert str(failure.value) == ("Salesforce: GET /services/data/v60.0/limits: 401 Unauthorized: INVALID_SESSION_ID: "
                                  "Session expired or invalid (check SALESFORCE_ACCESS_TOKEN: an OAuth access token "
                                  "expires)")
    assert [r.path for r in apis.requests] == ["/api/v2/users/me.json", "/rest/api/3/myself",
                                               "/services/data/v60.0/limits"], "nothing pulled, a 401 not retried"
    assert not (tmp_path / "drop").exists() and not (tmp_path / "state.json").exists()

    wrong = env_for(apis) | {"ZENDESK_API_TOKEN": "wrong"}
    with pytest.raises(ExtractError, match=r"^Zendesk: GET /api/v2/users/me.json: 401 Unauthorized: "
                                           r"Couldn't authenticate you \(check ZENDESK_EMAIL and ZENDESK_API_TOKEN\)$"):
        extract_all(tmp_path / "drop", tmp_path / "state.json", config_for(apis, wrong))


def test_endless_rate_limiting_gives_up_with_a_clear_error(apis, tmp_path):
    apis.fail("/rest/api/3/search/jql", 429, times=50, headers={"Retry-After": "2"})
    with pytest.raises(ExtractError, match=r"^Jira: POST /rest/api/3/search/jql: 429 Too Many Requests"):
        pull(apis, tmp_path, systems=("jira",), max_attempts=3)
    assert apis.count("/rest/api/3/search/jql") == 3


def test_the_pulled_drop_loads_with_the_loader(apis, tmp_path):
    crash = crash_at("salesforce_contact", "written", 3, RuntimeError)
    with pytest.raises(RuntimeError):
        pull(apis, tmp_path, page_hook=crash)
    pull(apis, tmp_path)
    change_a_few_records(apis)
    pull(apis, tmp_path)  # an incremental pull on top
    with connect(tmp_path / "warehouse.duckdb") as con:
        for collection in COLLECTIONS:
            result = load_collection(con, collection, tmp_path / "drop")
            assert result.lines_quarantined == 0, collection.table
            want = {str(key(r)) for r in served_records(apis, collection.table)}
            got = {row[0] for row in con.execute(f"select record_id from raw.{collection.table}").fetchall()}
            assert got == want, collection.table
