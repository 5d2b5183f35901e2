"""The sample-company generator (`smile generate`): shapes, consistency, determinism, coverage."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

try:
    import time_to_smile  # noqa: F401
except ImportError:  # not installed yet: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "orchestration"))

from time_to_smile.generator import FILES, generate_company  # noqa: E402

END = datetime.datetime(2026, 11, 16, tzinfo=datetime.timezone.utc)
DAYS = 90
ZD_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SF_TS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$")
STAGE_ORDER = ["Searching", "Ready to Buy", "Purchased", "Implemented", "Post-Installation"]
DONE = {"Done", "Closed"}
AGENT_ROLES = {"agent", "admin"}


def zd(value: str) -> datetime.datetime:
    assert ZD_TS.match(value), value
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)


def sf(value: str) -> datetime.datetime:
    assert SF_TS.match(value), value
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.000+0000").replace(tzinfo=datetime.timezone.utc)


def read(root: Path, rel: str) -> list[dict]:
    with open(root / rel, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def digest(root: Path) -> dict[str, str]:
    return {rel: hashlib.sha256((root / rel).read_bytes()).hexdigest() for rel in FILES}


class Drop:
    """The generated files plus the derived per-ticket histories the checks need."""

    def __init__(self, root: Path, counts: dict[str, int]):
        self.root = root
        self.counts = counts
        self.data = {rel: read(root, rel) for rel in FILES}
        d = self.data
        self.tickets = d["zendesk/tickets.jsonl"]
        self.ticket = {t["id"]: t for t in self.tickets}
        self.users = {u["id"]: u for u in d["zendesk/users.jsonl"]}
        self.issues = {i["id"]: i for i in d["jira/issues.jsonl"]}
        self.audits = defaultdict(list)
        for audit in d["zendesk/ticket_audits.jsonl"]:
            self.audits[audit["ticket_id"]].append(audit)
        for history in self.audits.values():
            history.sort(key=lambda a: (a["created_at"], a["id"]))
        self.links = defaultdict(list)
        for link in d["zendesk/jira_links.jsonl"]:
            self.links[link["ticket_id"]].append(link)
        self.rating_versions = defaultdict(list)
        for rating in d["zendesk/satisfaction_ratings.jsonl"]:
            self.rating_versions[rating["id"]].append(rating)
        self.latest_rating = {}
        for versions in self.rating_versions.values():
            latest = max(versions, key=lambda r: r["updated_at"])
            self.latest_rating[latest["ticket_id"]] = latest

    def is_agent(self, user_id) -> bool:
        return self.users[user_id]["role"] in AGENT_ROLES

    def events(self, ticket_id):
        for audit in self.audits[ticket_id]:
            for event in audit["events"]:
                yield audit, event

    def status_changes(self, ticket_id):
        return [(a, e) for a, e in self.events(ticket_id) if e["type"] == "Change" and e["field_name"] == "status"]

    def is_case(self, t) -> bool:
        return t["status"] != "deleted" and "closed_by_merge" not in t["tags"]

    def public_agent_comments(self, ticket_id):
        return [(a, e) for a, e in self.events(ticket_id)
                if e["type"] == "Comment" and e["public"] and self.is_agent(e["author_id"])]

    def issue_status_at(self, issue, at: datetime.datetime) -> str:
        status = "To Do"
        for h in sorted(issue["changelog"]["histories"], key=lambda h: h["created"]):
            if sf(h["created"]) > at:
                break
            for item in h["items"]:
                if item["field"] == "status":
                    status = item["toString"]
        return status

    def issue_resolved_after(self, issue, at: datetime.datetime):
        for h in sorted(issue["changelog"]["histories"], key=lambda h: h["created"]):
            for item in h["items"]:
                if item["field"] == "status" and sf(h["created"]) > at and item["toString"] in DONE:
                    return sf(h["created"])
        return None

    def handoffs(self, ticket_id):
        """Group/assignee changes between two non-empty values, with whether they carried context."""
        out = []
        assignee = None
        notes = []  # (time, author) of private comments
        for audit in self.audits[ticket_id]:
            at = zd(audit["created_at"])
            for e in audit["events"]:
                if e["type"] == "Comment" and not e["public"]:
                    notes.append((at, e["author_id"]))
            moved = any(
                e["type"] == "Change" and e["field_name"] in ("group_id", "assignee_id")
                and e["value"] is not None and e["previous_value"] is not None and e["value"] != e["previous_value"]
                for e in audit["events"]
            )
            if moved:
                context = assignee is not None and any(
                    author == assignee and datetime.timedelta(0) <= at - t <= datetime.timedelta(minutes=60)
                    for t, author in notes
                )
                out.append((at, assignee, context))
            for e in audit["events"]:
                if e["type"] in ("Create", "Change") and e["field_name"] == "assignee_id":
                    assignee = None if e["value"] is None else int(e["value"])
        return out


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> Drop:
    root = tmp_path_factory.mktemp("company")
    messages = []
    counts = generate_company(root, progress=messages.append)
    assert messages, "progress callback never called"
    return Drop(root, counts)


# --- files, shapes, determinism ------------------------------------------------


def test_all_files_exist_and_parse(drop):
    assert set(drop.counts) == set(FILES)
    for rel in FILES:
        path = drop.root / rel
        assert path.is_file(), rel
        lines = path.read_text(encoding="utf-8").splitlines()
        assert len(lines) == drop.counts[rel], rel
        for line in lines:
            assert isinstance(json.loads(line), dict), rel
            assert ": " not in line[:20] and ", " not in line[:20], "records must be compact JSON"
    assert drop.counts["zendesk/tickets.jsonl"] == 400
    assert not list(drop.root.rglob(".*.tmp")), "temporary files left behind"


def test_deterministic_for_a_seed(drop, tmp_path):
    again = tmp_path / "again"
    assert generate_company(again) == drop.counts
    assert digest(again) == digest(drop.root)
    other = tmp_path / "other"
    generate_company(other, seed=8)
    assert digest(other)["zendesk/ticket_audits.jsonl"] != digest(drop.root)["zendesk/ticket_audits.jsonl"]


def test_small_and_custom_sizes(tmp_path):
    counts = generate_company(tmp_path, accounts=3, tickets=25, days=10, seed=1)
    assert counts["zendesk/tickets.jsonl"] == 25
    assert counts["salesforce/Account.jsonl"] == 3
    assert counts["zendesk/organizations.jsonl"] == 3


def test_timestamps_formats_and_window(drop):
    start = END - datetime.timedelta(days=DAYS)
    for t in drop.tickets:
        assert start <= zd(t["created_at"]) < END
        assert zd(t["created_at"]) <= zd(t["updated_at"]) < END
        assert t["generated_timestamp"] == int(zd(t["updated_at"]).timestamp())
    for rel in ("zendesk/ticket_audits.jsonl", "zendesk/jira_links.jsonl", "zendesk/satisfaction_ratings.jsonl",
                "zendesk/users.jsonl", "zendesk/groups.jsonl", "zendesk/organizations.jsonl",
                "zendesk/ticket_fields.jsonl", "zendesk/schedules.jsonl"):
        for record in drop.data[rel]:
            assert zd(record["updated_at" if "updated_at" in record else "created_at"]) < END, rel
    for issue in drop.issues.values():
        f = issue["fields"]
        assert sf(f["created"]) <= sf(f["updated"]) < END
        for h in issue["changelog"]["histories"]:
            assert sf(f["created"]) <= sf(h["created"]) < END
    for rel in FILES:
        if rel.startswith("salesforce/"):
            obj = rel.split("/")[1].removesuffix(".jsonl")
            for record in drop.data[rel]:
                assert record["attributes"] == {"type": obj, "url": f"/services/data/v60.0/sobjects/{obj}/{record['Id']}"}
                assert len(record["Id"]) == 18
                assert sf(record["LastModifiedDate"]) < END and sf(record["SystemModstamp"]) < END
                assert sf(record["CreatedDate"]) < END
    for account in drop.data["salesforce/Account.jsonl"]:
        assert sf(account["CreatedDate"]) < start


# --- referential consistency ---------------------------------------------------


def test_ids_unique(drop):
    for rel, key in (("zendesk/tickets.jsonl", "id"), ("zendesk/ticket_audits.jsonl", "id"), ("zendesk/users.jsonl", "id"),
                     ("zendesk/jira_links.jsonl", "id"), ("jira/issues.jsonl", "id"), ("salesforce/Account.jsonl", "Id"),
                     ("salesforce/Contact.jsonl", "Id"), ("salesforce/AccountHistory.jsonl", "Id")):
        ids = [r[key] for r in drop.data[rel]]
        assert len(ids) == len(set(ids)), rel
    event_ids = [e["id"] for a in drop.data["zendesk/ticket_audits.jsonl"] for e in a["events"]]
    assert len(event_ids) == len(set(event_ids))
    assert sorted(drop.ticket) == list(range(1, 401))


def test_directory_references(drop):
    accounts = {a["Id"]: a for a in drop.data["salesforce/Account.jsonl"]}
    orgs = {o["id"]: o for o in drop.data["zendesk/organizations.jsonl"]}
    groups = {g["id"] for g in drop.data["zendesk/groups.jsonl"]}
    contacts = {(c["Email"], c["Name"]): c for c in drop.data["salesforce/Contact.jsonl"]}
    assert len(orgs) == len(accounts) == 40
    for org in orgs.values():
        assert org["external_id"] in accounts
    for user in drop.users.values():
        if user["role"] == "end-user":
            assert user["organization_id"] in orgs
            contact = contacts[(user["email"], user["name"])]
            assert contact["AccountId"] == orgs[user["organization_id"]]["external_id"]
        else:
            assert user["default_group_id"] in groups
    roles = Counter(u["role"] for u in drop.users.values())
    assert roles["admin"] >= 2 and roles["agent"] >= 8
    fields = {f["title"]: f for f in drop.data["zendesk/ticket_fields.jsonl"]}
    assert fields["Impact started at"]["id"] == 900001 and fields["Total time spent (sec)"]["id"] == 900002
    schedule = drop.data["zendesk/schedules.jsonl"][0]
    assert schedule["id"] == 1 and schedule["time_zone"] == "Eastern Time (US & Canada)"
    assert schedule["intervals"][0] == {"start_time": 1980, "end_time": 2460} and len(schedule["intervals"]) == 5


def test_ticket_references(drop):
    for t in drop.tickets:
        requester = drop.users[t["requester_id"]]
        assert requester["role"] == "end-user"
        assert t["submitter_id"] == t["requester_id"]
        assert t["organization_id"] == requester["organization_id"]
        assert t["assignee_id"] is None or drop.is_agent(t["assignee_id"])
    for audit in drop.data["zendesk/ticket_audits.jsonl"]:
        assert audit["ticket_id"] in drop.ticket
        assert audit["author_id"] in drop.users
    for link in drop.data["zendesk/jira_links.jsonl"]:
        assert link["ticket_id"] in drop.ticket
        issue = drop.issues[link["issue_id"]]
        assert issue["key"] == link["issue_key"]
        assert zd(drop.ticket[link["ticket_id"]]["created_at"]) < zd(link["created_at"]) < END
    for rating in drop.data["zendesk/satisfaction_ratings.jsonl"]:
        assert rating["ticket_id"] in drop.ticket
    contacts = {c["Id"] for c in drop.data["salesforce/Contact.jsonl"]}
    accounts = {a["Id"] for a in drop.data["salesforce/Account.jsonl"]}
    for nps in drop.data["salesforce/NPS_Response__c.jsonl"]:
        assert nps["Contact__c"] in contacts and nps["Account__c"] in accounts
        assert isinstance(nps["Score__c"], int) and 0 <= nps["Score__c"] <= 10


def test_first_audit_is_the_creation(drop):
    for t in drop.tickets:
        first = drop.audits[t["id"]][0]
        assert first["created_at"] == t["created_at"]
        assert first["author_id"] == t["requester_id"]
        creates = {e["field_name"]: e["value"] for e in first["events"] if e["type"] == "Create"}
        assert creates["status"] == "new"
        assert {"priority", "group_id", "assignee_id", "subject"} <= set(creates)
        comments = [e for e in first["events"] if e["type"] == "Comment"]
        assert comments and comments[0]["public"] and comments[0]["author_id"] == t["requester_id"]


def test_ticket_state_equals_its_audits(drop):
    for t in drop.tickets:
        audits = drop.audits[t["id"]]
        times = [a["created_at"] for a in audits]
        assert len(times) == len(set(times)), "two audits of a ticket share a created_at"
        assert [a["id"] for a in audits] == sorted(a["id"] for a in audits)
        state = {}
        for _, e in drop.events(t["id"]):
            if e["type"] in ("Create", "Change") and e["field_name"] in ("status", "priority", "group_id", "assignee_id"):
                if e["type"] == "Change":
                    assert e["previous_value"] == state[e["field_name"]]
                    assert e["value"] is None or isinstance(e["value"], str)
                state[e["field_name"]] = e["value"]
        assert state["status"] == t["status"]
        assert state["priority"] == t["priority"]
        assert state["group_id"] == str(t["group_id"])
        assert state["assignee_id"] == (None if t["assignee_id"] is None else str(t["assignee_id"]))
        assert zd(t["updated_at"]) >= zd(audits[-1]["created_at"])


def test_satisfaction_and_custom_fields(drop):
    impact_earlier = 0
    for t in drop.tickets:
        latest = drop.latest_rating.get(t["id"])
        assert t["satisfaction_rating"]["score"] == (latest["score"] if latest else "unoffered")
        fields = {f["id"]: f["value"] for f in t["custom_fields"]}
        assert {900001, 900002} <= set(fields)
        if fields[900001] is not None:
            assert zd(fields[900001]) < zd(t["created_at"])
            impact_earlier += 1
        solved = any(e["value"] == "solved" for _, e in drop.status_changes(t["id"]))
        if t["status"] in ("solved", "closed") and solved:
            assert isinstance(fields[900002], int) and fields[900002] > 0
        else:
            assert fields[900002] is None
    assert 0.1 * len(drop.tickets) < impact_earlier < 0.3 * len(drop.tickets)


def test_jira_status_matches_changelog(drop):
    categories = {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate", "Done": "done", "Closed": "done"}
    for issue in drop.issues.values():
        f = issue["fields"]
        transitions = [i["toString"] for h in issue["changelog"]["histories"] for i in h["items"] if i["field"] == "status"]
        assert f["status"]["name"] == (transitions[-1] if transitions else "To Do")
        assert f["status"]["statusCategory"]["key"] == categories[f["status"]["name"]]
        assert (f["resolutiondate"] is None) == (f["status"]["name"] not in DONE)
        assert f["issuetype"]["name"] in ("Bug", "Task")
    assert len({i["fields"]["project"]["key"] for i in drop.issues.values()}) >= 2


def test_crm_lifecycle_consistency(drop):
    history = defaultdict(list)
    for row in drop.data["salesforce/AccountHistory.jsonl"]:
        history[(row["AccountId"], row["Field"])].append(row)
    opps = defaultdict(list)
    for opp in drop.data["salesforce/Opportunity.jsonl"]:
        opps[opp["AccountId"]].append(opp)
    for account in drop.data["salesforce/Account.jsonl"]:
        stages = sorted(history[(account["Id"], "Lifecycle_Stage__c")], key=lambda r: r["CreatedDate"])
        if stages:
            assert account["Lifecycle_Stage__c"] == stages[-1]["NewValue"]
            for previous, row in zip(stages, stages[1:]):
                assert row["OldValue"] == previous["NewValue"]
        churned = account["Lifecycle_Stage__c"] == "Churned"
        lost = [o for o in opps[account["Id"]] if o["StageName"] == "Closed Lost"]
        assert churned == bool(lost)
        for o in lost:
            assert o["Type"] == "Renewal" and o["IsClosed"] and not o["IsWon"] and o["Loss_Reason__c"]
        users = sorted(history[(account["Id"], "Active_Users__c")], key=lambda r: r["CreatedDate"])
        if users:
            assert account["Active_Users__c"] == users[-1]["NewValue"]


# --- coverage: every situation the pipeline must handle occurs -------------------


def test_coverage_ticket_journeys(drop):
    cases = [t for t in drop.tickets if drop.is_case(t)]
    statuses = Counter(t["status"] for t in drop.tickets)
    assert statuses["deleted"] >= 3
    merged = [t for t in drop.tickets if "closed_by_merge" in t["tags"]]
    assert len(merged) >= 3
    for t in merged:
        assert t["status"] == "closed"
        assert all(e["value"] != "solved" for _, e in drop.status_changes(t["id"]))
    open_cases = [t for t in cases if t["status"] in ("new", "open", "pending", "hold")]
    assert len(open_cases) >= 3
    assert sum(1 for t in cases if not drop.public_agent_comments(t["id"])) >= 2, "tickets with no agent reply at end"
    pending = [t for t in cases if any(e["value"] == "pending" for _, e in drop.status_changes(t["id"]))]
    assert len(pending) >= 20
    assert any(t["status"] == "hold" for t in cases) or any(
        e["value"] == "hold" for t in cases for _, e in drop.status_changes(t["id"]))
    reopened = []
    for t in cases:
        changes = [e for _, e in drop.status_changes(t["id"])]
        reopen_at = [i for i, e in enumerate(changes) if e["previous_value"] == "solved" and e["value"] not in ("closed",)]
        if reopen_at and any(e["value"] == "solved" for e in changes[reopen_at[0] + 1:]):
            reopened.append(t["id"])
    assert len(reopened) >= 3
    assert len({t["priority"] for t in cases}) >= 3
    assert {t["via"]["channel"] for t in drop.tickets} == {"email", "web", "chat", "voice", "api"}
    closed_by_system = [t for t in cases if t["status"] == "closed"]
    assert len(closed_by_system) >= 50


def test_coverage_handoffs_and_first_contact(drop):
    with_context = without_context = first_assignments = fcr = 0
    for t in drop.tickets:
        if not drop.is_case(t):
            continue
        handoffs = drop.handoffs(t["id"])
        with_context += sum(1 for _, _, c in handoffs if c)
        without_context += sum(1 for _, _, c in handoffs if not c)
        first = next((e for _, e in drop.events(t["id"]) if e.get("field_name") == "assignee_id" and e["value"] is not None), None)
        if first is not None and first["type"] == "Change" and first["previous_value"] is None:
            first_assignments += 1
        solved = [e for _, e in drop.status_changes(t["id"]) if e["value"] == "solved"]
        reopens = [e for _, e in drop.status_changes(t["id"]) if e["previous_value"] == "solved" and e["value"] != "closed"]
        if (t["status"] in ("solved", "closed") and solved and not handoffs and not reopens and not drop.links[t["id"]]
                and len(drop.public_agent_comments(t["id"])) == 1):
            fcr += 1
    assert with_context >= 5
    assert without_context >= 5
    assert first_assignments >= 100
    assert fcr >= 20


def test_coverage_engineering(drop):
    close_the_loop = already_resolved = two_issues = 0
    for t in drop.tickets:
        links = drop.links[t["id"]]
        if len({link["issue_id"] for link in links}) >= 2:
            two_issues += 1
        for link in links:
            issue = drop.issues[link["issue_id"]]
            linked_at = zd(link["created_at"])
            if drop.issue_status_at(issue, linked_at) in DONE:
                already_resolved += 1
                continue
            fixed = drop.issue_resolved_after(issue, linked_at)
            if fixed is None or fixed - linked_at < datetime.timedelta(days=1):
                continue
            after = [a for a, e in drop.public_agent_comments(t["id"]) if zd(a["created_at"]) >= fixed]
            solved_after = [a for a, e in drop.status_changes(t["id"]) if e["value"] == "solved" and zd(a["created_at"]) >= fixed]
            if after and solved_after:
                close_the_loop += 1
    assert close_the_loop >= 3
    assert already_resolved >= 2
    assert two_issues >= 1
    popular = Counter(link["issue_id"] for link in drop.data["zendesk/jira_links.jsonl"])
    assert popular.most_common(1)[0][1] >= 3, "a popular bug collects several tickets"
    reopened_issues = 0
    for issue in drop.issues.values():
        statuses = [i["toString"] for h in issue["changelog"]["histories"] for i in h["items"] if i["field"] == "status"]
        flags = [s in DONE for s in statuses]
        if any(a and not b for a, b in zip(flags, flags[1:])) and flags and flags[-1]:
            reopened_issues += 1
    assert reopened_issues >= 1


def test_coverage_voice_of_customer(drop):
    latest = Counter(r["score"] for r in drop.latest_rating.values())
    assert latest["bad"] >= 3 and latest["good"] >= 20 and latest["offered"] >= 3
    rerated = [versions for versions in drop.rating_versions.values() if len(versions) >= 2]
    assert rerated, "at least one ticket is re-rated"
    for versions in rerated:
        assert versions[0]["updated_at"] < versions[-1]["updated_at"]
    scores = [r["Score__c"] for r in drop.data["salesforce/NPS_Response__c.jsonl"]]
    assert any(s >= 9 for s in scores) and any(7 <= s <= 8 for s in scores) and any(s <= 6 for s in scores)


def test_coverage_lifecycle_and_retention(drop):
    start = END - datetime.timedelta(days=DAYS)
    stage_rows = [r for r in drop.data["salesforce/AccountHistory.jsonl"] if r["Field"] == "Lifecycle_Stage__c"]
    backwards = {r["AccountId"] for r in stage_rows
                 if r["NewValue"] in STAGE_ORDER and r["OldValue"] in STAGE_ORDER
                 and STAGE_ORDER.index(r["NewValue"]) < STAGE_ORDER.index(r["OldValue"])}
    assert len(backwards) >= 2
    assert any(sf(r["CreatedDate"]) < start for r in stage_rows)
    assert any(sf(r["CreatedDate"]) >= start for r in stage_rows)
    assert any(r["Field"] == "Active_Users__c" for r in drop.data["salesforce/AccountHistory.jsonl"])
    opps = drop.data["salesforce/Opportunity.jsonl"]
    assert any(o["Type"] == "New Business" and o["IsWon"] for o in opps)
    assert sum(1 for o in opps if o["StageName"] == "Closed Lost") >= 2
    assert any(o["Type"] == "Renewal" and not o["IsClosed"] for o in opps)
    accounts = drop.data["salesforce/Account.jsonl"]
    assert len({a["Segment__c"] for a in accounts}) == 3
    assert any(a["White_Glove__c"] for a in accounts)
