"""The CRM side: account lifecycles, renewals and churn, NPS surveys (Salesforce records)."""

from __future__ import annotations

import itertools

from . import texts
from .clock import DAY, HOUR, salesforce, sf_date
from .company import Account, Company, sf_id

API_VERSION = "v60.0"
STAGE_DAYS = {"Searching": (10, 60), "Ready to Buy": (7, 40), "Purchased": (14, 60), "Implemented": (30, 120)}
STAGE_INDEX = {stage: i for i, stage in enumerate(texts.STAGES)}


def _walk(rng, t: int, stage: str, end: int) -> list[tuple[int, str, str]]:
    """Forward stage changes from `stage` at `t`, until Post-Installation or `end`."""
    changes = []
    while stage in STAGE_DAYS:
        t += int(rng.uniform(*STAGE_DAYS[stage]) * DAY) + rng.randint(0, 8 * HOUR)
        if t >= end:
            break
        nxt = texts.STAGES[STAGE_INDEX[stage] + 1]
        changes.append((t, stage, nxt))
        stage = nxt
    return changes


class CrmPlan:
    """Lifecycle, renewals and side histories per account, decided once before any ticket."""

    def __init__(self, rng, company: Company, start: int, end: int):
        self.rng = rng
        self.company = company
        self.start = start
        self.end = end
        self.lost_renewal: dict[int, int] = {}  # account index -> renewal time that closed lost
        self.loss_reason: dict[int, str] = {}
        self.segment_changes: dict[int, list[tuple[int, str, str]]] = {}
        self.active_user_changes: dict[int, list[tuple[int, int, int]]] = {}
        self._plan()

    # -- planning ---------------------------------------------------------

    def _plan(self) -> None:
        rng, start, end = self.rng, self.start, self.end
        accounts = self.company.accounts
        for a in accounts:
            a.initial_stage = "Searching" if rng.random() < 0.6 else "Ready to Buy"
            a.stage_changes = _walk(rng, a.created, a.initial_stage, end)
            a.purchased_at = next((t for t, _, new in a.stage_changes if new == "Purchased"), None)
            a.index_changes()

        # Churn: some renewals falling inside the window close lost (at least two when possible).
        candidates: list[tuple[Account, int]] = []
        for a in accounts:
            renewal = self._renewal_in_window(a.purchased_at)
            if renewal is not None:
                candidates.append((a, renewal))
        if len(candidates) < 2 and end - start > 6 * DAY:
            # Too few renewals fall in the window: give a few old accounts a purchase date whose
            # anniversary does (their sales cycle is redrawn; everything stays before the window).
            taken = {a.index for a, _ in candidates}
            old = [a for a in accounts if a.index not in taken and start - a.created > 400 * DAY]
            for a in rng.sample(old, len(old)):
                if len(candidates) >= 2:
                    break
                renewal = rng.randint(start + 4 * DAY, end - 3 * DAY)
                years = (renewal - a.created - 20 * DAY) // (365 * DAY)
                purchased = renewal - years * 365 * DAY
                changes = []
                if a.initial_stage == "Searching":
                    changes.append((a.created + int((purchased - a.created) * rng.uniform(0.3, 0.7)), "Searching", "Ready to Buy"))
                changes.append((purchased, "Ready to Buy", "Purchased"))
                changes.extend(_walk(rng, purchased, "Purchased", end))
                a.stage_changes, a.purchased_at = changes, purchased
                a.index_changes()
                candidates.append((a, renewal))
            candidates.sort(key=lambda c: c[0].index)
        # a renewal is lost more often where the customer's life with the product is harder
        lost = [c for c in candidates if rng.random() < 0.03 + c[0].friction ** 1.2]
        # at least two churners when possible: the most troubled customers go first
        for c in sorted(candidates, key=lambda c: (-c[0].friction, c[0].index)):
            if len(lost) >= min(2, len(candidates)):
                break
            if c not in lost:
                lost.append(c)
        for a, renewal in sorted(lost, key=lambda c: c[0].index):
            churn_at = min(renewal + rng.randint(HOUR, 3 * DAY), end - HOUR)
            before = [c for c in a.stage_changes if c[0] < churn_at]
            a.stage_changes = before
            a.index_changes()
            a.stage_changes.append((churn_at, a.stage_at(churn_at), texts.CHURNED))
            a.churn_at = churn_at
            a.index_changes()
            self.lost_renewal[a.index] = renewal
            self.loss_reason[a.index] = rng.choices(texts.LOSS_REASONS, weights=texts.LOSS_WEIGHTS)[0]

        # Cycles: a few live customers go back to an earlier stage during the window, then move on.
        probe = start + 5 * DAY
        eligible = [a for a in accounts if a.churn_at is None and a.stage_at(probe) in ("Implemented", "Post-Installation")]
        n_cycles = min(len(eligible), max(2, round(0.08 * len(accounts))))
        for a in sorted(rng.sample(eligible, n_cycles), key=lambda a: a.index):
            back_at = start + int(rng.uniform(6, 50) * DAY)
            current = a.stage_at(back_at)
            back_to = "Purchased" if current == "Implemented" or rng.random() < 0.5 else "Implemented"
            a.stage_changes = [c for c in a.stage_changes if c[0] < back_at]
            a.stage_changes.append((back_at, current, back_to))
            a.stage_changes.extend(_walk(rng, back_at, back_to, end))
            a.index_changes()

        # Side histories: segment upgrades long ago, active-user swings in the window.
        for a in accounts:
            age = start - a.created
            if a.segment != "SMB" and age > 300 * DAY and rng.random() < 0.15:
                previous = texts.SEGMENTS[texts.SEGMENTS.index(a.segment) - 1]
                at = a.created + int(rng.uniform(90, age / DAY - 60) * DAY)
                self.segment_changes[a.index] = [(at, previous, a.segment)]
            if a.purchased_at is not None and a.purchased_at < start and rng.random() < 0.35:
                n = rng.randint(1, 2)
                times = sorted(start + rng.randint(DAY, end - start - DAY) for _ in range(n))
                values = [a.active_users]
                for _ in range(n):
                    values.insert(0, max(1, min(a.seats, round(values[0] * rng.uniform(0.7, 1.3)))))
                self.active_user_changes[a.index] = [(t, values[i], values[i + 1]) for i, t in enumerate(times)]

    def _renewal_in_window(self, purchased_at: int | None) -> int | None:
        """The yearly renewal that falls inside the window, if any."""
        if purchased_at is None:
            return None
        for k in itertools.count(1):
            renewal = purchased_at + 365 * k * DAY
            if renewal >= self.end:
                return None
            if self.start + 3 * DAY <= renewal < self.end - 2 * DAY:
                return renewal

    # -- records ----------------------------------------------------------

    @staticmethod
    def _sf(obj_type: str, rec_id: str, fields: dict, modified: int) -> dict:
        record = {"attributes": {"type": obj_type, "url": f"/services/data/{API_VERSION}/sobjects/{obj_type}/{rec_id}"}, "Id": rec_id}
        record.update(fields)
        record["LastModifiedDate"] = salesforce(modified)
        record["SystemModstamp"] = salesforce(modified)
        return record

    def account_records(self):
        for a in self.company.accounts:
            touched = [a.created + HOUR]
            touched += [t for t, _, _ in a.stage_changes]
            touched += [t for t, _, _ in self.segment_changes.get(a.index, [])]
            touched += [t for t, _, _ in self.active_user_changes.get(a.index, [])]
            renewal = self._renewal_date(a)
            yield self._sf(
                "Account",
                a.sf_id,
                {
                    "Name": a.name,
                    "CreatedDate": salesforce(a.created),
                    "Industry": a.industry,
                    "BillingCountry": a.country,
                    "Website": f"https://www.{a.domain}",
                    "Segment__c": a.segment,
                    "Persona__c": a.persona,
                    "White_Glove__c": a.white_glove,
                    "ARR__c": a.arr,
                    "Lifecycle_Stage__c": a.stage,
                    "Preferred_Channels__c": ";".join(texts.PERSONA_CHANNELS[a.persona]),
                    "Licensed_Seats__c": a.seats,
                    "Active_Users__c": a.active_users,
                    "Renewal_Date__c": sf_date(renewal) if renewal is not None else None,
                },
                max(touched),
            )

    def history_records(self):
        ids = itertools.count(1)
        for a in self.company.accounts:
            rows = [(t, "Lifecycle_Stage__c", "Picklist", old, new) for t, old, new in a.stage_changes]
            rows += [(t, "Segment__c", "Picklist", old, new) for t, old, new in self.segment_changes.get(a.index, [])]
            rows += [(t, "Active_Users__c", "Double", old, new) for t, old, new in self.active_user_changes.get(a.index, [])]
            rows.sort(key=lambda r: (r[0], r[1]))
            for t, field_name, data_type, old, new in rows:
                rec_id = sf_id("017", next(ids))
                yield self._sf(
                    "AccountHistory",
                    rec_id,
                    {
                        "AccountId": a.sf_id,
                        "Field": field_name,
                        "DataType": data_type,
                        "OldValue": old,
                        "NewValue": new,
                        "CreatedDate": salesforce(t),
                        "IsDeleted": False,
                    },
                    t,
                )

    def contact_records(self):
        for a in self.company.accounts:
            for p in a.contacts:
                yield self._sf(
                    "Contact",
                    p.contact_id,
                    {
                        "AccountId": a.sf_id,
                        "FirstName": p.first,
                        "LastName": p.last,
                        "Name": p.name,
                        "Email": p.email,
                        "CreatedDate": salesforce(p.created),
                    },
                    p.created + HOUR,
                )

    def _renewal_date(self, a: Account) -> int | None:
        if a.purchased_at is None:
            return None
        if a.index in self.lost_renewal:
            return self.lost_renewal[a.index]
        renewal = a.purchased_at + 365 * DAY
        while renewal < self.end:
            renewal += 365 * DAY
        return renewal

    def opportunity_records(self):
        rng, end = self.rng, self.end
        ids = itertools.count(1)

        def opp(a: Account, kind: str, stage: str, closed: bool, won: bool, close: int, amount: float,
                created: int, modified: int, reason: str | None, probability: int) -> dict:
            year = sf_date(close)[:4]
            return self._sf(
                "Opportunity",
                sf_id("006", next(ids)),
                {
                    "AccountId": a.sf_id,
                    "Name": f"{a.name} - {kind} {year}",
                    "Type": kind,
                    "StageName": stage,
                    "IsClosed": closed,
                    "IsWon": won,
                    "CloseDate": sf_date(close),
                    "Amount": amount,
                    "Probability": probability,
                    "Loss_Reason__c": reason,
                    "CreatedDate": salesforce(created),
                },
                modified,
            )

        for a in self.company.accounts:
            if a.purchased_at is None:
                created = min(a.created + rng.randint(DAY, 10 * DAY), end - DAY)
                stage = "Qualification" if a.stage == "Searching" else "Proposal/Price Quote"
                close = end + rng.randint(30, 90) * DAY
                yield opp(a, "New Business", stage, False, False, close, a.arr, created,
                          min(created + 5 * DAY, end - HOUR), None, 20 if stage == "Qualification" else 50)
                continue
            nb_created = max(a.created + DAY, a.purchased_at - rng.randint(20, 60) * DAY)
            yield opp(a, "New Business", "Closed Won", True, True, a.purchased_at, a.arr, nb_created,
                      a.purchased_at, None, 100)
            for k in itertools.count(1):
                renewal = a.purchased_at + 365 * k * DAY
                created = renewal - 90 * DAY
                if renewal < end:
                    if self.lost_renewal.get(a.index) == renewal:
                        yield opp(a, "Renewal", "Closed Lost", True, False, renewal, a.arr, created, renewal,
                                  self.loss_reason[a.index], 0)
                        break
                    yield opp(a, "Renewal", "Closed Won", True, True, renewal, a.arr, created, renewal, None, 100)
                    continue
                if created < end:
                    stage = "Negotiation/Review" if renewal - end < 60 * DAY else "Prospecting"
                    modified = min(created + rng.randint(1, 20) * DAY, end - HOUR)
                    yield opp(a, "Renewal", stage, False, False, renewal, a.arr, created, modified, None,
                              75 if stage == "Negotiation/Review" else 40)
                break

    def nps_records(self, n_responses: int):
        rng, start, end = self.rng, self.start, self.end
        accounts = self.company.accounts
        cum = self.company.account_cum_weights
        ids = itertools.count(1)
        for t in sorted(rng.randint(start, end - 1) for _ in range(n_responses)):
            for _ in range(10):
                a = rng.choices(accounts, cum_weights=cum)[0]
                if a.purchased_at is not None and a.purchased_at <= t and (a.churn_at is None or t < a.churn_at):
                    break
            else:
                continue
            if a.index in self.lost_renewal:
                weights = (0.1, 0.2, 0.7)
            elif a.white_glove:
                weights = (0.55, 0.3, 0.15)
            else:
                weights = (0.4, 0.3, 0.3)
            bucket = rng.choices(("promoter", "passive", "detractor"), weights=weights)[0]
            score = {"promoter": rng.randint(9, 10), "passive": rng.randint(7, 8),
                     "detractor": rng.choice((0, 2, 3, 4, 5, 5, 6, 6, 6))}[bucket]
            number = next(ids)
            yield self._sf(
                "NPS_Response__c",
                sf_id("a0X", number),
                {
                    "Name": f"NPS-{number:06d}",
                    "Account__c": a.sf_id,
                    "Contact__c": rng.choice(a.contacts).contact_id,
                    "Score__c": score,
                    "Comment__c": rng.choice(texts.NPS_COMMENTS[bucket]),
                    "CreatedDate": salesforce(t),
                },
                t,
            )
