"""Ticket journeys: each ticket's audits, ratings and Jira links, simulated one ticket at a time.

A `Journey` holds only its own ticket's state. Every change goes through
`Journey._commit`, which appends one audit and updates the state the audit
implies, so the ticket record always equals the final state of its audits. An
action due at or after `end` raises `_Stop`: the ticket stays as it was.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import deque
from typing import Callable

from . import texts
from .clock import DAY, HOUR, MINUTE, lognormal_seconds, weekday, zendesk
from .company import (
    FIELD_IMPACT_STARTED,
    FIELD_ORDER_NUMBER,
    FIELD_PRODUCT_AREA,
    FIELD_TIME_SPENT,
    Account,
    Company,
    Person,
)
from .engineering import Tracker
from .staffing import Staffing

KINDS = ("deleted", "merged", "fcr", "standard", "transfer", "escalation")
STAGE_TICKET_RATE = {"Searching": 0.3, "Ready to Buy": 0.5, "Purchased": 1.6, "Implemented": 1.8, "Post-Installation": 1.0, "Churned": 0.1}
# After the queue: how long the agent who picks a ticket up takes to write the first reply.
FIRST_REPLY_MEDIAN_HOURS = {"urgent": 0.2, "high": 0.4, "normal": 0.6, "low": 1.5}
PRIORITY_WEIGHTS = {
    "SMB": (0.04, 0.18, 0.55, 0.23),
    "Mid-Market": (0.05, 0.22, 0.53, 0.20),
    "Enterprise": (0.08, 0.30, 0.47, 0.15),
}
PRIORITIES = ("urgent", "high", "normal", "low")
LATER_CUSTOMER_VIA = {"email": "email", "web": "web", "chat": "email", "voice": "email", "api": "email"}

_KEEP = object()


class _Stop(Exception):
    """The next action would happen at or after `end`."""


class Ids:
    """Global id sequences (Zendesk-style large integers, distinct ranges)."""

    def __init__(self) -> None:
        self.audit = itertools.count(1_000_000_001)
        self.event = itertools.count(20_000_000_001)
        self.rating = itertools.count(8_000_001)
        self.link = itertools.count(600_001)


def _s(value) -> str | None:
    return None if value is None else str(value)


class Context:
    """What every journey shares: the company, the tracker, the id sequences, the clock."""

    def __init__(self, rng, company: Company, tracker: Tracker, *, start: int, end: int, tickets: int) -> None:
        self.rng = rng
        self.company = company
        self.tracker = tracker
        self.start = start
        self.end = end
        self.ids = Ids()
        self.group_by_name = company.groups
        self.staffing = Staffing(company, start=start, end=end, tickets=tickets)


class Journey:
    def __init__(self, ctx: Context, ticket_id: int, created: int, person: Person, account: Account,
                 channel: str, priority: str, topic: texts.Topic, kind: str, subject: str,
                 merge_target: int | None = None) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.id = ticket_id
        self.created = created
        self.person = person
        self.account = account
        self.channel = channel
        self.priority = priority
        self.topic = topic
        self.kind = kind
        self.subject = subject
        self.description = self.rng.choice(topic.descriptions)
        self.merge_target = merge_target
        self.status = "new"
        self.group = ctx.group_by_name[topic.home_group]
        self.assignee: int | None = None
        self.last_at = created  # time of the latest audit
        self.updated = created  # latest activity of any kind (audits, ratings)
        self.audits: list[dict] = []
        self.links: list[dict] = []
        self.ratings: list[dict] = []
        self.notes: dict[int, int] = {}  # agent id -> time of their last private note
        self.work_seconds = 0
        self.last_solve: int | None = None
        self.reopens = 0
        self.pain = 3.0 * account.friction  # a customer already struggling rates more harshly
        self.tags = [topic.key, f"area_{topic.key}"]
        if account.white_glove:
            self.tags.append("white_glove")
        self.linked: list[str] = []

    # -- the single place where state changes -------------------------------

    def _commit(self, at: int, author: int, via: str, *, comment: str | None = None, public: bool = True,
                status=_KEEP, group=_KEEP, assignee=_KEEP, priority=_KEEP, agent: bool = True) -> int:
        if at <= self.last_at:
            at = self.last_at + self.rng.randint(20, 120)
        if at >= self.ctx.end:
            raise _Stop
        events = []
        ev = self.ctx.ids.event
        if comment is not None:
            events.append({"id": next(ev), "type": "Comment", "author_id": author, "body": comment, "public": public})
            if agent and not public:
                self.notes[author] = at
        for field_name, new in (("status", status), ("priority", priority), ("group_id", group), ("assignee_id", assignee)):
            if new is _KEEP:
                continue
            attr = {"group_id": "group", "assignee_id": "assignee"}.get(field_name, field_name)
            old = getattr(self, attr)
            if new == old:
                continue
            events.append({"id": next(ev), "type": "Change", "field_name": field_name, "value": _s(new), "previous_value": _s(old)})
            setattr(self, attr, new)
            if field_name == "status" and new == "solved":
                self.last_solve = at
        self.audits.append({
            "id": next(self.ctx.ids.audit),
            "ticket_id": self.id,
            "created_at": zendesk(at),
            "author_id": author,
            "via": {"channel": via},
            "events": events,
        })
        self.last_at = at
        self.updated = at
        if agent and via != "rule":
            self.work_seconds += self.rng.randint(2 * MINUTE, 25 * MINUTE)
        return at

    # -- helpers ------------------------------------------------------------

    def _staffed(self, ts: int, on_call: float | None = None) -> int:
        """When the ticket's owner (its assignee, else its group) gets to something due at `ts`."""
        if on_call is None:
            on_call = 0.6 if self.priority == "urgent" else 0.08
        staffing = self.ctx.staffing
        return staffing.staffed_time(staffing.calendar_for(self.group, self.assignee), ts, self.rng, on_call)

    def _agent_at(self, median_hours: float, sigma: float = 0.9, after: int | None = None) -> int:
        """When an agent acts next: a delay after the last audit (or `after`), within their shift."""
        base = self.last_at if after is None else max(self.last_at, after)
        return self._staffed(base + lognormal_seconds(self.rng, median_hours, sigma))

    def _pick_agent(self, group_id: int, exclude: int | None = None, at: int | None = None) -> int:
        """Someone in the group whose site is on shift at `at` (default: the latest audit)."""
        pool = self.ctx.staffing.on_shift_agents(group_id, self.last_at if at is None else at)
        if exclude is not None and len(pool) > 1:
            pool = [a for a in pool if a != exclude]
        if pool == [exclude]:
            pool = [a.user_id for a in self.ctx.company.agents_by_group[group_id] if a.user_id != exclude]
        return self.rng.choice(pool)

    def _customer_via(self) -> str:
        return LATER_CUSTOMER_VIA[self.channel]

    def _customer_text(self, waited: int) -> str:
        rng = self.rng
        if self.pain >= 1.5 or waited > 2 * DAY:
            pool = texts.CUSTOMER_NEGATIVE if rng.random() < 0.7 else texts.CUSTOMER_NEUTRAL
        else:
            pool = texts.CUSTOMER_NEUTRAL if rng.random() < 0.85 else texts.CUSTOMER_NEGATIVE
        return rng.choice(pool)

    def _customer_reply(self, median_hours: float = 8.0, text: str | None = None) -> int:
        delay = lognormal_seconds(self.rng, median_hours, 1.0, lo=3 * MINUTE)
        if text is None:
            text = self._customer_text(delay)
        reopen_statuses = ("pending", "hold", "solved")
        return self._commit(self.last_at + delay, self.person.user_id, self._customer_via(), comment=text,
                            status="open" if self.status in reopen_statuses else _KEEP, agent=False)

    def _settle_pending(self, text: str | None = None) -> bool:
        """While pending, wait for the customer; False if the agent had to solve without an answer."""
        if self.status != "pending":
            return True
        if self.rng.random() < 0.12:
            at = self._staffed(self.last_at + self.rng.randint(3 * DAY, 5 * DAY), on_call=0.1)
            agent = self.assignee if self.assignee is not None else self._pick_agent(self.group, at=at)
            self._commit(at, agent, "web", comment=texts.NO_RESPONSE_SOLVE[0], status="solved", assignee=agent)
            return False
        self._customer_reply(text=text)
        return True

    # -- the journey ----------------------------------------------------------

    def run(self) -> None:
        try:
            self._flow()
        except _Stop:
            pass

    def _flow(self) -> None:
        rng = self.rng
        self._commit_create()
        if self.kind == "deleted":
            return self._deleted()
        if self.kind == "merged":
            return self._merged()
        self._first_touch()
        if self.status == "solved":
            return self._after_solve()
        if not self._rounds(rng.choice((0, 1, 1, 2, 2, 3))):
            return self._after_solve()
        if self.kind == "transfer" or (self.kind == "escalation" and rng.random() < 0.5):
            for _ in range(rng.choices((1, 2, 3), weights=(0.72, 0.22, 0.06))[0]):
                self._transfer()
                if not self._rounds(rng.choice((0, 1, 1, 2))):
                    return self._after_solve()
        if self.kind == "escalation":
            self._escalate()
        else:
            self._solve()
        self._after_solve()

    def _commit_create(self) -> None:
        """The first audit: the requester opens the ticket (Create events + the description)."""
        ev = self.ctx.ids.event
        creates = [
            ("status", "new"),
            ("priority", self.priority),
            ("group_id", _s(self.group)),
            ("assignee_id", None),
            ("subject", self.subject),
            ("type", self.topic.ticket_type),
        ]
        events = [{"id": next(ev), "type": "Create", "field_name": f, "value": v} for f, v in creates]
        events.append({"id": next(ev), "type": "Comment", "author_id": self.person.user_id, "body": self.description, "public": True})
        self.audits.append({
            "id": next(self.ctx.ids.audit),
            "ticket_id": self.id,
            "created_at": zendesk(self.created),
            "author_id": self.person.user_id,
            "via": {"channel": self.channel},
            "events": events,
        })

    def _deleted(self) -> None:
        at = self._agent_at(4.0)
        agent = self._pick_agent(self.group, at=at)
        note = "Test ticket / duplicate, deleting." if self.rng.random() < 0.5 else None
        self._commit(at, agent, "web", comment=note, public=False, status="deleted")

    def _merged(self) -> None:
        at = self._agent_at(3.0)
        agent = self._pick_agent(self.group, at=at)
        note = texts.MERGE_NOTE.format(source=self.id, subject=self.subject, target=self.merge_target)
        self._commit(at, agent, "web", comment=note, public=False, status="closed")
        self.tags.append("closed_by_merge")

    def _first_touch(self) -> None:
        rng = self.rng
        if self.channel in ("chat", "voice"):
            # Live channels are answered by whoever is on shift (they only open while someone is).
            at = self._staffed(self.created + rng.randint(30, 8 * MINUTE), on_call=0.3)
        else:
            # The ticket waits in its group's queue, then the agent who picks it up replies.
            picked = self.ctx.staffing.queue[self.group].pick_up(self.created, self.priority)
            # A few tickets fall through the cracks of the queue and wait days for a first reply.
            neglected = 8.0 if self.priority != "urgent" and rng.random() < 0.05 else 1.0
            at = self._agent_at(FIRST_REPLY_MEDIAN_HOURS[self.priority] * neglected, 1.0, after=picked)
        agent = self._pick_agent(self.group, at=at)
        if self.kind != "fcr" and rng.random() < 0.15:
            # Triage assigns first (from unassigned: not a handoff); the reply comes later.
            triage_at = min(at, self.created + rng.randint(2 * MINUTE, 40 * MINUTE))
            self._commit(triage_at, agent, "web", assignee=agent)
            at = max(at, self.last_at + rng.randint(10 * MINUTE, 3 * HOUR))
        if self.kind == "fcr":
            self._commit(at, agent, "web", comment=rng.choice(self.topic.solutions), status="solved", assignee=agent)
            return
        ask = rng.random() < 0.3
        self._commit(at, agent, "web", comment=rng.choice(texts.AGENT_ASK if ask else texts.AGENT_FIRST_REPLY),
                     status="pending" if ask else "open", assignee=agent)

    def _rounds(self, n: int) -> bool:
        """Back-and-forth investigation; False if the ticket got solved on the way."""
        rng = self.rng
        for _ in range(n):
            if self.status == "pending":
                if not self._settle_pending():
                    return False
                continue
            r = rng.random()
            if r < 0.45:
                self._commit(self._agent_at(4.0), self.assignee, "web", comment=rng.choice(texts.AGENT_ASK), status="pending")
            elif r < 0.7:
                self._commit(self._agent_at(2.0), self.assignee, "web", comment=rng.choice(texts.AGENT_NOTES), public=False)
            elif r < 0.85:
                self._commit(self._agent_at(5.0), self.assignee, "web", comment=rng.choice(texts.AGENT_UPDATE), status="open")
            else:
                self._customer_reply(6.0)
            if rng.random() < 0.06 and self.priority in ("low", "normal", "high"):
                higher = PRIORITIES[PRIORITIES.index(self.priority) - 1]
                self._commit(self._agent_at(1.0), self.assignee, "web", comment=texts.PRIORITY_NOTE, public=False, priority=higher)
        return True

    def _transfer(self) -> None:
        """Hand the ticket to another group and/or agent, with or without a context note."""
        rng = self.rng
        frm = self.assignee
        if frm is None:
            at = self._agent_at(1.0)
            frm = self._pick_agent(self.group, at=at)
            self._commit(at, frm, "web", assignee=frm)
        groups = self.ctx.group_by_name
        specialist = groups[self.topic.specialist_group]
        style = rng.choices(("both", "group_only", "same_group"), weights=(0.6, 0.2, 0.2))[0]
        if style == "same_group":
            target_group = self.group
            if len(self.ctx.company.agents_by_group[target_group]) < 2:
                style = "both"
        if style != "same_group":
            if specialist != self.group:
                target_group = specialist
            else:
                options = [g for name, g in groups.items() if g != self.group and name != "Tier 1 Support"]
                target_group = rng.choice(options)
        at = self._agent_at(3.0)
        to_agent = self._pick_agent(target_group, exclude=frm, at=at)
        new_group = _KEEP if style == "same_group" else target_group
        new_assignee = None if style == "group_only" else to_agent
        group_name = next(name for name, g in groups.items() if g == target_group)

        if rng.random() < 0.55:  # carries context
            note = rng.choice(texts.HANDOFF_NOTES).format(summary=self.subject.lower(), group=group_name)
            if rng.random() < 0.4:
                self._commit(at, frm, "web", comment=note, public=False, group=new_group, assignee=new_assignee)
            else:
                noted = self._commit(at, frm, "web", comment=note, public=False)
                self._commit(noted + rng.randint(3 * MINUTE, 50 * MINUTE), frm, "web", group=new_group, assignee=new_assignee)
            self.pain += 0.3
        else:
            last_note = self.notes.get(frm)
            if last_note is not None and at - last_note <= 61 * MINUTE:
                at = last_note + 61 * MINUTE + rng.randint(5 * MINUTE, 40 * MINUTE)
            public_note = rng.choice(texts.PUBLIC_TRANSFER).format(group=group_name) if rng.random() < 0.4 else None
            self._commit(at, frm, "web", comment=public_note, group=new_group, assignee=new_assignee)
            self.pain += 1.0
        if style == "group_only":
            # Someone in the new group on shift then picks it up (from unassigned: not a handoff).
            reply = rng.random() < 0.6
            at = self._agent_at(2.0)
            to_agent = self._pick_agent(target_group, exclude=frm, at=at)
            self._commit(at, to_agent, "web",
                         comment=rng.choice(texts.AGENT_FIRST_REPLY) if reply else None,
                         assignee=to_agent, status="open" if reply and self.status == "new" else _KEEP)
        elif rng.random() < 0.5:
            self._commit(self._agent_at(2.0), to_agent, "web", comment=rng.choice(texts.AGENT_FIRST_REPLY),
                         status="open" if self.status == "new" else _KEEP)

    def _link(self, issue, at: int) -> None:
        self.links.append({
            "id": next(self.ctx.ids.link),
            "ticket_id": self.id,
            "issue_id": issue.id,
            "issue_key": issue.key,
            "created_at": zendesk(at),
            "updated_at": zendesk(at),
        })
        issue.links += 1
        self.linked.append(issue.id)
        if "jira_escalated" not in self.tags:
            self.tags.append("jira_escalated")

    def _find_issue(self, at: int, project: str, mode: str):
        tracker = self.ctx.tracker
        issue = None
        if mode == "open":
            issue = tracker.pick_open(project, at, exclude=self.linked)
        elif mode == "resolved":
            issue = tracker.pick_resolved(project, at, exclude=self.linked)
        if issue is None:
            created = max(self.last_at + 1, at - self.rng.randint(2 * MINUTE, 25 * MINUTE))
            summaries = self.topic.bug_summaries or ("Unexpected error reported by customer",)
            issue = tracker.file_issue(project, self.rng.choice(summaries), created, self.priority)
        return issue

    def _escalate(self) -> None:
        """Link engineering issues, wait (on hold) for the fix, then close the loop with the customer."""
        rng = self.rng
        if self.status == "pending" and not self._settle_pending():
            return
        agent = self.assignee
        at = self._agent_at(4.0)
        if at >= self.ctx.end:
            raise _Stop
        project = self.topic.project
        mode = rng.choices(("new", "open", "resolved"), weights=(0.42, 0.4, 0.18))[0]
        issue = self._find_issue(at, project, mode)
        fixed_at = issue.resolved_at_or_after(at)
        if fixed_at == at:  # already resolved when linked: no engineering time
            solve = rng.random() < 0.5
            at = self._commit(at, agent, "web", comment=rng.choice(texts.ALREADY_FIXED).format(key=issue.key),
                              status="solved" if solve else "pending")
            self._link(issue, at)
            if not solve:
                self._solve(confirm=True)
            return
        hold = rng.random() < 0.75
        note = rng.choice(texts.ESCALATION_NOTES).format(key=issue.key, summary=issue.summary)
        at = self._commit(at, agent, "web", comment=note, public=False, status="hold" if hold else "open")
        self._link(issue, at)
        waits = [fixed_at]
        if rng.random() < 0.5:
            self._commit(at + rng.randint(MINUTE, 10 * MINUTE), agent, "web", comment=rng.choice(texts.ESCALATION_PUBLIC))
        if rng.random() < 0.25:
            at2 = self._agent_at(6.0)
            if at2 >= self.ctx.end:
                raise _Stop
            other = rng.choice([p for p in texts.JIRA_PROJECTS if p != project]) if rng.random() < 0.3 else project
            issue2 = self._find_issue(at2, other, rng.choice(("new", "open")))
            at2 = self._commit(at2, agent, "web", public=False,
                               comment=rng.choice(texts.ESCALATION_NOTES).format(key=issue2.key, summary=issue2.summary))
            self._link(issue2, at2)
            waits.append(issue2.resolved_at_or_after(at2))
        fix = None if None in waits else max(waits)
        horizon = fix if fix is not None else self.ctx.end
        self.pain += min(3.0, (horizon - at) / DAY * 0.3)
        nudge_at = self.last_at + rng.randint(DAY, 4 * DAY)
        if rng.random() < 0.45 and nudge_at < horizon - 6 * HOUR:
            self._commit(nudge_at, self.person.user_id, self._customer_via(), agent=False,
                         comment=rng.choice(texts.CUSTOMER_NEGATIVE),
                         status="open" if self.status in ("hold", "pending") else _KEEP)
            self.pain += 1.0
            reply_at = self._agent_at(3.0)
            if reply_at < horizon:
                self._commit(reply_at, agent, "web", comment=rng.choice(texts.STILL_WAITING), status="hold" if hold else _KEEP)
        if fix is None or fix - at > 12 * DAY:
            # A slow fix: support often solves with a workaround while the bug stays open.
            workaround_at = self._staffed(self.last_at + rng.randint(4 * DAY, 12 * DAY), on_call=0.1)
            if rng.random() < 0.6 and (fix is None or workaround_at < fix):
                self._commit(workaround_at, agent, "web", comment=rng.choice(texts.WORKAROUND).format(key=issue.key),
                             status="solved")
                return
        if fix is None:
            raise _Stop  # engineering has not fixed it before the end: the case stays open
        at = self._agent_at(5.0, after=fix)
        text = rng.choice(texts.CLOSE_THE_LOOP).format(key=issue.key)
        if rng.random() < 0.6:
            self._commit(at, agent, "web", comment=text, status="solved")
        else:
            self._commit(at, agent, "web", comment=text, status="pending")
            self._solve(confirm=True)

    def _solve(self, confirm: bool = False) -> None:
        """Solve with a public reply (after the customer answers, if pending; `confirm`: they say it works)."""
        if not self._settle_pending(self.rng.choice(texts.CUSTOMER_POSITIVE) if confirm else None):
            return
        at = self._agent_at(5.0)
        agent = self.assignee if self.assignee is not None else self._pick_agent(self.group, at=at)
        self._commit(at, agent, "web", comment=self.rng.choice(self.topic.solutions), status="solved", assignee=agent)

    def _after_solve(self) -> None:
        """Maybe a reopen; then the satisfaction survey and the automatic close."""
        rng, end = self.rng, self.ctx.end
        while self.status == "solved" and self.reopens < 2 and rng.random() < 0.07 + 0.05 * min(self.pain, 3.0):
            self._commit(self.last_at + rng.randint(2 * HOUR, 3 * DAY), self.person.user_id, self._customer_via(),
                         comment=rng.choice(texts.CUSTOMER_REOPEN), status="open", agent=False)
            self.reopens += 1
            self.pain += 1.5
            if rng.random() < 0.5:
                self._commit(self._agent_at(3.0), self.assignee, "web", comment=rng.choice(texts.AGENT_ASK), status="pending")
            self._solve()
        if self.status != "solved":
            return
        solved_at = self.last_solve
        close_at = solved_at + 4 * DAY + rng.randint(0, 12 * HOUR)
        limit = min(close_at, end)
        if rng.random() < 0.7:
            offered = solved_at + rng.randint(30 * MINUTE, 20 * HOUR)
            if offered < limit:
                self._rate(offered, limit)
        if close_at < end:
            self._commit(close_at, self.ctx.company.system_author.user_id, "rule", status="closed")

    def _rate(self, offered: int, limit: int) -> None:
        rng = self.rng
        rating_id = next(self.ctx.ids.rating)
        base = {"id": rating_id, "ticket_id": self.id, "assignee_id": self.assignee, "group_id": self.group,
                "requester_id": self.person.user_id}
        answered = offered + rng.randint(10 * MINUTE, 2 * DAY)
        if rng.random() >= 0.6 or answered >= limit:
            self.ratings.append({**base, "score": "offered", "comment": None,
                                 "created_at": zendesk(offered), "updated_at": zendesk(offered)})
            self.updated = max(self.updated, offered)
            return
        bad = rng.random() < min(0.75, 0.08 + 0.12 * self.pain)
        score = "bad" if bad else "good"
        self.ratings.append({**base, "score": score, "comment": rng.choice(texts.RATING_BAD if bad else texts.RATING_GOOD),
                             "created_at": zendesk(offered), "updated_at": zendesk(answered)})
        self.updated = max(self.updated, answered)
        rerated = answered + rng.randint(HOUR, 2 * DAY)
        if rng.random() < 0.08 and rerated < limit:
            score = "good" if bad else "bad"
            self.ratings.append({**base, "score": score, "comment": rng.choice(texts.RATING_GOOD if bad else texts.RATING_BAD),
                                 "created_at": zendesk(offered), "updated_at": zendesk(rerated)})
            self.updated = max(self.updated, rerated)

    # -- output ----------------------------------------------------------------

    def ticket_record(self) -> dict:
        rng = self.rng
        updated = self.updated
        impact = None
        if rng.random() < 0.2:
            impact = zendesk(self.created - rng.randint(HOUR, 48 * HOUR))
        order_number = None
        if self.topic.key in ("billing", "invoice") and rng.random() < 0.5:
            order_number = f"INV-{rng.randint(100000, 999999)}"
        time_spent = self.work_seconds if self.status in ("solved", "closed") and self.last_solve is not None else None
        if self.ratings:
            latest = self.ratings[-1]
            rating = {"id": latest["id"], "score": latest["score"], "comment": latest["comment"]}
        else:
            rating = {"score": "unoffered"}
        return {
            "id": self.id,
            "url": f"https://timetosmile.zendesk.example/api/v2/tickets/{self.id}.json",
            "via": {"channel": self.channel},
            "created_at": zendesk(self.created),
            "updated_at": zendesk(updated),
            "generated_timestamp": updated,
            "type": self.topic.ticket_type,
            "subject": self.subject,
            "description": self.description,
            "priority": self.priority,
            "status": self.status,
            "requester_id": self.person.user_id,
            "submitter_id": self.person.user_id,
            "assignee_id": self.assignee,
            "organization_id": self.account.org_id,
            "group_id": self.group,
            "tags": sorted(self.tags),
            "custom_fields": [
                {"id": FIELD_IMPACT_STARTED, "value": impact},
                {"id": FIELD_TIME_SPENT, "value": time_spent},
                {"id": FIELD_PRODUCT_AREA, "value": f"area_{self.topic.key}"},
                {"id": FIELD_ORDER_NUMBER, "value": order_number},
            ],
            "satisfaction_rating": rating,
        }


