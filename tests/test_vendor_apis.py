"""Checks of the vendor API test doubles (tests/vendor_apis) against the documented behaviours
they claim: plain `requests` against the loopback server, a small generated company, a fake clock."""

from __future__ import annotations

import threading

import pytest
import requests
from time_to_smile.generator import generate_company

from tests.vendor_apis import FakeClock, OffsetClock, VendorApis
from tests.vendor_apis.base import parse_time

NOW = "2027-06-01T00:00:00Z"


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    root = tmp_path_factory.mktemp("vendor_company")
    generate_company(root, accounts=5, tickets=60, days=20, seed=3)
    return root


@pytest.fixture
def clock():
    return FakeClock(NOW)


@pytest.fixture
def apis(company, clock):
    with VendorApis(company, clock) as servers:
        yield servers


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


def zd(apis):
    creds = apis.credentials["zendesk"]
    return (f"{creds['email']}/token", creds["token"])


def jira(apis):
    creds = apis.credentials["jira"]
    return (creds["email"], creds["token"])


def sf(apis):
    return {"Authorization": f"Bearer {apis.credentials['salesforce']['access_token']}"}


def zd_get(http, apis, url, params=None):
    """A Zendesk GET that waits out 429s on the shared clock, as the docs ask (Retry-After)."""
    while True:
        r = http.get(url, params=params, auth=zd(apis))
        if r.status_code != 429:
            return r
        apis.clock.sleep(int(r.headers["Retry-After"]))


def follow_cursor_export(http, apis, url, params, key):
    """Every record of a cursor-based incremental export, following after_url to end_of_stream."""
    page = zd_get(http, apis, url, params).json()
    got = list(page[key])
    while not page["end_of_stream"]:
        page = zd_get(http, apis, page["after_url"]).json()
        got += page[key]
    return got, page


def follow_pages(http, url, auth, next_url=lambda page: page["links"]["next"] if page["meta"]["has_more"] else None):
    """Each page's body from url on, following the next page's address `next_url` reads from a page
    (by default Zendesk's cursor pagination: `links.next` while `meta.has_more`)."""
    while url:
        page = http.get(url, auth=auth).json()
        yield page
        url = next_url(page)


# ---------------------------------------------------------------- clocks


