"""A ticket journey's state: what every journey shares (`Context`), the ticket's own state and
the single place it changes (`JourneyState._commit`), and the ticket record it adds up to."""

from __future__ import annotations

import itertools

from . import texts
from .clock import DAY, HOUR, MINUTE, lognormal_seconds, zendesk
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


class JourneyState:
    """One ticket's state, and the single place it changes (`_commit`: one audit each);
    the helpers every step of a journey uses; the ticket record its audits add up to."""

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

    def _solve(self, confirm: bool = False) -> None:
        """Solve with a public reply (after the customer answers, if pending; `confirm`: they say it works)."""
        if not self._settle_pending(self.rng.choice(texts.CUSTOMER_POSITIVE) if confirm else None):
            return
        at = self._agent_at(5.0)
        agent = self.assignee if self.assignee is not None else self._pick_agent(self.group, at=at)
        self._commit(at, agent, "web", comment=self.rng.choice(self.topic.solutions), status="solved", assignee=agent)

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
