"""The sample company's cast: customer accounts, their contacts, the support team.

Builds the in-memory directory (small: accounts, people, agents) that the other
modules draw from; zendesk_directory.py renders it as the Zendesk directory collections
(users, groups, organizations, ticket fields, schedules).
"""

from __future__ import annotations

import bisect
import itertools
import math
from dataclasses import dataclass, field

from . import texts
from .clock import DAY, HOUR
from .sites import GROUP_SITES

USER_ID_START = 10001
GROUP_ID_START = 360001
ORG_ID_START = 50001

FIELD_IMPACT_STARTED = 900001
FIELD_TIME_SPENT = 900002
FIELD_PRODUCT_AREA = 900003
FIELD_ORDER_NUMBER = 900004
TICKET_FIELD_IDS = (FIELD_IMPACT_STARTED, FIELD_TIME_SPENT, FIELD_PRODUCT_AREA, FIELD_ORDER_NUMBER)

SUPPORT_DOMAIN = "timetosmile.example"


def sf_id(prefix: str, number: int) -> str:
    """An 18-character Salesforce-style Id: 3-character key prefix + zero-padded number."""
    return prefix + str(number).zfill(15)


@dataclass
class Person:
    """A customer contact: a Zendesk end-user and the matching Salesforce Contact."""

    user_id: int
    contact_id: str
    first: str
    last: str
    email: str
    created: int

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Agent:
    user_id: int
    name: str
    email: str
    role: str  # agent | admin
    group_id: int
    created: int
    site: str  # where the agent works, which sets their shift (sites.SITES)


@dataclass
class Account:
    index: int
    sf_id: str
    name: str
    domain: str
    created: int
    segment: str
    persona: str
    white_glove: bool
    arr: float
    seats: int
    active_users: int
    industry: str
    country: str
    org_id: int
    contacts: list[Person] = field(default_factory=list)
    contact_cum_weights: list[float] = field(default_factory=list)
    # Lifecycle, filled in by crm.plan_lifecycles
    initial_stage: str = "Searching"
    stage_changes: list[tuple[int, str, str]] = field(default_factory=list)
    purchased_at: int | None = None
    churn_at: int | None = None
    renewal_date: int | None = None
    # Latent friction (0..1): how hard this customer's product life is. It raises the odds
    # that its tickets get transferred or escalated and that its renewal is lost, so the
    # marts show the relationships the product exists to reveal (see docs/generator.md).
    friction: float = 0.0
    _change_times: list[int] = field(default_factory=list)

    @property
    def stage(self) -> str:
        return self.stage_changes[-1][2] if self.stage_changes else self.initial_stage

    def index_changes(self) -> None:
        self._change_times = [t for t, _, _ in self.stage_changes]

    def stage_at(self, ts: int) -> str:
        i = bisect.bisect_right(self._change_times, ts)
        return self.stage_changes[i - 1][2] if i else self.initial_stage


@dataclass
class Company:
    accounts: list[Account]
    agents: list[Agent]  # agents and admins
    groups: dict[str, int]  # name -> id
    agents_by_group: dict[int, list[Agent]]
    admins: list[Agent]
    account_cum_weights: list[float]
    directory_time: int  # when the helpdesk was set up

    @property
    def system_author(self) -> Agent:
        """The admin whose automations (solved -> closed) author audits."""
        return self.admins[0]


def _people_names(rng):
    pool = [(f, l) for f in texts.FIRST_NAMES for l in texts.LAST_NAMES]
    rng.shuffle(pool)
    for i in itertools.count():
        first, last = pool[i % len(pool)]
        yield first, last, i // len(pool)


def _company_names(rng, n: int) -> list[str]:
    pool = [f"{w} {s}" for w in texts.COMPANY_WORDS for s in texts.COMPANY_SUFFIXES]
    rng.shuffle(pool)
    return [pool[i % len(pool)] + (f" {i // len(pool) + 1}" if i >= len(pool) else "") for i in range(n)]


def _domain(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum()) + ".example"


