"""Zendesk Support: incremental ticket export plus cursor-paginated lists.

- tickets: `GET /api/v2/incremental/tickets/cursor.json` with `start_time`
  (first run, `ExtractConfig.zendesk_start_time`) or `cursor` (every page after
  that, and every later run); stops on `end_of_stream`. The last
  `after_cursor` is kept as the next run's starting point, so later runs only
  fetch tickets changed since.
- every other collection: `GET <path>?page[size]=N[&page[after]=C]`, following
  `meta.after_cursor` while `meta.has_more` (a full snapshot each run; the
  loader's newest-version-wins merge makes unchanged records no-ops).
Auth: HTTP Basic `{email}/token:{api_token}`.
"""

from __future__ import annotations

import base64

from .client import ExtractConfig, ExtractError, Http, Page, Stream, require

LISTS: tuple[tuple[str, str, str], ...] = (
    # collection, path, records key
    ("ticket_audits", "/api/v2/ticket_audits.json", "audits"),
    ("users", "/api/v2/users.json", "users"),
    ("groups", "/api/v2/groups.json", "groups"),
    ("organizations", "/api/v2/organizations.json", "organizations"),
    ("ticket_fields", "/api/v2/ticket_fields.json", "ticket_fields"),
    ("satisfaction_ratings", "/api/v2/satisfaction_ratings.json", "satisfaction_ratings"),
    ("schedules", "/api/v2/business_hours/schedules.json", "schedules"),
    ("jira_links", "/api/v2/jira/links", "links"),
)
TICKETS = "/api/v2/incremental/tickets/cursor.json"
MAX_PAGE = 100  # Zendesk's cap for cursor pagination page[size]


def http(config: ExtractConfig) -> Http:
    email = require(config.zendesk_email, "ZENDESK_EMAIL")
    token = require(config.zendesk_api_token, "ZENDESK_API_TOKEN")
    base = require(config.zendesk_base_url, "ZENDESK_SUBDOMAIN or ZENDESK_BASE_URL")
    basic = base64.b64encode(f"{email}/token:{token}".encode()).decode()
    return Http(config, base, f"Basic {basic}", "Zendesk")


def _tickets(config: ExtractConfig) -> Stream:
    def start(previous: dict | None) -> dict:
        if previous and previous.get("after_cursor"):
            return {"cursor": previous["after_cursor"]}
        return {"start_time": config.zendesk_start_time}

    def fetch(client: Http, cursor: dict) -> Page:
        params = {"per_page": min(config.page_size, 1000)}
        if cursor.get("cursor"):
            params["cursor"] = cursor["cursor"]
        else:
            params["start_time"] = cursor["start_time"]
        body = client.request("GET", TICKETS, params=params)
        after = body.get("after_cursor") or cursor.get("cursor")
        next_cursor = {"cursor": after} if after else dict(cursor)
        return Page(body.get("tickets") or [], next_cursor, bool(body.get("end_of_stream")))

    def finish(cursor: dict, previous: dict | None) -> dict | None:
        return {"after_cursor": cursor["cursor"]} if cursor.get("cursor") else previous

    return Stream("zendesk", "tickets", start, fetch, finish)


def _list(config: ExtractConfig, name: str, path: str, key: str) -> Stream:
    def fetch(client: Http, cursor: dict) -> Page:
        params = {"page[size]": min(config.page_size, MAX_PAGE)}
        if cursor.get("after"):
            params["page[after]"] = cursor["after"]
        body = client.request("GET", path, params=params)
        meta = body.get("meta") or {}
        has_more = bool(meta.get("has_more"))
        if has_more and not meta.get("after_cursor"):
            raise ExtractError(f"Zendesk {path}: has_more without meta.after_cursor")
        return Page(body.get(key) or [], {"after": meta.get("after_cursor")}, not has_more)

    return Stream("zendesk", name, lambda previous: {"after": None}, fetch)


def streams(config: ExtractConfig) -> list[Stream]:
    return [_tickets(config)] + [_list(config, name, path, key) for name, path, key in LISTS]
