"""A ticket's journey, step by step: created, first touch, rounds with the customer, transfers,
escalation (journey_escalation.py), solve, reopen and rating. State and commits: journey_state.py."""

from __future__ import annotations

from . import texts
from .clock import DAY, HOUR, MINUTE, zendesk
from .journey_escalation import EscalationSteps
from .journey_state import PRIORITIES, _KEEP, _s, _Stop

# After the queue: how long the agent who picks a ticket up takes to write the first reply.
FIRST_REPLY_MEDIAN_HOURS = {"urgent": 0.2, "high": 0.4, "normal": 0.6, "low": 1.5}


class Journey(EscalationSteps):
    """One ticket from creation to its last audit; `run` plays it out."""

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
