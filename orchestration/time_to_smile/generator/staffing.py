"""Who is at work when: support sites in three time zones, and the queue in front of each group.

Each group is staffed by agents at one or more sites; a site works its own
local business hours (Mon-Fri, with its own daylight-saving rules), so Tier 1
follows the sun while the specialists keep a single site's hours. A
`ShiftCalendar` turns those hours into UTC intervals once, so every question
the journeys ask ("is anyone on shift?", "when does the next shift start?")
is a binary search.

New tickets wait in their home group's queue (`GroupQueue`): a fluid
first-come-first-served queue whose service rate is the number of sites on
shift. Work that arrives overnight or over a weekend piles up and is worked
off when a shift opens, which is where real first-reply times come from.
"""

from __future__ import annotations

import bisect
import datetime
import heapq
from zoneinfo import ZoneInfo

from typing import TYPE_CHECKING

from . import texts
from .clock import DAY, MINUTE
from .sites import GROUP_SITES, SITES, Site

if TYPE_CHECKING:
    from .company import Company


# How far down the queue each priority starts: urgent tickets jump it, high ones skip most of it.
QUEUE_POSITION = {"urgent": 0.0, "high": 0.3, "normal": 1.0, "low": 1.0}

# Capacity is sized so the average staffed hour runs at this utilisation; the queue still grows
# in the evening peak, overnight and at weekends, when tickets arrive faster than anyone answers.
TARGET_UTILISATION = 0.85


def site_shifts(site: Site, start: int, end: int) -> list[tuple[int, int]]:
    """The site's shifts overlapping [start, end) as UTC epoch-second intervals."""
    zone = ZoneInfo(site.iana_zone)
    day = datetime.datetime.fromtimestamp(start - 2 * DAY, zone).date()
    last = datetime.datetime.fromtimestamp(end + 2 * DAY, zone).date()
    shifts = []
    while day <= last:
        if day.weekday() < 5:
            opens = datetime.datetime(day.year, day.month, day.day, site.start_hour, tzinfo=zone)
            closes = datetime.datetime(day.year, day.month, day.day, site.end_hour, tzinfo=zone)
            shifts.append((int(opens.timestamp()), int(closes.timestamp())))
        day += datetime.timedelta(days=1)
    return shifts


