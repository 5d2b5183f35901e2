"""The sample company's support organisation: sites in three time zones, shifts, and queues.

Unit checks of the shift calendar and the queue on hand-computed instants, then
checks that a generated company actually behaves like a follow-the-sun team.
"""

from __future__ import annotations

import datetime
import json
import statistics
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

try:
    import time_to_smile  # noqa: F401
except ImportError:  # not installed yet: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "orchestration"))

from time_to_smile.generator import generate_company  # noqa: E402
from time_to_smile.generator.staffing import (  # noqa: E402
    GROUP_SITES,
    SITES,
    GroupQueue,
    ShiftCalendar,
    site_shifts,
)

UTC = datetime.timezone.utc


def epoch(*args) -> int:
    return int(datetime.datetime(*args, tzinfo=UTC).timestamp())


def test_a_site_keeps_local_hours_across_daylight_saving():
    # Dublin works 08:00-17:00 local: 07:00 UTC in summer (IST), 08:00 UTC after 25 Oct 2026.
    shifts = site_shifts(SITES["Dublin"], epoch(2026, 10, 19), epoch(2026, 10, 31))
    opens = {datetime.datetime.fromtimestamp(o, UTC).date().isoformat(): datetime.datetime.fromtimestamp(o, UTC).hour
             for o, _ in shifts}
    assert opens["2026-10-23"] == 7  # Friday, summer time
    assert opens["2026-10-26"] == 8  # Monday, winter time
    assert "2026-10-24" not in opens and "2026-10-25" not in opens  # the weekend is not staffed
    assert all(c - o == 9 * 3600 for o, c in shifts)


def test_calendar_counts_sites_on_shift_and_inverts_capacity():
    # Two overlapping shifts: 10-14 and 12-18 (hours of one day).
    day = epoch(2026, 3, 2)
    cal = ShiftCalendar([(day + 10 * 3600, day + 14 * 3600), (day + 12 * 3600, day + 18 * 3600)])
    assert [cal.level_at(day + h * 3600) for h in (9, 10, 12, 14, 18)] == [0, 1, 2, 1, 0]
    assert cal.next_on_shift(day + 3600) == day + 10 * 3600
    assert cal.next_on_shift(day + 11 * 3600) == day + 11 * 3600
    # By 13:00: 2 h with one site + 1 h with two = 4 site-hours.
    assert cal.capacity_at(day + 13 * 3600) == 4 * 3600
    assert cal.when_capacity_reaches(4 * 3600) == day + 13 * 3600
    # 10 site-hours: 2 (10-12) + 4 (12-14) + 4 (14-18 at one site) = 10 at 18:00.
    assert cal.when_capacity_reaches(10 * 3600) == day + 18 * 3600


def test_queue_serves_overnight_arrivals_in_order_when_the_shift_opens():
    day = epoch(2026, 3, 2)  # a Monday; one site works 09:00-17:00
    cal = ShiftCalendar([(day + 9 * 3600, day + 17 * 3600), (day + 86400 + 9 * 3600, day + 86400 + 17 * 3600)])
    queue = GroupQueue(cal, work_per_ticket=1800)  # half an hour of one site's time per ticket
    night = [queue.pick_up(day + h * 3600, "normal") for h in (1, 2, 3, 4)]
    # Nothing is answered before the shift; then one every half hour, first come first served.
    assert night == [day + 9 * 3600, day + 9 * 3600 + 1800, day + 10 * 3600, day + 10 * 3600 + 1800]
    # An urgent ticket arriving at 05:00 jumps the queue: picked up as the shift opens.
    assert queue.pick_up(day + 5 * 3600, "urgent") == day + 9 * 3600
    # A normal one at 09:05 waits behind all five (2.5 h of work queued since 09:00).
    assert queue.pick_up(day + 9 * 3600 + 300, "normal") == day + 11 * 3600 + 1800


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    root = tmp_path_factory.mktemp("staffed_company")
    generate_company(root, accounts=60, tickets=3000, days=60, seed=5)

    def read(rel):
        with open(root / rel, encoding="utf-8") as f:
            return [json.loads(line) for line in f]

    return read("zendesk/users.jsonl"), read("zendesk/groups.jsonl"), read("zendesk/tickets.jsonl"), read("zendesk/ticket_audits.jsonl")


def _ts(value: str) -> datetime.datetime:
    return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _in_site_hours(site, at: datetime.datetime) -> bool:
    local = at.astimezone(ZoneInfo(site.iana_zone))
    return local.weekday() < 5 and site.start_hour <= local.hour < site.end_hour


def test_each_group_is_staffed_at_its_sites(company):
    users, groups, _, _ = company
    group_name = {g["id"]: g["name"] for g in groups}
    zone_site = {site.zendesk_zone: name for name, site in SITES.items()}
    seen = {}
    for user in users:
        if user["role"] == "agent":
            seen.setdefault(group_name[user["default_group_id"]], set()).add(zone_site[user["time_zone"]])
    assert seen == {group: set(sites) for group, sites in GROUP_SITES.items()}


def test_agents_work_their_own_shifts(company):
    users, _, tickets, audits = company
    zone_site = {site.zendesk_zone: site for site in SITES.values()}
    agent_site = {u["id"]: zone_site[u["time_zone"]] for u in users if u["role"] == "agent"}
    priority = {t["id"]: t["priority"] for t in tickets}
    routine = [(agent_site[a["author_id"]], _ts(a["created_at"])) for a in audits
               if a["author_id"] in agent_site and priority[a["ticket_id"]] != "urgent"]
    in_hours = sum(_in_site_hours(site, at) for site, at in routine) / len(routine)
    # Outside their hours only when on call (8% of routine actions): the rest is in shift.
    assert in_hours > 0.85, in_hours


def test_chat_only_while_the_front_line_is_on_shift_and_weekend_tickets_wait(company):
    users, groups, tickets, audits = company
    front = [SITES[s] for s in GROUP_SITES["Tier 1 Support"]]
    chats = [_ts(t["created_at"]) for t in tickets if t["via"]["channel"] == "chat"]
    assert chats and all(any(_in_site_hours(site, at) for site in front) for at in chats)
    agents = {u["id"] for u in users if u["role"] in ("agent", "admin")}
    first_reply = {}
    for audit in sorted(audits, key=lambda a: (a["created_at"], a["id"])):
        if audit["ticket_id"] not in first_reply and audit["author_id"] in agents and any(
                e["type"] == "Comment" and e["public"] for e in audit["events"]):
            first_reply[audit["ticket_id"]] = _ts(audit["created_at"])
    waits = {"weekday": [], "weekend": []}
    for t in tickets:
        if t["id"] in first_reply and t["via"]["channel"] in ("email", "web", "api") and t["priority"] == "normal":
            created = _ts(t["created_at"])
            key = "weekend" if created.weekday() >= 5 else "weekday"
            waits[key].append((first_reply[t["id"]] - created).total_seconds() / 3600)
    weekday, weekend = statistics.median(waits["weekday"]), statistics.median(waits["weekend"])
    # A Saturday ticket waits for Monday's first shift (Singapore opens Monday 00:00 UTC).
    assert weekend > 12 and weekend > 4 * weekday, (weekday, weekend)
    assert Counter(t["via"]["channel"] for t in tickets)["web"] > 0