def build_company(rng, *, accounts: int, tickets: int, start: int, end: int) -> Company:
    directory_time = start - 1200 * DAY
    groups = {name: GROUP_ID_START + i for i, name in enumerate(texts.GROUPS)}
    names = _people_names(rng)
    user_ids = itertools.count(USER_ID_START)

    # The support team scales with the volume of tickets.
    n_agents = max(12, round(math.sqrt(max(tickets, 1)) / 1.5))
    agents: list[Agent] = []
    for group_name, share in zip(texts.GROUPS, texts.GROUP_SHARE):
        sites = GROUP_SITES[group_name]
        for k in range(max(2, len(sites), round(n_agents * share))):
            first, last, rep = next(names)
            agents.append(_agent(next(user_ids), first, last, rep, "agent", groups[group_name], sites[k % len(sites)],
                                 rng, directory_time, end))
    admins = []
    for group_name in ("Tier 2 Support", "Technical Specialists"):
        first, last, rep = next(names)
        admins.append(_agent(next(user_ids), first, last, rep, "admin", groups[group_name], GROUP_SITES[group_name][0],
                             rng, directory_time, end))
    agents.extend(admins)
    agents_by_group: dict[int, list[Agent]] = {gid: [] for gid in groups.values()}
    for agent in agents:
        if agent.role == "agent":
            agents_by_group[agent.group_id].append(agent)

    contact_scale = max(1, round(math.sqrt(max(tickets, 1) / (max(accounts, 1) * 10))))
    account_list: list[Account] = []
    for i, name in enumerate(_company_names(rng, accounts), start=1):
        young = rng.random() < 0.35
        age_days = rng.uniform(5, 80) if young else rng.uniform(80, 1100)
        created = start - int(age_days * DAY) + rng.randint(0, 8 * HOUR)
        segment = rng.choices(texts.SEGMENTS, weights=(0.5, 0.3, 0.2))[0]
        seats = {"SMB": rng.randint(5, 40), "Mid-Market": rng.randint(40, 250), "Enterprise": rng.randint(250, 2000)}[segment]
        price = {"SMB": 600, "Mid-Market": 480, "Enterprise": 360}[segment]
        persona = rng.choices(texts.PERSONAS, weights=(0.35, 0.3, 0.15, 0.2))[0]
        account = Account(
            index=i,
            sf_id=sf_id("001", i),
            name=name,
            domain=_domain(name),
            created=created,
            segment=segment,
            persona=persona,
            white_glove=rng.random() < {"SMB": 0.03, "Mid-Market": 0.15, "Enterprise": 0.7}[segment],
            arr=float(round(seats * price * rng.uniform(0.8, 1.2), -2)),
            seats=seats,
            active_users=max(1, round(seats * rng.uniform(0.3, 1.0))),
            industry=rng.choice(texts.INDUSTRIES),
            country=rng.choice(texts.COUNTRIES),
            org_id=ORG_ID_START + i - 1,
        )
        lo, hi = {"SMB": (2, 4), "Mid-Market": (3, 7), "Enterprise": (6, 12)}[segment]
        for k in range(rng.randint(lo, hi) * contact_scale):
            first, last, rep = next(names)
            local = f"{first}.{last}".lower() + (str(rep + 1) if rep else "")
            contact_created = created + rng.randint(0, 20 * DAY) if k else created + HOUR
            account.contacts.append(
                Person(next(user_ids), "", first, last, f"{local}@{account.domain}", min(contact_created, start - DAY))
            )
        # A few power users file most of an account's tickets.
        account.contact_cum_weights = list(itertools.accumulate(1.0 / (k + 1) ** 0.8 for k in range(len(account.contacts))))
        account_list.append(account)

    contact_no = itertools.count(1)
    for account in account_list:
        for person in account.contacts:
            person.contact_id = sf_id("003", next(contact_no))

    weights = [a.seats ** 0.5 * (1.3 if a.white_glove else 1.0) for a in account_list]
    return Company(
        accounts=account_list,
        agents=agents,
        groups=groups,
        agents_by_group=agents_by_group,
        admins=admins,
        account_cum_weights=list(itertools.accumulate(weights)),
        directory_time=directory_time,
    )


def _agent(user_id, first, last, rep, role, group_id, site, rng, directory_time, end) -> Agent:
    local = f"{first}.{last}".lower() + (str(rep + 1) if rep else "")
    created = directory_time + rng.randint(0, 900) * DAY
    return Agent(user_id, f"{first} {last}", f"{local}@{SUPPORT_DOMAIN}", role, group_id, min(created, end - 120 * DAY), site)