class ShiftCalendar:
    """How many sites are on shift, piecewise constant between sorted UTC boundaries.

    `capacity_at(ts)` is the cumulative site-seconds worked up to `ts`; the queue
    measures work in those units, so draining it is an inverse lookup.
    """

    def __init__(self, shifts: list[tuple[int, int]]) -> None:
        changes: dict[int, int] = {}
        for opens, closes in shifts:
            changes[opens] = changes.get(opens, 0) + 1
            changes[closes] = changes.get(closes, 0) - 1
        self.times: list[int] = sorted(changes)
        self.levels: list[int] = []  # sites on shift from times[i] to times[i + 1]
        self.cumulative: list[int] = []  # site-seconds worked before times[i]
        level = worked = 0
        for i, t in enumerate(self.times):
            if i:
                worked += level * (t - self.times[i - 1])
            level += changes[t]
            self.levels.append(level)
            self.cumulative.append(worked)

    def level_at(self, ts: int) -> int:
        i = bisect.bisect_right(self.times, ts) - 1
        return self.levels[i] if i >= 0 else 0

    def on_shift(self, ts: int) -> bool:
        return self.level_at(ts) > 0

    def next_on_shift(self, ts: int) -> int:
        """`ts` if someone is on shift then, else the next time a shift opens (`ts` past the horizon)."""
        i = bisect.bisect_right(self.times, ts) - 1
        if i >= 0 and self.levels[i] > 0:
            return ts
        for j in range(i + 1, len(self.times)):
            if self.levels[j] > 0:
                return self.times[j]
        return ts

    def capacity_at(self, ts: int) -> float:
        i = bisect.bisect_right(self.times, ts) - 1
        if i < 0:
            return 0.0
        return self.cumulative[i] + self.levels[i] * (ts - self.times[i])

    def when_capacity_reaches(self, capacity: float) -> int:
        """The first moment the cumulative capacity reaches `capacity` (past the horizon: the last boundary)."""
        i = bisect.bisect_left(self.cumulative, capacity) - 1
        if i < 0:
            return self.times[0] if self.times else 0
        # cumulative[i] < capacity <= cumulative[i + 1]: the level between is positive.
        level = self.levels[i] or 1
        return self.times[i] + int(-(-(capacity - self.cumulative[i]) // level))


class GroupQueue:
    """A fluid first-come-first-served queue in front of one group.

    `line` is the cumulative capacity at which everything queued so far is done.
    A ticket arriving at `at` starts `QUEUE_POSITION[priority]` of the way
    down the queue and is picked up when the staff have worked up to there.
    Arrivals must come in time order (new tickets do: they are simulated in
    creation order).
    """

    def __init__(self, calendar: ShiftCalendar, work_per_ticket: float) -> None:
        self.calendar = calendar
        self.work = work_per_ticket
        self.line = 0.0

    def pick_up(self, at: int, priority: str) -> int:
        now = self.calendar.capacity_at(at)
        ahead = max(0.0, self.line - now)
        self.line = max(self.line, now) + self.work
        if ahead * QUEUE_POSITION[priority] <= 0:
            return self.calendar.next_on_shift(at)
        return max(at, self.calendar.when_capacity_reaches(now + ahead * QUEUE_POSITION[priority]))


class Staffing:
    """The support organisation's calendars: per site, per group, and each group's front-door queue."""

    def __init__(self, company: Company, *, start: int, end: int, tickets: int) -> None:
        lo, hi = start - 30 * DAY, end + 30 * DAY
        self.site_calendar = {name: ShiftCalendar(site_shifts(site, lo, hi)) for name, site in SITES.items()}
        self.agent_site = {agent.user_id: agent.site for agent in company.agents}
        self.group_calendar: dict[int, ShiftCalendar] = {}
        self.queue: dict[int, GroupQueue] = {}
        self.agents_at: dict[int, dict[str, list[int]]] = {}  # group -> site -> agents, for "who is on shift?"
        total_weight = sum(topic.weight for topic in texts.TOPICS)
        for name, gid in company.groups.items():
            calendar = ShiftCalendar(list(heapq.merge(*(site_shifts(SITES[s], lo, hi) for s in GROUP_SITES[name]))))
            self.group_calendar[gid] = calendar
            # Size the queue's service so the expected arrivals take TARGET_UTILISATION of the staffed time.
            share = sum(topic.weight for topic in texts.TOPICS if topic.home_group == name) / total_weight
            staffed = calendar.capacity_at(end) - calendar.capacity_at(start)  # site-seconds in the window
            self.queue[gid] = GroupQueue(calendar, TARGET_UTILISATION * staffed / max(1.0, tickets * share))
            by_site: dict[str, list[int]] = {site: [] for site in GROUP_SITES[name]}
            for agent in company.agents_by_group[gid]:
                by_site[agent.site].append(agent.user_id)
            self.agents_at[gid] = by_site

    def on_shift_agents(self, group_id: int, at: int) -> list[int]:
        """The group's agents whose site is on shift at `at` (all of them when nobody is)."""
        by_site = self.agents_at[group_id]
        pool = [a for site, agents in by_site.items() if self.site_calendar[site].on_shift(at) for a in agents]
        return pool or [a for agents in by_site.values() for a in agents]

    def calendar_for(self, group_id: int, assignee: int | None) -> ShiftCalendar:
        """An assigned ticket waits for its assignee's shift; an unassigned one for anyone in the group."""
        if assignee is not None and assignee in self.agent_site:
            return self.site_calendar[self.agent_site[assignee]]
        return self.group_calendar[group_id]

    def staffed_time(self, calendar: ShiftCalendar, ts: int, rng, on_call: float) -> int:
        """When an agent actually gets to something due at `ts`: in shift, or now if on call."""
        if calendar.on_shift(ts) or rng.random() < on_call:
            return ts
        return calendar.next_on_shift(ts) + rng.randint(2 * MINUTE, 75 * MINUTE)