def test_fake_clock_moves_only_when_told_and_is_thread_safe():
    clock = FakeClock(NOW)
    start = clock.now()
    assert start == parse_time(NOW)
    threads = [threading.Thread(target=lambda: [clock.sleep(0.5) for _ in range(100)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert clock.now() == start + 200


def test_offset_clock_runs_in_real_time_from_its_start():
    clock = OffsetClock(NOW)
    before = clock.now()
    clock.sleep(0.01)
    assert parse_time(NOW) <= before < clock.now() < parse_time(NOW) + 5


# ---------------------------------------------------------------- credentials


def test_wrong_or_missing_credentials_get_each_vendors_401(apis, http):
    # Zendesk: https://developer.zendesk.com/api-reference/introduction/security-and-auth/
    r = http.get(f"{apis.url}/api/v2/groups.json", auth=("ops@example.com/token", "nope"))
    assert (r.status_code, r.json()) == (401, {"error": "Couldn't authenticate you"})
    assert http.get(f"{apis.url}/api/v2/groups.json").status_code == 401
    # users/me is "Allowed For: Anonymous users": no credentials -> the anonymous user; wrong ones -> 401
    anonymous = http.get(f"{apis.url}/api/v2/users/me.json")
    assert anonymous.status_code == 200 and anonymous.json()["user"]["id"] is None
    assert http.get(f"{apis.url}/api/v2/users/me.json", auth=("x/token", "y")).status_code == 401
    assert http.get(f"{apis.url}/api/v2/users/me.json", auth=zd(apis)).json()["user"]["email"] == "ops@example.com"
    # Jira: 401 "if the authentication credentials are incorrect or missing"
    assert http.get(f"{apis.url}/rest/api/3/myself", auth=("ops@example.com", "nope")).status_code == 401
    assert http.post(f"{apis.url}/rest/api/3/search/jql", json={"jql": "project = PLAT"}).status_code == 401
    assert http.get(f"{apis.url}/rest/api/3/myself", auth=jira(apis)).json()["emailAddress"] == "ops@example.com"
    # Salesforce: 401 with message and errorCode
    r = http.get(f"{apis.url}/services/data/v60.0/limits", headers={"Authorization": "Bearer stale"})
    assert (r.status_code, r.json()) == (401, [{"message": "Session expired or invalid",
                                                "errorCode": "INVALID_SESSION_ID"}])
    # the Versions resource needs no authentication
    assert http.get(f"{apis.url}/services/data/").status_code == 200


# ---------------------------------------------------------------- Zendesk incremental exports


def test_ticket_export_pages_to_the_end_with_every_ticket_once_archived_and_deleted_included(apis, http):
    apis.zendesk.page_size_cap = 7
    url = f"{apis.url}/api/v2/incremental/tickets/cursor.json"
    tickets, last = follow_cursor_export(http, apis, url, {"start_time": 0}, "tickets")
    ids = [t["id"] for t in tickets]
    served = apis.records("zendesk/tickets.jsonl")
    assert sorted(ids) == sorted(t["id"] for t in served) and len(ids) == len(set(ids))
    assert [t["generated_timestamp"] for t in tickets] == sorted(t["generated_timestamp"] for t in tickets)
    assert any(apis.zendesk.is_archived(t) for t in tickets)
    assert any(t["status"] == "deleted" for t in tickets)
    assert apis.count("/api/v2/incremental/tickets") == -(-len(served) // 7)
    # exclude_deleted=true keeps deleted tickets out
    live, _ = follow_cursor_export(http, apis, url, {"start_time": 0, "exclude_deleted": "true"}, "tickets")
    assert live and all(t["status"] != "deleted" for t in live)

    # polling the stored cursor later: nothing new, then a changed ticket comes back
    again = zd_get(http, apis, last["after_url"]).json()
    assert again["tickets"] == [] and again["end_of_stream"] and again["after_cursor"]
    changed = dict(served[0], status="open", generated_timestamp=int(apis.clock.now()) - 120)
    apis.upsert("zendesk/tickets.jsonl", changed)
    after = zd_get(http, apis, again["after_url"]).json()
    assert [t["id"] for t in after["tickets"]] == [changed["id"]]


def test_ticket_export_leaves_out_the_most_recent_minute_and_refuses_a_too_recent_start(apis, http):
    url = f"{apis.url}/api/v2/incremental/tickets/cursor.json"
    now = int(apis.clock.now())
    r = http.get(url, params={"start_time": now - 30}, auth=zd(apis))
    assert r.status_code == 422 and "Too recent start_time" in r.json()["description"]
    fresh = dict(apis.records("zendesk/tickets.jsonl")[0], id=99999, generated_timestamp=now - 10)
    apis.upsert("zendesk/tickets.jsonl", fresh)
    page = http.get(url, params={"start_time": now - 3600}, auth=zd(apis)).json()
    assert page["tickets"] == [] and page["end_of_stream"]
    apis.clock.sleep(60)
    assert [t["id"] for t in http.get(page["after_url"], auth=zd(apis)).json()["tickets"]] == [99999]


def test_incremental_exports_allow_10_requests_a_minute_on_the_shared_clock(apis, http):
    url = f"{apis.url}/api/v2/incremental/tickets/cursor.json"
    assert apis.zendesk.incremental_limit_per_minute == 10
    statuses = [http.get(url, params={"start_time": 0}, auth=zd(apis)).status_code for _ in range(10)]
    assert statuses == [200] * 10
    limited = http.get(f"{apis.url}/api/v2/incremental/organizations.json", params={"start_time": 0},
                       auth=zd(apis))
    assert limited.status_code == 429
    assert limited.text == "Number of allowed API requests per minute exceeded"
    wait = int(limited.headers["Retry-After"])
    assert 0 < wait <= 60
    apis.clock.sleep(wait)
    assert http.get(url, params={"start_time": 0}, auth=zd(apis)).status_code == 200
    # other endpoints are not under this limit
    assert http.get(f"{apis.url}/api/v2/groups.json", auth=zd(apis)).status_code == 200


def test_user_export_is_cursor_based_with_its_own_limit_header(apis, http):
    apis.zendesk.page_size_cap = 10
    users, _ = follow_cursor_export(http, apis, f"{apis.url}/api/v2/incremental/users/cursor.json",
                                    {"start_time": 0}, "users")
    assert sorted(u["id"] for u in users) == sorted(u["id"] for u in apis.records("zendesk/users.jsonl"))
    r = http.get(f"{apis.url}/api/v2/incremental/users/cursor.json", params={"start_time": 0}, auth=zd(apis))
    assert r.headers["Zendesk-RateLimit-incremental-exports-cursor"].startswith("total=20;")


def test_organization_export_is_time_based_and_repeats_a_shared_timestamp(apis, http):
    stamp = "2026-05-01T00:00:00Z"
    for i in range(3):  # three organizations changed in the same second
        apis.upsert("zendesk/organizations.jsonl", {"id": 70000 + i, "name": f"Same {i}", "created_at": stamp,
                                                      "updated_at": stamp})
    url = f"{apis.url}/api/v2/incremental/organizations.json"
    page = http.get(url, params={"start_time": 0, "per_page": 2}, auth=zd(apis)).json()
    assert set(page) >= {"organizations", "count", "end_time", "next_page", "end_of_stream"}
    pages = [page]
    while not page["end_of_stream"] and len(pages) < 20:
        page = http.get(page["next_page"], auth=zd(apis)).json()  # start_time = the previous end_time
        pages.append(page)
    seen = [o["id"] for p in pages for o in p["organizations"]]
    assert set(seen) == {o["id"] for o in apis.records("zendesk/organizations.jsonl")}
    assert len(seen) > len(set(seen))  # the documented duplicates across page boundaries
    group = next(p for p in pages if {70000, 70001, 70002} <= {o["id"] for o in p["organizations"]})
    assert group["count"] > 2  # a page may exceed per_page when items share a timestamp


# ---------------------------------------------------------------- Zendesk audits and lists


def test_archived_tickets_are_missing_from_ticket_audits_but_listed_per_ticket(apis, http):
    tickets = apis.records("zendesk/tickets.jsonl")
    archived = [t for t in tickets if apis.zendesk.is_archived(t)]
    assert archived and all(t["status"] == "closed" for t in archived)
    archived_ids = {t["id"] for t in archived}
    apis.zendesk.page_size_cap = 25
    audits = [a for page in follow_pages(http, f"{apis.url}/api/v2/ticket_audits.json?page[size]=25", zd(apis))
              for a in page["audits"]]
    assert audits and not archived_ids & {a["ticket_id"] for a in audits}
    assert len({a["id"] for a in audits}) == len(audits)
    legacy = http.get(f"{apis.url}/api/v2/ticket_audits.json", auth=zd(apis)).json()  # default: legacy cursor
    assert set(legacy) >= {"audits", "after_cursor", "before_cursor", "after_url", "before_url"}
    assert not archived_ids & {a["ticket_id"] for a in legacy["audits"]}

    one = archived[0]["id"]
    expected = [a["id"] for a in apis.records("zendesk/ticket_audits.jsonl") if a["ticket_id"] == one]
    per_ticket = http.get(f"{apis.url}/api/v2/tickets/{one}/audits.json", params={"page[size]": 1},
                          auth=zd(apis)).json()
    assert sorted(a["id"] for a in per_ticket["audits"]) == sorted(expected)  # archived: not paginated
    assert per_ticket["meta"]["has_more"] is False


def test_per_ticket_audits_paginate_and_404_for_unknown_or_deleted_tickets(apis, http, clock):
    clock.set("2026-12-01T00:00:00Z")  # nothing archived yet
    tickets = apis.records("zendesk/tickets.jsonl")
    audits = apis.records("zendesk/ticket_audits.jsonl")
    busiest = max((t for t in tickets if t["status"] != "deleted"),
                  key=lambda t: sum(a["ticket_id"] == t["id"] for a in audits))
    expected = sorted(a["id"] for a in audits if a["ticket_id"] == busiest["id"])
    got = [a["id"] for page in follow_pages(http, f"{apis.url}/api/v2/tickets/{busiest['id']}/audits.json?page[size]=2",
                                            zd(apis)) for a in page["audits"]]
    assert sorted(got) == expected and len(got) == len(set(got))
    offset = http.get(f"{apis.url}/api/v2/tickets/{busiest['id']}/audits.json", params={"per_page": 2},
                      auth=zd(apis)).json()
    assert offset["count"] == len(expected) and len(offset["audits"]) == 2 and offset["next_page"]
    deleted = next(t for t in tickets if t["status"] == "deleted")
    for ticket_id in (deleted["id"], 424242):
        r = http.get(f"{apis.url}/api/v2/tickets/{ticket_id}/audits.json", auth=zd(apis))
        assert (r.status_code, r.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})


def test_cursor_pagination_is_capped_at_100_and_reaches_every_record_once(apis, http):
    big = http.get(f"{apis.url}/api/v2/satisfaction_ratings.json", params={"page[size]": 500}, auth=zd(apis))
    ratings = apis.records("zendesk/satisfaction_ratings.jsonl")
    assert len(big.json()["satisfaction_ratings"]) == min(100, len(ratings))
    apis.zendesk.page_size_cap = 4
    for path, key, rel in (("satisfaction_ratings", "satisfaction_ratings", "satisfaction_ratings"),
                           ("groups", "groups", "groups"), ("ticket_fields", "ticket_fields", "ticket_fields")):
        got = []
        for page in follow_pages(http, f"{apis.url}/api/v2/{path}.json?page[size]=100", zd(apis)):
            assert len(page[key]) <= 4
            got += [r["id"] for r in page[key]]
        assert sorted(got) == sorted(r["id"] for r in apis.records(f"zendesk/{rel}.jsonl"))
    # ticket fields without page[size]: every field in one response
    fields = http.get(f"{apis.url}/api/v2/ticket_fields.json", auth=zd(apis)).json()
    assert len(fields["ticket_fields"]) == len(apis.records("zendesk/ticket_fields.jsonl"))
    schedules = http.get(f"{apis.url}/api/v2/business_hours/schedules.json", auth=zd(apis)).json()
    assert len(schedules["schedules"]) == len(apis.records("zendesk/schedules.jsonl"))


def test_satisfaction_ratings_filter_on_start_and_end_time(apis, http):
    ratings = apis.records("zendesk/satisfaction_ratings.jsonl")
    field = apis.zendesk.satisfaction_time_field
    times = sorted(int(parse_time(r[field])) for r in ratings)
    lo, hi = times[len(times) // 4], times[3 * len(times) // 4]
    page = http.get(f"{apis.url}/api/v2/satisfaction_ratings.json",
                    params={"start_time": lo, "end_time": hi, "page[size]": 100}, auth=zd(apis)).json()
    assert sorted(r["id"] for r in page["satisfaction_ratings"]) == sorted(
        r["id"] for r in ratings if lo <= parse_time(r[field]) <= hi)
    bad = http.get(f"{apis.url}/api/v2/satisfaction_ratings.json", params={"score": "bad"}, auth=zd(apis)).json()
    assert {r["score"] for r in bad["satisfaction_ratings"]} <= {"bad"}
    # a rating changed later appears twice in the file drop; the API serves its last version once
    assert len({r["id"] for r in ratings}) == len(ratings)


def test_jira_links_page_by_id_and_filter_by_ticket(apis, http):
    links = apis.records("zendesk/jira_links.jsonl")
    apis.zendesk.page_size_cap = 3
    got = [link for page in follow_pages(http, f"{apis.url}/api/v2/jira/links", zd(apis),
                                         lambda page: page["meta"]["after_cursor"] if page["meta"]["has_more"] else None)
           for link in page["links"]]
    assert [link["id"] for link in got] == sorted(link["id"] for link in links)
    assert all(isinstance(link["ticket_id"], str) and isinstance(link["issue_id"], str) for link in got)
    one = links[0]
    only = http.get(f"{apis.url}/api/v2/jira/links", params={"filter[ticket_id]": one["ticket_id"]},
                    auth=zd(apis)).json()["links"]
    assert {link["id"] for link in only} == {link["id"] for link in links if link["ticket_id"] == one["ticket_id"]}


# ---------------------------------------------------------------- Jira


def test_unbounded_jql_is_refused(apis, http):
    for jql in ("", "ORDER BY updated ASC", "order by key desc"):
        r = http.post(f"{apis.url}/rest/api/3/search/jql", json={"jql": jql}, auth=jira(apis))
        assert r.status_code == 400
        assert r.json()["errorMessages"] == ["Unbounded JQL queries are not allowed here. "
                                             "Please add a search restriction to your query."]


def test_jql_search_pages_to_the_end_in_updated_order(apis, http):
    apis.jira.page_size_cap = 4
    issues = apis.records("jira/issues.jsonl")
    body = {"jql": 'updated >= "2000-01-01 00:00" ORDER BY updated ASC, key ASC', "fields": ["updated", "summary"]}
    got, page = [], http.post(f"{apis.url}/rest/api/3/search/jql", json=body, auth=jira(apis)).json()
    while True:
        got += page["issues"]
        if page["isLast"]:
            assert "nextPageToken" not in page
            break
        page = http.post(f"{apis.url}/rest/api/3/search/jql", json={**body, "nextPageToken": page["nextPageToken"]},
                         auth=jira(apis)).json()
    assert sorted(i["key"] for i in got) == sorted(i["key"] for i in issues) and len(got) == len(issues)
    updated = [parse_time(i["fields"]["updated"]) for i in got]
    assert updated == sorted(updated) and set(got[0]["fields"]) == {"updated", "summary"}
    # default fields: ids only
    bare = http.get(f"{apis.url}/rest/api/3/search/jql", params={"jql": "project = PLAT"}, auth=jira(apis)).json()
    assert bare["issues"] and all(i["fields"] == {} for i in bare["issues"])


@pytest.mark.parametrize("literal", ['"2026-08-01 00:00"', '"2026/08/01 00:00"', '"2026-08-01"', '"2026/08/01"'])
def test_jql_date_formats_are_read_in_utc(apis, http, literal):
    cutoff = parse_time("2026-08-01T00:00:00Z")
    issues = apis.records("jira/issues.jsonl")
    r = http.get(f"{apis.url}/rest/api/3/search/jql", auth=jira(apis),
                 params={"jql": f"updated >= {literal} ORDER BY updated ASC", "maxResults": 100})
    assert {i["key"] for i in r.json()["issues"]} == {
        i["key"] for i in issues if parse_time(i["fields"]["updated"]) >= cutoff}


def test_search_changelog_is_capped_at_40_newest_with_the_rest_from_the_changelog_endpoint(apis, http):
    issue = apis.records("jira/issues.jsonl")[0]
    histories = [{"id": str(500000 + n), "created": f"2026-07-{1 + n // 4:02d}T{(n % 4) * 5:02d}:00:00.000+0000",
                  "items": [{"field": "status", "fromString": "A", "toString": "B"}]} for n in range(95)]
    issue["changelog"] = {"startAt": 0, "maxResults": 95, "total": 95, "histories": histories}
    apis.upsert("jira/issues.jsonl", issue)
    found = http.post(f"{apis.url}/rest/api/3/search/jql", auth=jira(apis),
                      json={"jql": f"key = {issue['key']}", "expand": "changelog"}).json()["issues"][0]
    changelog = found["changelog"]
    assert changelog["total"] == 95 and len(changelog["histories"]) == 40
    assert [h["id"] for h in changelog["histories"]] == [h["id"] for h in reversed(histories)][:40]  # newest first
    values = []
    for page in follow_pages(http, f"{apis.url}/rest/api/3/issue/{issue['key']}/changelog?maxResults=30", jira(apis),
                             lambda page: page.get("nextPage")):
        assert set(page) >= {"self", "maxResults", "startAt", "total", "isLast", "values"}
        assert (page.get("nextPage") is None) == page["isLast"]
        values += page["values"]
    assert [h["id"] for h in values] == [h["id"] for h in histories]  # all of them, oldest first
    missing = http.get(f"{apis.url}/rest/api/3/issue/NOPE-1/changelog", auth=jira(apis))
    assert missing.status_code == 404 and missing.json()["errorMessages"]


def test_jira_rate_limit_via_fail_carries_retry_after(apis, http):
    apis.fail("/rest/api/3/search/jql", 429, headers={"Retry-After": "7"})
    r = http.post(f"{apis.url}/rest/api/3/search/jql", json={"jql": "project = PLAT"}, auth=jira(apis))
    assert (r.status_code, r.headers["Retry-After"]) == (429, "7")
    ok = http.post(f"{apis.url}/rest/api/3/search/jql", json={"jql": "project = PLAT"}, auth=jira(apis))
    assert ok.status_code == 200
    assert apis.count("/rest/api/3/search/jql", status=429) == 1 and apis.count(vendor="jira", status=200) == 1


# ---------------------------------------------------------------- Salesforce


def sf_query(apis, http, soql, headers=None):
    return http.get(f"{apis.url}/services/data/v60.0/query", params={"q": soql},
                    headers={**sf(apis), **(headers or {})})


def test_soql_query_pages_to_the_end_with_selected_fields_only(apis, http):
    apis.salesforce.batch_size = 5
    soql = ("SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp >= 2026-01-01T00:00:00Z "
            "ORDER BY SystemModstamp ASC, Id ASC")
    page = sf_query(apis, http, soql).json()
    records, total = list(page["records"]), page["totalSize"]
    while not page["done"]:
        assert page["nextRecordsUrl"].startswith("/services/data/v60.0/query/")
        page = http.get(apis.url + page["nextRecordsUrl"], headers=sf(apis)).json()
        records += page["records"]
    assert "nextRecordsUrl" not in page
    contacts = apis.records("salesforce/Contact.jsonl")
    expected = [c for c in contacts if parse_time(c["SystemModstamp"]) >= parse_time("2026-01-01T00:00:00Z")]
    assert total == len(records) == len(expected)
    assert sorted(r["Id"] for r in records) == sorted(c["Id"] for c in expected)
    assert all(set(r) == {"attributes", "Id", "SystemModstamp"} for r in records)
    stamps = [parse_time(r["SystemModstamp"]) for r in records]
    assert stamps == sorted(stamps)


def test_batch_size_header_is_bounded_by_200_and_2000(apis, http):
    for n in range(250):  # a bigger object than the generated one
        apis.upsert("salesforce/Account.jsonl", {"attributes": {"type": "Account", "url": f"/x/{n}"},
                                                   "Id": f"001X{n:014d}", "Name": f"A{n}",
                                                   "SystemModstamp": "2026-01-01T00:00:00.000+0000"})
    small = sf_query(apis, http, "SELECT Id FROM Account", {"Sforce-Query-Options": "batchSize=10"}).json()
    assert len(small["records"]) == 200 and not small["done"]  # 10 is below the documented minimum
    big = sf_query(apis, http, "SELECT Id FROM Account", {"Sforce-Query-Options": "batchSize=5000"}).json()
    assert big["done"] and len(big["records"]) == big["totalSize"] == 255


def test_soql_datetime_literals_are_unquoted_and_bad_queries_are_refused(apis, http):
    quoted = sf_query(apis, http, "SELECT Id FROM Contact WHERE SystemModstamp >= '2026-01-01T00:00:00Z'")
    assert quoted.status_code == 400 and quoted.json()[0]["errorCode"] == "INVALID_FIELD"
    assert sf_query(apis, http, "SELECT Id FROM Nothing__c").json()[0]["errorCode"] == "INVALID_TYPE"
    assert sf_query(apis, http, "SELECT Nope FROM Contact").json()[0]["errorCode"] == "INVALID_FIELD"
    assert sf_query(apis, http, "SELEC Id FROM Contact").json()[0]["errorCode"] == "MALFORMED_QUERY"
    offset = sf_query(apis, http, "SELECT Id FROM Contact WHERE SystemModstamp >= 2026-01-01T01:00:00+01:00")
    assert offset.status_code == 200


def test_query_locators_expire(apis, http, clock):
    apis.salesforce.batch_size = 5
    soql = "SELECT Id FROM Contact ORDER BY Id ASC"
    first = sf_query(apis, http, soql).json()
    assert http.get(apis.url + first["nextRecordsUrl"], headers=sf(apis)).status_code == 200
    apis.salesforce.expire_locators()
    r = http.get(apis.url + first["nextRecordsUrl"], headers=sf(apis))
    assert (r.status_code, r.json()) == (400, [{"message": "invalid query locator",
                                                "errorCode": "INVALID_QUERY_LOCATOR"}])
    unknown = http.get(f"{apis.url}/services/data/v60.0/query/01gRO0000000009999-5", headers=sf(apis))
    assert unknown.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"
    # v56.0+: results stay available for 2 days; 20 idle minutes do not matter
    fresh = sf_query(apis, http, soql).json()
    clock.sleep(20 * 60)
    assert http.get(apis.url + fresh["nextRecordsUrl"], headers=sf(apis)).status_code == 200
    clock.sleep(2 * 86400)
    assert http.get(apis.url + fresh["nextRecordsUrl"], headers=sf(apis)).status_code == 400
    # before v56.0: 15 minutes of inactivity
    old = http.get(f"{apis.url}/services/data/v55.0/query", params={"q": soql}, headers=sf(apis)).json()
    clock.sleep(16 * 60)
    assert http.get(apis.url + old["nextRecordsUrl"], headers=sf(apis)).status_code == 400
    # or for any version when a test asks for it
    apis.salesforce.locator_idle_seconds = 15 * 60
    idle = sf_query(apis, http, soql).json()
    clock.sleep(15 * 60 + 1)
    assert http.get(apis.url + idle["nextRecordsUrl"], headers=sf(apis)).status_code == 400


def test_request_limit_gives_403_and_limit_info(apis, http):
    r = http.get(f"{apis.url}/services/data/v60.0/limits", headers=sf(apis))
    assert r.json()["DailyApiRequests"]["Max"] == 100000
    assert r.headers["Sforce-Limit-Info"] == "api-usage=1/100000"
    assert "Sforce-Limit-Info" not in http.get(f"{apis.url}/services/data/").headers
    apis.salesforce.requests_remaining = 2
    assert sf_query(apis, http, "SELECT Id FROM Account").status_code == 200
    assert http.get(f"{apis.url}/services/data/v60.0/limits", headers=sf(apis)).json()["DailyApiRequests"] == {
        "Max": 3, "Remaining": 0}
    for _ in range(2):
        r = sf_query(apis, http, "SELECT Id FROM Account")
        assert (r.status_code, r.json()) == (403, [{"message": "TotalRequests Limit exceeded.",
                                                    "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
    assert http.get(f"{apis.url}/services/data/").status_code == 200  # Versions is not counted


# ---------------------------------------------------------------- plumbing


def test_fail_drop_count_and_reset(apis, http):
    apis.fail("/api/v2/groups", 503, times=2)
    assert [http.get(f"{apis.url}/api/v2/groups.json", auth=zd(apis)).status_code for _ in range(3)] == [503, 503, 200]
    apis.drop("/services/data/v60.0/limits")
    with pytest.raises(requests.exceptions.RequestException):
        http.get(f"{apis.url}/services/data/v60.0/limits", headers=sf(apis))
    assert apis.requests[-1].status == "drop" and apis.requests[-1].vendor == "salesforce"
    assert apis.count(vendor="zendesk") == 3 and apis.count("/api/v2/groups", status=503) == 2
    apis.reset_requests()
    assert apis.count() == 0 and apis.requests == []

