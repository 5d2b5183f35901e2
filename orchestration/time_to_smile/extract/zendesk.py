"""Zendesk Support: each collection from the endpoint documented for keeping a copy in sync.

| collection | endpoint | next run starts at |
|---|---|---|
| tickets | `GET /api/v2/incremental/tickets/cursor.json` (cursor export) | the last `after_cursor` |
| ticket_audits | `GET /api/v2/tickets/{id}/audits.json` for each ticket this run's export returned | (follows the tickets) |
| users | `GET /api/v2/incremental/users/cursor.json` (cursor export) | the last `after_cursor` |
| organizations | `GET /api/v2/incremental/organizations.json` (time-based export) | the last `end_time` |
| satisfaction_ratings | `GET /api/v2/satisfaction_ratings.json?start_time=` (cursor pages) | the newest `updated_at` |
| jira_links | `GET /api/v2/jira/links` (ordered by id, `page[after]`) | the highest link id |
| groups, ticket_fields | cursor pages (`page[size]`, `meta.has_more`), in full | (small: in full each run) |
| schedules | `GET /api/v2/business_hours/schedules.json` (not paginated), in full | (small: in full each run) |

Why per-ticket audits: `/api/v2/ticket_audits` leaves out archived tickets
(closed more than 120 days) and is documented as not for capturing changes;
the Incremental Ticket Event Export returns another shape (`child_events`,
comments only as a sideload), not sources.md's `audits[]`. A ticket's own
audits endpoint returns exactly that shape, archived tickets included, for
exactly the tickets that changed (docs/extract.md).

The incremental exports allow 10 requests a minute: the client keeps to it.
Auth: HTTP Basic `{email}/token:{api_token}`.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Iterator

from dlt.sources.helpers.rest_client.paginators import (
    BasePaginator,
    JSONLinkPaginator,
    JSONResponseCursorPaginator,
    SinglePagePaginator,
)

from .config import ExtractConfig, require
from .engine import Drop, Page, Stream, Vendor
from .errors import ExtractError, VendorError
from .http import Pace, VendorClient
from .requested import instant, newest, next_request, request, request_stream

EXPORTS = "/api/v2/incremental/"
MAX_CURSOR_PAGE = 100  # "Most endpoints limit this to a maximum of 100"
MAX_EXPORT_PAGE = 1000


class ExportCursorPaginator(JSONResponseCursorPaginator):
    """Cursor-based incremental export: `start_time` on the first request, `cursor` after it, until
    `end_of_stream` (an `after_cursor` comes even then: it is where the next run starts)."""

    def __init__(self) -> None:
        super().__init__(cursor_path="after_cursor", cursor_param="cursor")

    def update_state(self, response, data=None) -> None:
        body = response.json()
        self._next_reference = None if body.get("end_of_stream") else body.get("after_cursor")

    def update_request(self, request) -> None:
        super().update_request(request)
        request.params.pop("start_time", None)


class ExportTimePaginator(JSONLinkPaginator):
    """Time-based incremental export: follow `next_page` until `end_of_stream`."""

    def __init__(self) -> None:
        super().__init__(next_url_path="next_page")

    def update_state(self, response, data=None) -> None:
        body = response.json()
        self._next_reference = None if body.get("end_of_stream") else body.get("next_page")


def cursor_pages() -> BasePaginator:
    return JSONResponseCursorPaginator(cursor_path="meta.after_cursor", cursor_param="page[after]",
                                       has_more_path="meta.has_more")


class AfterLastIdPaginator(BasePaginator):
    """Jira links are "ordered by id" and `page[after]` is an id: the last id seen is the cursor.
    (The reference's example shows `meta.after_cursor` as a URL while the parameter is typed an
    integer; the last id is unambiguous.)"""

    def update_state(self, response, data=None) -> None:
        more = bool((response.json().get("meta") or {}).get("has_more"))
        self.last_id = data[-1].get("id") if data else None
        self._has_next_page = more and self.last_id is not None

    def update_request(self, request) -> None:
        request.params = {**(request.params or {}), "page[after]": self.last_id}


def client(config: ExtractConfig) -> VendorClient:
    email = require(config.zendesk_email, "ZENDESK_EMAIL")
    token = require(config.zendesk_api_token, "ZENDESK_API_TOKEN")
    base = require(config.zendesk_base_url, "ZENDESK_SUBDOMAIN or ZENDESK_BASE_URL")
    basic = base64.b64encode(f"{email}/token:{token}".encode()).decode()
    return VendorClient("Zendesk", base, {"Authorization": f"Basic {basic}"}, config,
                        paces=(Pace(EXPORTS, config.zendesk_exports_per_minute),),
                        credential_hint="ZENDESK_EMAIL and ZENDESK_API_TOKEN")


def check(api: VendorClient) -> None:
    """The credentials work and may export: `users/me` answers an anonymous user (no id) when they are not
    accepted, and the incremental exports are allowed for admins only."""
    me = (api.get("/api/v2/users/me.json") or {}).get("user") or {}
    if not me.get("id"):
        raise ExtractError("Zendesk: GET /api/v2/users/me.json answered an anonymous user: the credentials were "
                           "not accepted (check ZENDESK_EMAIL and ZENDESK_API_TOKEN)")
    if me.get("role") not in (None, "admin"):
        raise ExtractError(f"Zendesk: {me.get('email') or me['id']} is an {me.get('role')}, and the incremental "
                           "exports are allowed for admins only: use an admin's API token")


def _not_before_a_minute_ago(config: ExtractConfig, start_time: int) -> int:
    """"start_time ... must be at least one minute in the past": an earlier start only repeats records."""
    return min(int(start_time), int(config.clock.now()) - 61)


def _cursor_export(api: VendorClient, config: ExtractConfig, name: str, path: str) -> Stream:
    def first(previous: dict | None) -> dict:
        per_page = min(config.export_page_size, MAX_EXPORT_PAGE)
        if previous and previous.get("after_cursor"):
            return request(path, {"per_page": per_page, "cursor": previous["after_cursor"]})
        return request(path, {"per_page": per_page, "start_time": _not_before_a_minute_ago(config, config.zendesk_start_time)})

    def after_cursor(_records: list[dict], body: dict, kept: dict) -> dict:
        return {"after_cursor": body.get("after_cursor") or kept.get("after_cursor")}

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"after_cursor": position["after_cursor"]} if position.get("after_cursor") else previous

    return request_stream("zendesk", name, api, first_request=first, paginator=ExportCursorPaginator,
                          data_selector=name, marks=after_cursor, finish=finish)


def _organizations(api: VendorClient, config: ExtractConfig) -> Stream:
    path = "/api/v2/incremental/organizations.json"

    def first(previous: dict | None) -> dict:
        since = (previous or {}).get("end_time", config.zendesk_start_time)
        return request(path, {"per_page": min(config.export_page_size, MAX_EXPORT_PAGE),
                              "start_time": _not_before_a_minute_ago(config, since)})

    def end_time(_records: list[dict], body: dict, kept: dict) -> dict:
        return {"end_time": body.get("end_time") or kept.get("end_time")}

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"end_time": position["end_time"]} if position.get("end_time") else previous

    return request_stream("zendesk", "organizations", api, first_request=first, paginator=ExportTimePaginator,
                          data_selector="organizations", marks=end_time, finish=finish)


def _ticket_audits(api: VendorClient, drop: Drop) -> Stream:
    def changed_tickets() -> list[Any]:
        """This extract's tickets, each once, in export order, but those deleted (they have no audits)."""
        path = drop.final("zendesk", "tickets")
        status: dict[Any, Any] = {}
        if path.exists():
            with open(path, encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    if record.get("id") is not None:
                        status[record["id"]] = record.get("status")  # a later line is a newer version
        return [ticket for ticket, state in status.items() if state != "deleted"]

    def pages(position: dict) -> Iterator[Page]:
        tickets = changed_tickets()
        index, resume, gone = position["index"], position["request"], position["gone"]
        while index < len(tickets):
            start = resume or request(f"/api/v2/tickets/{tickets[index]}/audits.json")
            resume = None
            try:
                # offset pages (`next_page`): "Audits for Archived Tickets do not support pagination",
                # and come whole in one answer without a next page
                for page in api.pages(start["url"], params=start["params"], data_selector="audits",
                                      paginator=JSONLinkPaginator(next_url_path="next_page")):
                    if page.paginator.has_next_page:
                        yield Page(list(page), {"index": index, "request": next_request(page), "gone": gone}, False)
                    else:
                        index += 1
                        yield Page(list(page), {"index": index, "request": None, "gone": gone}, index == len(tickets))
            except VendorError as error:
                if error.status != 404:  # deleted since the export: nothing to fetch
                    raise
                index, gone = index + 1, gone + 1
                yield Page([], {"index": index, "request": None, "gone": gone}, index == len(tickets))

    def notes(position: dict) -> str:
        return f"{position['gone']} tickets deleted since the export (404), no audits" if position.get("gone") else ""

    return Stream("zendesk", "ticket_audits", lambda previous: {"index": 0, "request": None, "gone": 0}, pages,
                  notes=notes)


def _satisfaction_ratings(api: VendorClient, config: ExtractConfig) -> Stream:
    path = "/api/v2/satisfaction_ratings.json"

    def first(previous: dict | None) -> dict:
        params: dict[str, Any] = {"page[size]": min(config.page_size, MAX_CURSOR_PAGE)}
        if previous and previous.get("updated_at"):
            params["start_time"] = int(instant(previous["updated_at"]).timestamp())
        return request(path, params)

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"updated_at": position["updated_at"]} if position.get("updated_at") else previous

    return request_stream("zendesk", "satisfaction_ratings", api, first_request=first, paginator=cursor_pages,
                          data_selector="satisfaction_ratings", marks=newest(lambda rating: rating.get("updated_at"), "updated_at"), finish=finish)