# --- the ticket stream ---------------------------------------------------------


def arrival_times(rng, n: int, start: int, end: int):
    """`n` creation times in [start, end), ascending: busier on weekdays and during office hours."""
    hours = -(-(end - start) // HOUR)
    weights = []
    for h in range(hours):
        ts = start + h * HOUR
        hour = ts % DAY // HOUR
        day_weight = 1.0 if weekday(ts) < 5 else 0.35
        hour_weight = 1.6 if 13 <= hour < 22 else (1.0 if 8 <= hour < 13 else 0.45)
        weights.append(day_weight * hour_weight)
    cum = list(itertools.accumulate(weights))
    total = cum[-1]
    for i in range(n):
        u = (i + rng.random()) / n * total
        h = min(bisect.bisect_right(cum, u), hours - 1)
        previous = cum[h - 1] if h else 0.0
        frac = min(max((u - previous) / weights[h], 0.0), 0.999999)
        yield min(start + h * HOUR + int(frac * HOUR), end - 1)


def _pick_requester(ctx: Context, at: int) -> tuple[Account, Person]:
    rng = ctx.rng
    accounts = ctx.company.accounts
    for _ in range(12):
        account = rng.choices(accounts, cum_weights=ctx.company.account_cum_weights)[0]
        if rng.random() < STAGE_TICKET_RATE[account.stage_at(at)] / 1.8:
            break
    person = rng.choices(account.contacts, cum_weights=account.contact_cum_weights)[0]
    return account, person


def _pick_channel(rng, account: Account) -> str:
    if rng.random() < 0.65:
        return rng.choice(texts.PERSONA_CHANNELS[account.persona])
    return rng.choices(texts.CHANNELS, weights=texts.CHANNEL_WEIGHTS)[0]


def _pick_priority(rng, account: Account, topic: texts.Topic) -> str:
    priority = rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS[account.segment])[0]
    if topic.key in ("login", "performance", "api") and priority in ("normal", "low") and rng.random() < 0.25:
        priority = PRIORITIES[PRIORITIES.index(priority) - 1]
    return priority


