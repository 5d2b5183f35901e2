"""Jira Cloud: enhanced JQL search with `nextPageToken` paging.

`POST /rest/api/3/search/jql` with `{jql, maxResults, fields: ["*all"],
expand: "changelog", nextPageToken}`; a page without `nextPageToken` is the
last. The JQL is `updated >= "<high-water mark>" ORDER BY updated ASC` after
the first run (`ORDER BY updated ASC` before), where the mark is the newest
`fields.updated` seen. JQL compares to the minute, so issues updated in the
mark's minute are fetched again next run; the loader's newest-wins merge makes
them no-ops. Auth: HTTP Basic `{email}:{api_token}`.
"""

from __future__ import annotations

import base64
import datetime as dt

from .client import ExtractConfig, Http, Page, Stream, require

SEARCH = "/rest/api/3/search/jql"


def http(config: ExtractConfig) -> Http:
    email = require(config.jira_email, "JIRA_EMAIL")
    token = require(config.jira_api_token, "JIRA_API_TOKEN")
    base = require(config.jira_base_url, "JIRA_BASE_URL")
    basic = base64.b64encode(f"{email}:{token}".encode()).decode()
    return Http(config, base, f"Basic {basic}", "Jira")


def _parse(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


def _newest(current: str | None, records: list[dict]) -> str | None:
    stamps = [r.get("fields", {}).get("updated") for r in records]
    stamps = [s for s in stamps if s] + ([current] if current else [])
    return max(stamps, key=_parse) if stamps else None


def streams(config: ExtractConfig) -> list[Stream]:
    def start(previous: dict | None) -> dict:
        since = (previous or {}).get("updated_since")
        jql = "ORDER BY updated ASC, key ASC"
        if since:
            # JQL dates are in the Jira user's time zone; use a UTC service account.
            minute = _parse(since).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
            jql = f'updated >= "{minute}" {jql}'
        return {"jql": jql, "token": None, "hwm": since}

    def fetch(client: Http, cursor: dict) -> Page:
        body = {"jql": cursor["jql"], "maxResults": min(config.page_size, 100), "fields": ["*all"],
                "expand": "changelog"}
        if cursor.get("token"):
            body["nextPageToken"] = cursor["token"]
        data = client.request("POST", SEARCH, json=body)
        issues = data.get("issues") or []
        token = data.get("nextPageToken")
        return Page(issues, {"jql": cursor["jql"], "token": token, "hwm": _newest(cursor.get("hwm"), issues)},
                    not token)

    def finish(cursor: dict, previous: dict | None) -> dict | None:
        return {"updated_since": cursor["hwm"]} if cursor.get("hwm") else previous

    return [Stream("jira", "issues", start, fetch, finish)]
