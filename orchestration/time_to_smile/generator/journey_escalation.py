"""A journey's escalation to engineering: finding or filing the Jira issue, linking it, the wait
(on hold) for the fix, and closing the loop with the customer. `Journey` (journey.py) builds on it."""

from __future__ import annotations

from . import texts
from .clock import DAY, HOUR, MINUTE, zendesk
from .journey_state import JourneyState, _KEEP, _Stop


class EscalationSteps(JourneyState):
    """The steps of a journey that involve engineering."""

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