def _jira_links(api: VendorClient, config: ExtractConfig) -> Stream:
    def first(previous: dict | None) -> dict:
        params: dict[str, Any] = {"page[size]": min(config.page_size, MAX_CURSOR_PAGE)}
        if previous and previous.get("id") is not None:
            params["page[after]"] = previous["id"]
        return request("/api/v2/jira/links", params)

    def highest_id(records: list[dict], _body: dict, kept: dict) -> dict:
        ids = [r["id"] for r in records if isinstance(r.get("id"), int)] + ([kept["id"]] if kept.get("id") is not None else [])
        return {"id": max(ids)} if ids else {}

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"id": position["id"]} if position.get("id") is not None else previous

    return request_stream("zendesk", "jira_links", api, first_request=first, paginator=AfterLastIdPaginator,
                          data_selector="links", marks=highest_id, finish=finish)


def _in_full(api: VendorClient, config: ExtractConfig, name: str, path: str, key: str, paged: bool) -> Stream:
    params = {"page[size]": min(config.page_size, MAX_CURSOR_PAGE)} if paged else None
    return request_stream("zendesk", name, api, first_request=lambda previous: request(path, params),
                          paginator=cursor_pages if paged else SinglePagePaginator, data_selector=key)


def vendor(config: ExtractConfig) -> Vendor:
    api = client(config)

    def streams(drop: Drop) -> list[Stream]:
        return [
            # tickets first: the audits follow the tickets this run's export returned
            _cursor_export(api, config, "tickets", "/api/v2/incremental/tickets/cursor.json"),
            _ticket_audits(api, drop),
            _cursor_export(api, config, "users", "/api/v2/incremental/users/cursor.json"),
            _organizations(api, config),
            _satisfaction_ratings(api, config),
            _jira_links(api, config),
            _in_full(api, config, "groups", "/api/v2/groups.json", "groups", paged=True),
            _in_full(api, config, "ticket_fields", "/api/v2/ticket_fields.json", "ticket_fields", paged=True),
            _in_full(api, config, "schedules", "/api/v2/business_hours/schedules.json", "schedules", paged=False),
        ]

    return Vendor(api, streams, check=lambda: check(api))
