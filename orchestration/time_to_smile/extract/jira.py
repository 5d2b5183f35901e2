"""Jira Cloud: enhanced JQL search, bounded on every pull, with each issue's whole changelog.

- `POST /rest/api/3/search/jql` with `{jql, maxResults, fields: ["*all"],
  expand: "changelog", nextPageToken}`; the last page has no `nextPageToken`.
  The JQL is always bounded (`updated >= "<minute>" ORDER BY updated ASC, key
  ASC`): the enhanced search refuses an unbounded query. The first pull starts
  at `ExtractConfig.jira_start` (JIRA_START_DATE, default 1970-01-01); later
  pulls at the newest `fields.updated` seen, to the minute (issues of that
  minute come back once more; the loader's newest-wins merge makes them
  no-ops). JQL dates are read in the account's time zone, so the minute is
  written in the zone `GET /rest/api/3/myself` reports.
- The search returns at most 40 changelog histories, newest first. An issue
  with 40 or more (or a `total` above what came) gets its whole changelog from
  `GET /rest/api/3/issue/{key}/changelog` (`startAt`/`maxResults`, oldest
  first), written into the record newest first, as the search returns them.
Auth: HTTP Basic `{email}:{api_token}`.
"""

from __future__ import annotations

import base64
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dlt.sources.helpers.rest_client.paginators import BasePaginator, JSONResponseCursorPaginator

from .config import ExtractConfig, require
from .engine import Drop, Page, Stream, Vendor
from .errors import VendorError
from .http import VendorClient
from .requested import instant, newest, request, request_pages

SEARCH = "/rest/api/3/search/jql"
SEARCH_CHANGELOG_CAP = 40  # histories an issue carries in a search answer
CHANGELOG_PAGE = 100


def client(config: ExtractConfig) -> VendorClient:
    email = require(config.jira_email, "JIRA_EMAIL")
    token = require(config.jira_api_token, "JIRA_API_TOKEN")
    base = require(config.jira_base_url, "JIRA_BASE_URL")
    basic = base64.b64encode(f"{email}:{token}".encode()).decode()
    return VendorClient("Jira", base, {"Authorization": f"Basic {basic}"}, config,
                        credential_hint="JIRA_EMAIL and JIRA_API_TOKEN")


class ChangelogPaginator(BasePaginator):
    """`startAt`/`maxResults` paging that advances by what came, not by what was asked: Jira "may
    return fewer items per page" than `maxResults`, and an offset that jumps by the limit skips them."""

    def update_state(self, response, data=None) -> None:
        body = response.json()
        self.next_start = int(body.get("startAt") or 0) + len(data or [])
        self._has_next_page = bool(data) and not body.get("isLast", self.next_start >= int(body.get("total") or 0))

    def update_request(self, request) -> None:
        request.params = {**(request.params or {}), "startAt": self.next_start}


def _with_whole_changelog(api: VendorClient, issue: dict) -> dict:
    changelog = issue.get("changelog") or {}
    histories = changelog.get("histories") or []
    if len(histories) < SEARCH_CHANGELOG_CAP and (changelog.get("total") or 0) <= len(histories):
        return issue
    everything = [
        history
        for page in api.pages(f"/rest/api/3/issue/{issue['key']}/changelog", data_selector="values",
                              params={"startAt": 0, "maxResults": CHANGELOG_PAGE}, paginator=ChangelogPaginator())
        for history in page
    ]
    everything.reverse()  # the changelog endpoint is oldest first; the search, newest first
    return {**issue, "changelog": {"startAt": 0, "maxResults": len(everything), "total": len(everything),
                                   "histories": everything}}


def vendor(config: ExtractConfig) -> Vendor:
    api = client(config)
    account: dict = {}

    def check() -> None:
        account.update(api.get("/rest/api/3/myself") or {})

    def jql_minute(updated: str) -> str:
        try:
            zone = ZoneInfo(account.get("timeZone") or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            zone = ZoneInfo("UTC")
        return instant(updated).astimezone(zone).strftime("%Y-%m-%d %H:%M")

    def start(previous: dict | None) -> dict:
        since = (previous or {}).get("updated")
        bound = jql_minute(since) if since else config.jira_start
        body = {"jql": f'updated >= "{bound}" ORDER BY updated ASC, key ASC',
                "maxResults": min(config.page_size, 100), "fields": ["*all"], "expand": "changelog"}
        return {"request": request(SEARCH, json=body), **({"updated": since} if since else {})}

    def pages(position: dict) -> Iterator[Page]:
        paginator = lambda: JSONResponseCursorPaginator(cursor_path="nextPageToken", cursor_body_path="nextPageToken")
        current = position
        try:
            for page in request_pages(api, current, method="POST", paginator=paginator, data_selector="issues",
                                      marks=newest(lambda issue: (issue.get("fields") or {}).get("updated"), "updated")):
                current = page.position
                yield Page([_with_whole_changelog(api, issue) for issue in page.records], page.position, page.last)
        except VendorError as error:
            # "This token will expire in 7 days": a run resumed later searches again from the newest
            # `updated` it committed (issues of that minute come once more), instead of failing forever
            if error.status != 400 or not (current["request"]["json"] or {}).get("nextPageToken"):
                raise
            since = current.get("updated")
            api.say(f"jira_issues: the search's page token was refused ({error}); searching again from "
                    f"updated >= {since or config.jira_start}")
            yield from pages({**start({"updated": since} if since else None), "restarts": current.get("restarts", 0) + 1})

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"updated": position["updated"]} if position.get("updated") else previous

    def streams(_drop: Drop) -> list[Stream]:
        return [Stream("jira", "issues", start, pages, finish,
                       lambda position: f"{position['restarts']} expired page token(s), searched again from the last "
                                        "mark" if position.get("restarts") else "")]

    return Vendor(api, streams, check)
