"""The company's Zendesk directory as the API returns it: users (agents and customers), groups,
organizations, ticket fields and business-hours schedules, rendered from the in-memory
company (company.py)."""

from __future__ import annotations

from .clock import DAY, HOUR, zendesk
from .company import (
    FIELD_IMPACT_STARTED,
    FIELD_ORDER_NUMBER,
    FIELD_PRODUCT_AREA,
    FIELD_TIME_SPENT,
    Company,
)
from .sites import SITES


def user_records(company: Company, start: int):
    for agent in company.agents:
        yield {
            "id": agent.user_id,
            "name": agent.name,
            "email": agent.email,
            "role": agent.role,
            "organization_id": None,
            "default_group_id": agent.group_id,
            "active": True,
            "time_zone": SITES[agent.site].zendesk_zone,
            "created_at": zendesk(agent.created),
            "updated_at": zendesk(agent.created + 3 * DAY),
        }
    for account in company.accounts:
        for person in account.contacts:
            yield {
                "id": person.user_id,
                "name": person.name,
                "email": person.email,
                "role": "end-user",
                "organization_id": account.org_id,
                "default_group_id": None,
                "active": True,
                "time_zone": "Eastern Time (US & Canada)",
                "created_at": zendesk(person.created),
                "updated_at": zendesk(min(person.created + 2 * DAY, start - HOUR)),
            }


def group_records(company: Company):
    t = company.directory_time
    for i, (name, gid) in enumerate(company.groups.items()):
        yield {
            "id": gid,
            "name": name,
            "description": f"{name} queue",
            "default": i == 0,
            "deleted": False,
            "created_at": zendesk(t + i * HOUR),
            "updated_at": zendesk(t + 30 * DAY + i * HOUR),
        }


def organization_records(company: Company):
    for account in company.accounts:
        yield {
            "id": account.org_id,
            "name": account.name,
            "external_id": account.sf_id,
            "domain_names": [account.domain],
            "tags": [account.segment.lower().replace("-", "_")],
            "created_at": zendesk(account.created + HOUR),
            "updated_at": zendesk(account.created + 2 * HOUR),
        }


def ticket_field_records(company: Company, topics):
    t = company.directory_time
    fields = [
        {"id": FIELD_IMPACT_STARTED, "title": "Impact started at", "type": "text"},
        {"id": FIELD_TIME_SPENT, "title": "Total time spent (sec)", "type": "integer"},
        {
            "id": FIELD_PRODUCT_AREA,
            "title": "Product area",
            "type": "tagger",
            "custom_field_options": [
                {"name": topic.key.replace("_", " ").title(), "value": f"area_{topic.key}"} for topic in topics
            ],
        },
        {"id": FIELD_ORDER_NUMBER, "title": "Order number", "type": "text"},
    ]
    for i, record in enumerate(fields):
        record.update(
            {
                "active": True,
                "required": False,
                "created_at": zendesk(t + i * DAY),
                "updated_at": zendesk(t + (i + 10) * DAY),
            }
        )
        yield record


def _weekday_intervals(start_minute: int, end_minute: int) -> list[dict[str, int]]:
    # Minutes from Sunday 00:00; Monday is day 1.
    return [{"start_time": d * 1440 + start_minute, "end_time": d * 1440 + end_minute} for d in range(1, 6)]


def schedule_records(company: Company):
    t = company.directory_time
    yield {
        "id": 1,
        "name": "Support hours",
        "time_zone": "Eastern Time (US & Canada)",
        "intervals": _weekday_intervals(9 * 60, 17 * 60),
        "created_at": zendesk(t),
        "updated_at": zendesk(t + 5 * DAY),
    }
    yield {
        "id": 2,
        "name": "EMEA hours",
        "time_zone": "London",
        "intervals": _weekday_intervals(8 * 60, 16 * 60),
        "created_at": zendesk(t + DAY),
        "updated_at": zendesk(t + 6 * DAY),
    }
