"""The tickets of a company: when they arrive, who asks, on which channel, at which priority and
of which kind; each one then plays out as a `Journey` (journey.py), one ticket at a time.

A `Journey` holds only its own ticket's state. Every change goes through
`JourneyState._commit` (journey_state.py), which appends one audit and updates the state the
audit implies, so the ticket record always equals the final state of its audits. An action due
at or after `end` raises `_Stop`: the ticket stays as it was.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import deque
from typing import Callable

from . import texts
from .clock import DAY, HOUR, weekday
from .company import Account, Person
from .journey import Journey
from .journey_state import PRIORITIES, Context

KINDS = ("deleted", "merged", "fcr", "standard", "transfer", "escalation")
STAGE_TICKET_RATE = {"Searching": 0.3, "Ready to Buy": 0.5, "Purchased": 1.6, "Implemented": 1.8, "Post-Installation": 1.0, "Churned": 0.1}
PRIORITY_WEIGHTS = {
    "SMB": (0.04, 0.18, 0.55, 0.23),
    "Mid-Market": (0.05, 0.22, 0.53, 0.20),
    "Enterprise": (0.08, 0.30, 0.47, 0.15),
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