def _pick_kind(rng, topic: texts.Topic, channel: str, friction: float = 0.0) -> str:
    weights = [0.03, 0.03, 0.2, 0.38, 0.18, topic.escalation_rate * 0.6]
    if channel in ("chat", "voice"):
        weights[2] *= 2
    # friction: harder problems bounce between teams and reach engineering more often
    weights[4] *= 0.25 + 4.0 * friction
    weights[5] *= 0.25 + 4.0 * friction
    return rng.choices(KINDS, weights=weights)[0]


TOPIC_WEIGHTS = [t.weight for t in texts.TOPICS]


def generate_tickets(ctx: Context, n: int, write: Callable[[str, dict], None],
                     progress: Callable[[str], None] | None = None) -> None:
    """Simulate `n` tickets in creation order and hand every record to `write(path, record)`."""
    rng = ctx.rng
    recent: deque = deque(maxlen=40)  # (ticket id, created, account, person, topic, subject)
    follow_ups: list = []  # heap of (due, ticket id, account index, person index, topic index)
    accounts = ctx.company.accounts
    front_line = ctx.staffing.group_calendar[ctx.group_by_name["Tier 1 Support"]]
    step = max(1, n // 10)
    for ticket_id, created in enumerate(arrival_times(rng, n, ctx.start, ctx.end), start=1):
        if follow_ups and follow_ups[0][0] <= created:
            _, _, a_i, p_i, t_i = heapq.heappop(follow_ups)
            account, person, topic = accounts[a_i], accounts[a_i].contacts[p_i], texts.TOPICS[t_i]
        else:
            account, person = _pick_requester(ctx, created)
            topic = rng.choices(texts.TOPICS, weights=TOPIC_WEIGHTS)[0]
        channel = _pick_channel(rng, account)
        if channel == "chat" and not front_line.on_shift(created):
            channel = "web"  # the chat widget is offline outside Tier 1's shifts: its form files a web ticket
        priority = _pick_priority(rng, account, topic)
        kind = _pick_kind(rng, topic, channel, account.friction)
        subject = rng.choice(topic.subjects)
        merge_target = None
        if kind == "merged":
            targets = [r for r in recent if created - r[1] < 3 * DAY]
            if targets:
                merge_target, _, account, person, topic, subject = rng.choice(targets)
            else:
                kind = "standard"
        if kind == "escalation" and topic.project is None:
            kind = "transfer"
        journey = Journey(ctx, ticket_id, created, person, account, channel, priority, topic, kind, subject, merge_target)
        journey.run()
        for audit in journey.audits:
            write("zendesk/ticket_audits.jsonl", audit)
        for link in journey.links:
            write("zendesk/jira_links.jsonl", link)
        for rating in journey.ratings:
            write("zendesk/satisfaction_ratings.jsonl", rating)
        write("zendesk/tickets.jsonl", journey.ticket_record())
        if kind not in ("merged", "deleted"):
            recent.append((ticket_id, created, account, person, topic, subject))
        if journey.last_solve is not None and journey.status in ("solved", "closed") and rng.random() < 0.08:
            due = journey.last_solve + rng.randint(2 * HOUR, 6 * DAY)
            heapq.heappush(follow_ups, (due, ticket_id, account.index - 1, account.contacts.index(person),
                                        texts.TOPICS.index(topic)))
        if progress is not None and (ticket_id % step == 0 or ticket_id == n):
            progress(f"tickets: {ticket_id}/{n}")
