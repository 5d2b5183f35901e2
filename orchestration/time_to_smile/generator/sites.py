"""Where support works: the sites, their time zones and local shift hours, and which
sites staff each group. Read by `company` (an agent's site and time zone) and by
`staffing` (the shift calendars)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    name: str
    iana_zone: str
    zendesk_zone: str  # the Zendesk (Rails) zone name, as on the agents' user records
    start_hour: int  # local shift start, Mon-Fri
    end_hour: int


SITES: dict[str, Site] = {
    site.name: site
    for site in (
        Site("Singapore", "Asia/Singapore", "Singapore", 8, 17),  # 00:00-09:00 UTC
        Site("Dublin", "Europe/Dublin", "Dublin", 8, 17),  # 08:00-17:00 UTC in winter
        Site("New York", "America/New_York", "Eastern Time (US & Canada)", 9, 18),  # 14:00-23:00 UTC in winter
    )
}

# Tier 1 follows the sun; Tier 2 covers EMEA and the Americas; each specialist team sits at one site.
GROUP_SITES: dict[str, tuple[str, ...]] = {
    "Tier 1 Support": ("Singapore", "Dublin", "New York"),
    "Tier 2 Support": ("Dublin", "New York"),
    "Billing Specialists": ("New York",),
    "Technical Specialists": ("Dublin",),
}
