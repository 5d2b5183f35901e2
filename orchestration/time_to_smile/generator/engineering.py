"""Engineering: Jira issues with their status changelog, created as support escalates.

Issues live in memory (a few per hundred tickets) because tickets link to them
while the tickets are generated; they are written once at the end.
"""

from __future__ import annotations

import itertools

from . import texts
from .clock import DAY, HOUR, MINUTE, jira, lognormal_seconds

STATUS_CATEGORY = {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate", "Done": "done", "Closed": "done"}
STATUS_ID = {"To Do": "10000", "In Progress": "3", "In Review": "10101", "Done": "10001", "Closed": "6"}
CATEGORY_NAME = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
PRIORITY_FOR_TICKET = {"urgent": "Highest", "high": "High", "normal": "Medium", "low": "Low", None: "Medium"}
SPEED = {"Highest": 0.3, "High": 0.6, "Medium": 1.0, "Low": 1.6, "Lowest": 2.0}
DEVELOPERS = ("Ada Byrne", "Linus Okoro", "Grace Lindqvist", "Ken Ramos", "Margaret Osei", "Dennis Park")


def is_done(status: str) -> bool:
    return STATUS_CATEGORY[status] == "done"


class Issue:
    __slots__ = ("id", "key", "project", "summary", "itype", "priority", "created", "transitions", "developer", "links")

    def __init__(self, issue_id, key, project, summary, itype, priority, created, transitions, developer):
        self.id = issue_id
        self.key = key
        self.project = project
        self.summary = summary
        self.itype = itype
        self.priority = priority
        self.created = created
        self.transitions = transitions  # [(ts, from, to)], ascending, all before `end`
        self.developer = developer
        self.links = 0

    def status_at(self, ts: int) -> str:
        status = "To Do"
        for t, _, to in self.transitions:
            if t > ts:
                break
            status = to
        return status

    def resolved_at_or_after(self, ts: int) -> int | None:
        """`ts` if resolved at `ts`, else when it next enters a done status (None: not before the end)."""
        if is_done(self.status_at(ts)):
            return ts
        for t, _, to in self.transitions:
            if t > ts and is_done(to):
                return t
        return None

    def last_resolved(self) -> int | None:
        for t, frm, to in reversed(self.transitions):
            if is_done(to) and not is_done(frm):
                return t
        return None


FATES = ("normal", "reopen", "backlog", "stalled", "wontfix")
FATE_WEIGHTS = {False: (0.72, 0.1, 0.08, 0.06, 0.04), True: (0.81, 0.1, 0.03, 0.03, 0.03)}


def _timeline(rng, created: int, priority: str, end: int, force_reopen: bool = False,
              escalated: bool = False) -> list[tuple[int, str, str]]:
    """The issue's status transitions from creation, cut at `end` (escalated bugs rarely rot in the backlog)."""
    speed = SPEED[priority]
    steps: list[tuple[int, str]] = []
    t = created
    fate = "reopen" if force_reopen else rng.choices(FATES, weights=FATE_WEIGHTS[escalated])[0]
    if fate == "backlog":
        return []
    if fate == "wontfix":
        t += lognormal_seconds(rng, 30 * speed, 1.0)
        return _cut([(t, "To Do", "Closed")], end)
    t += lognormal_seconds(rng, 16 * speed, 1.0, lo=10 * MINUTE)
    steps.append((t, "In Progress"))
    if fate == "stalled":
        return _cut(_pairs(steps), end)
    t += lognormal_seconds(rng, 50 * speed, 0.8, lo=2 * HOUR)
    steps.append((t, "In Review"))
    t += lognormal_seconds(rng, 8 * speed, 0.8, lo=20 * MINUTE)
    steps.append((t, "Done"))
    if fate == "reopen":
        t += rng.randint(DAY, 5 * DAY)
        steps.append((t, "In Progress"))
        t += lognormal_seconds(rng, 30 * speed, 0.7, lo=2 * HOUR)
        steps.append((t, "Done"))
    if rng.random() < 0.3:
        t += rng.randint(3 * DAY, 14 * DAY)
        steps.append((t, "Closed"))
    return _cut(_pairs(steps), end)


def _pairs(steps: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    out, previous = [], "To Do"
    for t, status in steps:
        out.append((t, previous, status))
        previous = status
    return out


def _cut(transitions, end):
    return [tr for tr in transitions if tr[0] < end]


class Tracker:
    """Jira: background issues that predate the window, plus issues filed by support as it escalates."""

    def __init__(self, rng, *, start: int, end: int, background: int):
        self.rng = rng
        self.end = end
        self.issues: list[Issue] = []
        self.by_project: dict[str, list[Issue]] = {p: [] for p in texts.JIRA_PROJECTS}
        self._ids = itertools.count(10001)
        self._keys = {p: itertools.count(rng.randint(40, 400)) for p in texts.JIRA_PROJECTS}
        topics = [t for t in texts.TOPICS if t.project]
        created_times = sorted(start - rng.randint(DAY, 120 * DAY) for _ in range(background))
        for i, created in enumerate(created_times):
            topic = rng.choice(topics)
            priority = rng.choices(("Highest", "High", "Medium", "Low"), weights=(0.1, 0.3, 0.45, 0.15))[0]
            # The first background issue is the known resolved-reopened-resolved case.
            self._add(topic.project, rng.choice(topic.bug_summaries), created, priority, force_reopen=(i == 0))

    def _add(self, project, summary, created, priority, *, itype=None, force_reopen=False, escalated=False) -> Issue:
        rng = self.rng
        issue = Issue(
            str(next(self._ids)),
            f"{project}-{next(self._keys[project])}",
            project,
            summary,
            itype or ("Bug" if rng.random() < 0.85 else "Task"),
            priority,
            created,
            _timeline(rng, created, priority, self.end, force_reopen, escalated),
            rng.choice(DEVELOPERS),
        )
        self.issues.append(issue)
        self.by_project[project].append(issue)
        return issue

    def file_issue(self, project: str, summary: str, created: int, ticket_priority: str | None) -> Issue:
        """Support files a new issue at `created` (an escalation)."""
        return self._add(project, summary, created, PRIORITY_FOR_TICKET[ticket_priority], itype="Bug", escalated=True)

    def _recent(self, project: str, exclude) -> list[Issue]:
        return [i for i in self.by_project[project][-120:] if i.id not in exclude]

    def pick_open(self, project: str, at: int, exclude=()) -> Issue | None:
        """An already-known issue that is open at `at`; popular bugs attract more tickets."""
        pool = [i for i in self._recent(project, exclude) if i.created <= at - 10 * MINUTE and not is_done(i.status_at(at))]
        if not pool:
            return None
        return self.rng.choices(pool, weights=[(1 + i.links) ** 1.3 for i in pool])[0]

    def pick_resolved(self, project: str, at: int, exclude=()) -> Issue | None:
        """An issue that was resolved (recently) before `at`."""
        pool = []
        for issue in self._recent(project, exclude):
            if issue.created < at and is_done(issue.status_at(at)):
                done = max(t for t, _, to in issue.transitions if t <= at and is_done(to))
                if at - done < 90 * DAY:
                    pool.append(issue)
        if not pool:
            return None
        return self.rng.choices(pool, weights=[(1 + i.links) for i in pool])[0]

    def records(self):
        history_ids = itertools.count(100001)
        for issue in self.issues:
            histories = []
            assigned = False
            for t, frm, to in issue.transitions:
                items = [{
                    "field": "status", "fieldtype": "jira", "fieldId": "status",
                    "from": STATUS_ID[frm], "fromString": frm, "to": STATUS_ID[to], "toString": to,
                }]
                if not assigned and to == "In Progress":
                    items.append({"field": "assignee", "fieldtype": "jira", "fieldId": "assignee",
                                  "from": None, "fromString": None, "to": None, "toString": issue.developer})
                    assigned = True
                if is_done(to) and not is_done(frm):
                    items.append({"field": "resolution", "fieldtype": "jira", "fieldId": "resolution",
                                  "from": None, "fromString": None, "to": "10000", "toString": "Done"})
                elif is_done(frm) and not is_done(to):
                    items.append({"field": "resolution", "fieldtype": "jira", "fieldId": "resolution",
                                  "from": "10000", "fromString": "Done", "to": None, "toString": None})
                histories.append({"id": str(next(history_ids)), "created": jira(t), "items": items})
            status = issue.transitions[-1][2] if issue.transitions else "To Do"
            category = STATUS_CATEGORY[status]
            resolved = issue.last_resolved() if category == "done" else None
            updated = issue.transitions[-1][0] if issue.transitions else issue.created
            yield {
                "id": issue.id,
                "key": issue.key,
                "self": f"https://timetosmile.atlassian.example/rest/api/3/issue/{issue.id}",
                "fields": {
                    "summary": issue.summary,
                    "issuetype": {"name": issue.itype},
                    "project": {"key": issue.project, "name": texts.JIRA_PROJECTS[issue.project]},
                    "status": {"name": status, "statusCategory": {"key": category, "name": CATEGORY_NAME[category]}},
                    "priority": {"name": issue.priority},
                    "assignee": {"displayName": issue.developer} if assigned else None,
                    "labels": ["support-escalation"] if issue.links else [],
                    "created": jira(issue.created),
                    "updated": jira(updated),
                    "resolutiondate": jira(resolved) if resolved is not None else None,
                },
                "changelog": {"startAt": 0, "maxResults": len(histories), "total": len(histories), "histories": histories},
            }
