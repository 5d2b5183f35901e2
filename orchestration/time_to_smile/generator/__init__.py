"""The sample-company generator behind `smile generate`.

`generate_company` writes one synthetic company (helpdesk, engineering tracker
and CRM) in the file-drop layout of sources.md: Zendesk, Jira and Salesforce
records in the shapes their REST APIs return. Deterministic for a seed: every
random draw comes from one `random.Random(seed)`, and records are streamed to
disk ticket by ticket.

Modules: `company` (accounts, contacts, support team), `zendesk_directory` (its Zendesk users,
groups, organizations, ticket fields, schedules),
`crm` (lifecycles, renewals, churn, NPS), `engineering` (Jira issues),
`tickets` (which tickets arrive, and when), `journey`, `journey_escalation` and
`journey_state` (each ticket's journey: its audits, ratings and links), `writer` (JSONL files),
`sites` (support sites and the groups they staff), `staffing` (shifts and queues), `clock` (time formats), `texts` (names and message templates).
"""

from __future__ import annotations

import datetime
import json
import pathlib
import random
from typing import Callable

from . import company as _company
from . import texts, zendesk_directory
from .clock import DAY, to_epoch
from .crm import CrmPlan
from .engineering import Tracker
from .tickets import Context, generate_tickets
from .writer import DropWriter

__all__ = ["FILES", "DEFAULT_END", "SAMPLE_MARKER", "generate_company", "sample_as_of"]

DEFAULT_END = datetime.datetime(2026, 11, 16, tzinfo=datetime.timezone.utc)
# Beside a generated company: when its history ends, so a demo can measure as of then (a
# hidden file: the loader and its list of unrecognised files leave it out).
SAMPLE_MARKER = ".sample_company.json"

FILES: tuple[str, ...] = (
    "zendesk/tickets.jsonl",
    "zendesk/ticket_audits.jsonl",
    "zendesk/users.jsonl",
    "zendesk/groups.jsonl",
    "zendesk/organizations.jsonl",
    "zendesk/ticket_fields.jsonl",
    "zendesk/satisfaction_ratings.jsonl",
    "zendesk/schedules.jsonl",
    "zendesk/jira_links.jsonl",
    "jira/issues.jsonl",
    "salesforce/Account.jsonl",
    "salesforce/AccountHistory.jsonl",
    "salesforce/Contact.jsonl",
    "salesforce/Opportunity.jsonl",
    "salesforce/NPS_Response__c.jsonl",
)


def generate_company(
    out_dir: pathlib.Path,
    *,
    accounts: int = 40,
    tickets: int = 400,
    days: int = 90,
    seed: int = 7,
    end: datetime.datetime = DEFAULT_END,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write every collection of sources.md under out_dir in the file-drop layout; return record counts per relative file path (e.g. {"zendesk/tickets.jsonl": 400, ...})."""
    if accounts < 1:
        raise ValueError("accounts must be at least 1")
    if tickets < 0:
        raise ValueError("tickets must not be negative")
    if days < 1:
        raise ValueError("days must be at least 1")
    say = progress or (lambda message: None)
    end_ts = to_epoch(end)
    start_ts = end_ts - days * DAY

    master = random.Random(seed)
    seeds = {name: master.getrandbits(64) for name in ("company", "crm", "jira", "tickets", "nps", "friction")}

    say(f"company: {accounts} accounts")
    company = _company.build_company(random.Random(seeds["company"]), accounts=accounts, tickets=tickets,
                                     start=start_ts, end=end_ts)
    friction_rng = random.Random(seeds["friction"])
    for account in company.accounts:
        account.friction = friction_rng.betavariate(1.2, 3.0)
    crm = CrmPlan(random.Random(seeds["crm"]), company, start_ts, end_ts)
    tracker = Tracker(random.Random(seeds["jira"]), start=start_ts, end=end_ts, background=max(6, tickets // 40))

    out = pathlib.Path(out_dir)
    with DropWriter(out, FILES) as drop:
        drop.write_all("zendesk/groups.jsonl", zendesk_directory.group_records(company))
        drop.write_all("zendesk/users.jsonl", zendesk_directory.user_records(company, start_ts))
        drop.write_all("zendesk/organizations.jsonl", zendesk_directory.organization_records(company))
        drop.write_all("zendesk/ticket_fields.jsonl", zendesk_directory.ticket_field_records(company, texts.TOPICS))
        drop.write_all("zendesk/schedules.jsonl", zendesk_directory.schedule_records(company))
        drop.write_all("salesforce/Account.jsonl", crm.account_records())
        drop.write_all("salesforce/AccountHistory.jsonl", crm.history_records())
        drop.write_all("salesforce/Contact.jsonl", crm.contact_records())
        drop.write_all("salesforce/Opportunity.jsonl", crm.opportunity_records())
        crm.rng = random.Random(seeds["nps"])
        drop.write_all("salesforce/NPS_Response__c.jsonl", crm.nps_records(max(3 * accounts, tickets // 5)))

        say(f"tickets: simulating {tickets} journeys over {days} days")
        ctx = Context(random.Random(seeds["tickets"]), company, tracker, start=start_ts, end=end_ts, tickets=tickets)
        generate_tickets(ctx, tickets, drop.write, progress)

        say(f"jira: {len(tracker.issues)} issues")
        drop.write_all("jira/issues.jsonl", tracker.records())
    (out / SAMPLE_MARKER).write_text(json.dumps({
        "history_ends_at": datetime.datetime.fromtimestamp(end_ts, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "accounts": accounts, "tickets": tickets, "days": days, "seed": seed}) + "\n")
    say(f"wrote {sum(drop.counts.values())} records to {out}")
    return dict(drop.counts)


def sample_as_of(source_dir: pathlib.Path) -> str | None:
    """When the generated company in source_dir ends ('YYYY-MM-DD HH:MM:SS' UTC); None for real exports."""
    marker = pathlib.Path(source_dir) / SAMPLE_MARKER
    if not marker.exists():
        return None
    return json.loads(marker.read_text())["history_ends_at"]
