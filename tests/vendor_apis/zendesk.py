"""Zendesk Support API double, written from Zendesk's published documentation.

Documented behaviours implemented (URL per behaviour; repeated next to the code):

Auth - Basic `{email}/token:{api_token}`; a wrong or missing credential on an admin/agent
endpoint gets 401 `{"error": "Couldn't authenticate you"}`.
  https://developer.zendesk.com/api-reference/introduction/security-and-auth/
  (401 body as observed: https://support.zendesk.com/hc/ja/community/posts/9173361687706-Trying-to-create-api-via-c)
`GET /api/v2/users/me` - "Allowed For: Anonymous users": without credentials it answers 200
with an anonymous user; with wrong credentials 401.
  https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self
Incremental exports (tickets cursor, users cursor, organizations time-based):
  https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
  https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api
  - `start_time` must be at least one minute in the past; items changed in the most recent
    minute are not returned (a too recent start_time gets 422 `{"error": "InvalidValue",
    "description": "Too recent start_time. ..."}`: the body is not in the docs, it is what
    clients handle, e.g. treasure-data/embulk-input-zendesk).
  - `per_page` up to 1,000, default 1,000; tickets are compared on `generated_timestamp`;
    deleted tickets stay in the stream (status "deleted") unless `exclude_deleted=true`;
    archived tickets are exported (https://support.zendesk.com/hc/en-us/articles/4408887617050:
    archived tickets "remain accessible for reporting, data export, and API use").
  - cursor responses: `after_cursor`, `after_url`, `before_cursor`, `before_url`,
    `end_of_stream`; time-based: `end_time`, `next_page`, `count`, `end_of_stream`, and a
    page may exceed per_page when items share a timestamp (so the next page, which starts
    at `end_time`, repeats them: the documented duplicates).
  - 10 requests per minute (`incremental_limit_per_minute`); the cursor-based user export
    has its own limit, 20 per minute (`incremental_users_cursor_limit_per_minute`) with a
    `Zendesk-RateLimit-incremental-exports-cursor` header. Past a limit: 429 with
    `Retry-After` (seconds) and a text body.
    https://developer.zendesk.com/api-reference/introduction/rate-limits/
    https://developer.zendesk.com/documentation/ticketing/using-the-zendesk-api/best-practices-for-avoiding-rate-limiting/
Pagination of list endpoints: `page[size]` selects cursor pagination (max 100: `meta.has_more`,
`meta.after_cursor`, `meta.before_cursor`, `links.next`, `links.prev`); without it offset
pagination (`page`, `per_page`, `next_page`, `previous_page`, `count`; 400 past 10,000 records).
  https://developer.zendesk.com/api-reference/introduction/pagination/
  https://support.zendesk.com/hc/en-us/articles/5591904358938-New-limits-for-offset-based-pagination
Ticket audits: https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/
  - `GET /api/v2/ticket_audits` leaves out archived tickets; standard cursor pagination with
    `page[...]`, otherwise the legacy `cursor`/`limit` method (limit max and default 1,000,
    first page = most recent audits, `before_*` older, `after_*` newer, null when none).
  - `GET /api/v2/tickets/{id}/audits` includes archived tickets (whose audits are not
    paginated), cursor or offset pagination, max 100 per page; an unknown or deleted ticket
    gets 404 `{"error": "RecordNotFound", "description": "Not found"}`
    (body: https://github.com/zendesk/zendesk_api_client_rb/issues/151).
  - archived = closed for 120 days (https://support.zendesk.com/hc/en-us/articles/4408887617050);
    the file drop has no closed-at time, so `updated_at` of a closed ticket stands in for it.
Satisfaction ratings `start_time`/`end_time`/`score` filters, cursor or offset pagination:
  https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/
Groups (cursor or offset): https://developer.zendesk.com/api-reference/ticketing/groups/groups/
Ticket fields (cursor pagination ordered by id, or no pagination ordered by position):
  https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/
Schedules (no pagination): https://developer.zendesk.com/api-reference/ticketing/ticket-management/schedules/
Jira links `GET /api/v2/jira/links`: ordered by id, 1,000 per page by default, `page[after]`
(an id), `page[size]`, `filter[ticket_id]` (ticket or issue id), `meta.after_cursor` (a URL in
the documented example), `meta.has_more`; `ticket_id`/`issue_id` are strings.
  https://developer.zendesk.com/api-reference/ticketing/jira/jira_links_legacy/
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

from .base import (Call, Response, Vendor, basic_credentials, decode_token, encode_token, json_response,
                   parse_time, reason, text_response)

DAY = 86400
NOT_FOUND = {"error": "RecordNotFound", "description": "Not found"}
RATE_LIMITED = "Number of allowed API requests per minute exceeded"


def _invalid(description: str, error: str = "InvalidValue", status: int = 400) -> Response:
    """A business-level error: JSON with `error` and `description`. The reference documents
    these statuses but not their bodies; the shape is the one of Zendesk's documented errors.
    https://developer.zendesk.com/api-reference/introduction/requests/"""
    return json_response(status, {"error": error, "description": description})


class Zendesk(Vendor):
    name = "zendesk"
    prefixes = ("/api/",)

    def __init__(self, apis) -> None:
        super().__init__(apis)
        # https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#rate-limits
        self.incremental_limit_per_minute = 10
        # "Incremental User Export, Cursor Based ... Limits: Standard 20 per 1 minute"
        self.incremental_users_cursor_limit_per_minute = 20
        # None: each endpoint's documented maximum (100 for cursor lists, 1,000 for the
        # incremental exports and Jira links); a number caps every page below that.
        self.page_size_cap: int | None = None
        self.archive_after_days = 120
        self.satisfaction_time_field = "updated_at"  # the docs do not say which timestamp
        self._windows: dict[str, tuple[float, int]] = {}

    # ------------------------------------------------------------------ plumbing
    def error(self, status: int, message: str | None = None) -> Response:
        if status == 401:
            return json_response(401, {"error": "Couldn't authenticate you"})
        if status == 404:
            return json_response(404, NOT_FOUND)
        if status == 429:
            return text_response(429, RATE_LIMITED, {"Retry-After": "60"})
        return json_response(status, {"error": message or reason(status)})

    def _url(self, path: str, params: dict) -> str:
        return f"{self.apis.url}{path}?{urlencode(params)}"

    def _cap(self, requested: str | None, default: int, maximum: int) -> int:
        try:
            size = int(requested) if requested not in (None, "") else default
        except ValueError:
            size = default
        size = max(1, min(size, maximum))
        return min(size, self.page_size_cap) if self.page_size_cap else size

    def _now(self) -> float:
        return self.clock.now()

    def _auth(self, call: Call) -> bool | None:
        """True: valid credentials, False: wrong ones, None: none given."""
        # https://developer.zendesk.com/api-reference/introduction/security-and-auth/#api-token
        if not call.headers.get("Authorization"):
            return None
        creds = self.apis.credentials["zendesk"]
        return basic_credentials(call.headers) == (f"{creds['email']}/token", creds["token"])

    def handle(self, call: Call) -> Response:
        path = call.path.removesuffix(".json")
        auth = self._auth(call)
        if path == "/api/v2/users/me":
            return self.users_me(auth)
        if not auth:
            return self.error(401)
        routes = {
            "/api/v2/incremental/tickets/cursor": self.incremental_tickets,
            "/api/v2/incremental/users/cursor": self.incremental_users,
            "/api/v2/incremental/organizations": self.incremental_organizations,
            "/api/v2/ticket_audits": self.ticket_audits,
            "/api/v2/satisfaction_ratings": self.satisfaction_ratings,
            "/api/v2/groups": self.groups,
            "/api/v2/ticket_fields": self.ticket_fields,
            "/api/v2/business_hours/schedules": self.schedules,
            "/api/v2/jira/links": self.jira_links,
        }
        if path in routes:
            if path.startswith("/api/v2/incremental/"):
                limited = self._rate_limit(path)
                if limited is not None:
                    return limited
            return routes[path](call, path)
        match = re.fullmatch(r"/api/v2/tickets/(\d+)/audits", path)
        if match:
            return self.ticket_audits_for(call, path, int(match.group(1)))
        return self.error(404)

    # ------------------------------------------------------------------ rate limit
    def _rate_limit(self, path: str) -> Response | None:
        """Fixed one-minute windows on the shared clock.
        https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#rate-limits
        https://developer.zendesk.com/api-reference/introduction/rate-limits/ (429 + Retry-After seconds)"""
        if path == "/api/v2/incremental/users/cursor":
            bucket, limit = "users_cursor", self.incremental_users_cursor_limit_per_minute
        else:
            bucket, limit = "incremental", self.incremental_limit_per_minute
        now = self._now()
        start = math.floor(now / 60) * 60
        window, count = self._windows.get(bucket, (start, 0))
        if window != start:
            window, count = start, 0
        retry_after = max(1, math.ceil(window + 60 - now))
        if limit is not None and count >= limit:
            return text_response(429, RATE_LIMITED, {"Retry-After": str(retry_after)})
        self._windows[bucket] = (window, count + 1)
        return None

    def _users_cursor_header(self) -> dict[str, str]:
        # https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-user-export-cursor-based
        window, count = self._windows.get("users_cursor", (0.0, 0))
        limit = self.incremental_users_cursor_limit_per_minute
        resets = max(0, math.ceil(window + 60 - self._now()))
        return {"Zendesk-RateLimit-incremental-exports-cursor":
                f"total={limit}; remaining={max(0, limit - count)}; resets={resets}"}

    # ------------------------------------------------------------------ tickets
    def is_archived(self, ticket: dict) -> bool:
        """Closed for `archive_after_days` (120): https://support.zendesk.com/hc/en-us/articles/4408887617050"""
        return (ticket.get("status") == "closed"
                and parse_time(ticket["updated_at"]) <= self._now() - self.archive_after_days * DAY)

    def _ticket(self, ticket_id: int) -> dict | None:
        return next((t for t in self.store.records("zendesk/tickets.jsonl") if t.get("id") == ticket_id), None)

    @staticmethod
    def _ticket_changed(ticket: dict) -> float:
        # "the API compares the start_time with the ticket's generated_timestamp value"
        if ticket.get("generated_timestamp") is not None:
            return float(ticket["generated_timestamp"])
        return parse_time(ticket["updated_at"])

    def users_me(self, auth: bool | None) -> Response:
        """https://developer.zendesk.com/api-reference/ticketing/users/users/#show-self ("Allowed For: Anonymous users")"""
        if auth is False:
            return self.error(401)
        if auth is None:
            return json_response(200, {"user": {"id": None, "url": None, "name": "Anonymous user",
                                                "email": "invalid@example.com", "role": "end-user",
                                                "active": True, "authenticity_token": "anonymous"}})
        email = self.apis.credentials["zendesk"]["email"]
        return json_response(200, {"user": {
            "id": 1, "url": f"{self.apis.url}/api/v2/users/1.json", "name": "API user", "email": email,
            "role": "admin", "active": True, "time_zone": "UTC", "authenticity_token": "token",
            "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"}})

    # ------------------------------------------------------------------ incremental exports
    def _start_time(self, call: Call) -> tuple[int | None, Response | None]:
        """start_time: required first; "Must be at least one minute in the past"
        https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#start_time"""
        raw = call.query.get("start_time")
        if raw in (None, ""):
            return None, _invalid("start_time is required")
        try:
            start = int(raw)
        except ValueError:
            return None, _invalid("start_time must be a Unix epoch time")
        if start > self._now() - 60:
            return None, _invalid("Too recent start_time. Use a start_time older than 1 minute", status=422)
        return start, None

    def _cursor_export(self, call: Call, path: str, rows: list[dict], stamp, records_key: str,
                       extra_params: dict) -> Response:
        """Cursor-based incremental export (tickets, users).
        https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
        https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api#cursor-based-incremental-exports"""
        per_page = self._cap(call.query.get("per_page"), 1000, 1000)  # "#per_page": max and default 1,000
        cursor = call.query.get("cursor")
        backwards, first_request = False, False
        if cursor:
            decoded = decode_token(cursor)
            if not (isinstance(decoded, dict) and isinstance(decoded.get("k"), list)):
                return _invalid("Invalid cursor")
            position, backwards = tuple(decoded["k"]), decoded.get("d") == "b"
        else:
            start, problem = self._start_time(call)
            if problem:
                return problem
            position, first_request = (start, -1), True
        # "any items that were created or changed within the minute prior to your request are excluded"
        horizon = self._now() - 60
        keyed = sorted(((stamp(r), r["id"]), r) for r in rows if stamp(r) <= horizon)
        if backwards:
            page = [kr for kr in keyed if kr[0] < position][-per_page:]
        else:
            page = [kr for kr in keyed if kr[0] > position][:per_page]
        last = page[-1][0] if page else position
        end_of_stream = not any(k > last for k, _ in keyed)
        after = encode_token({"k": list(last)})
        before = None
        if page and not first_request and any(k < page[0][0] for k, _ in keyed):
            before = encode_token({"k": list(page[0][0]), "d": "b"})
        return json_response(200, {
            records_key: [r for _, r in page],
            "after_cursor": after,
            "after_url": self._url(path, {**extra_params, "cursor": after}),
            "before_cursor": before,
            "before_url": self._url(path, {**extra_params, "cursor": before}) if before else None,
            "end_of_stream": end_of_stream,
        })

    def incremental_tickets(self, call: Call, path: str) -> Response:
        """https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-ticket-export-cursor-based
        Deleted tickets stay in the stream unless exclude_deleted=true (#exclude_deleted)."""
        rows = self.store.records("zendesk/tickets.jsonl")
        extra = {}
        if call.query.get("exclude_deleted", "").lower() == "true":
            rows = [t for t in rows if t.get("status") != "deleted"]
            extra["exclude_deleted"] = "true"
        if "per_page" in call.query:
            extra["per_page"] = call.query["per_page"]
        return self._cursor_export(call, path, rows, self._ticket_changed, "tickets", extra)

    def incremental_users(self, call: Call, path: str) -> Response:
        """https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-user-export-cursor-based"""
        extra = {"per_page": call.query["per_page"]} if "per_page" in call.query else {}
        response = self._cursor_export(call, path, self.store.records("zendesk/users.jsonl"),
                                       lambda u: parse_time(u["updated_at"]), "users", extra)
        response.headers.update(self._users_cursor_header())
        return response

    def incremental_organizations(self, call: Call, path: str) -> Response:
        """Time-based export: https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/#incremental-organization-export
        end_time = the most recent time in the page, to be used as the next start_time; the
        page may exceed per_page to keep items that share a timestamp together (#per_page note),
        so the next page repeats them (duplicates, as the docs warn)."""
        start, problem = self._start_time(call)
        if problem:
            return problem
        per_page = self._cap(call.query.get("per_page"), 1000, 1000)
        horizon = self._now() - 60
        stamp = lambda o: parse_time(o["updated_at"])  # noqa: E731
        rows = sorted((r for r in self.store.records("zendesk/organizations.jsonl")
                       if start <= stamp(r) <= horizon), key=lambda r: (stamp(r), r["id"]))
        page = rows[:per_page]
        if page:
            last = stamp(page[-1])
            page = [r for r in rows if stamp(r) <= last]  # the whole last-timestamp group
            if last == start and len(page) < len(rows):
                # a page made only of items at start_time would be served forever: take the
                # next timestamp group too (the docs do not cover this case)
                nxt = stamp(rows[len(page)])
                page = [r for r in rows if stamp(r) <= nxt]
        end_time = int(stamp(page[-1])) if page else start
        params = {"start_time": end_time}
        if "per_page" in call.query:
            params["per_page"] = call.query["per_page"]
        return json_response(200, {
            "organizations": page,
            "count": len(page),
            "end_time": end_time,
            "next_page": self._url(path, params),
            "end_of_stream": len(page) == len(rows),
        })

    # ------------------------------------------------------------------ list pagination
    def _paginate(self, call: Call, path: str, rows: list[dict], records_key: str, sort_key,
                  filters: dict, default: int = 100, maximum: int = 100) -> Response:
        """Cursor pagination when page[size]/page[after]/page[before] is given, offset otherwise.
        https://developer.zendesk.com/api-reference/introduction/pagination/"""
        rows = sorted(rows, key=sort_key)
        if any(k.startswith("page[") for k in call.query):
            size = self._cap(call.query.get("page[size]"), default, maximum)
            after, before = call.query.get("page[after]"), call.query.get("page[before]")
            if after and before:
                return _invalid("page[before] and page[after] can't be used together", "InvalidPaginationParameter")
            if after or before:
                decoded = decode_token(after or before)
                if not (isinstance(decoded, dict) and isinstance(decoded.get("k"), list)):
                    return _invalid("Invalid cursor", "InvalidPaginationParameter")
                mark = tuple(decoded["k"])
                if after:
                    rest = [r for r in rows if tuple(sort_key(r)) > mark]
                    page, has_more = rest[:size], len(rest) > size
                else:
                    rest = [r for r in rows if tuple(sort_key(r)) < mark]
                    page, has_more = rest[-size:], len(rest) > size
            else:
                page, has_more = rows[:size], len(rows) > size
            after_cursor = encode_token({"k": list(sort_key(page[-1]))}) if page else None
            before_cursor = encode_token({"k": list(sort_key(page[0]))}) if page else None
            base = {**filters, "page[size]": size}
            more_after = bool(page) and (has_more if not before else True)
            return json_response(200, {
                records_key: page,
                "meta": {"has_more": more_after, "after_cursor": after_cursor, "before_cursor": before_cursor},
                "links": {
                    "next": self._url(path, {**base, "page[after]": after_cursor}) if more_after else None,
                    "prev": self._url(path, {**base, "page[before]": before_cursor}) if page else None,
                },
            })
        # offset pagination: https://developer.zendesk.com/documentation/api-basics/pagination/paginating-through-lists
        try:
            number = max(1, int(call.query.get("page") or 1))
        except ValueError:
            number = 1
        per_page = self._cap(call.query.get("per_page"), default, maximum)
        if (number - 1) * per_page >= 10000:
            # https://support.zendesk.com/hc/en-us/articles/5591904358938-New-limits-for-offset-based-pagination
            return _invalid("Offset pagination is limited to the first 10,000 records", "InvalidPaginationParameter")
        page = rows[(number - 1) * per_page: number * per_page]
        base = {**filters, "per_page": per_page}
        return json_response(200, {
            records_key: page,
            "next_page": self._url(path, {**base, "page": number + 1}) if number * per_page < len(rows) else None,
            "previous_page": self._url(path, {**base, "page": number - 1}) if number > 1 else None,
            "count": len(rows),
        })

    @staticmethod
    def _audit_key(audit: dict) -> tuple:
        return (parse_time(audit["created_at"]), audit["id"])

    def ticket_audits(self, call: Call, path: str) -> Response:
        """List All Ticket Audits: "Archived tickets are not included in the response."
        https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/#list-all-ticket-audits"""
        tickets = {t["id"]: t for t in self.store.records("zendesk/tickets.jsonl")}
        hidden = {i for i, t in tickets.items() if self.is_archived(t) or t.get("status") == "deleted"}
        rows = [a for a in self.store.records("zendesk/ticket_audits.jsonl") if a.get("ticket_id") not in hidden]
        if any(k.startswith("page[") for k in call.query):
            return self._paginate(call, path, rows, "audits", self._audit_key, {})
        return self._legacy_audits(call, path, rows)

    def _legacy_audits(self, call: Call, path: str, rows: list[dict]) -> Response:
        """Legacy `cursor`/`limit` pagination, the default for this endpoint: ordered by created_at
        then id, first page = most recent audits, after_* newer, before_* older, null when none;
        limit max and default 1,000. (Described in the endpoint's earlier reference text:
        https://developers.qodex.ai/integration-flows/zendesk-support-api/api-v2-10/list-all-ticket-audits-3
        and in the example response of
        https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/#list-all-ticket-audits)"""
        limit = self._cap(call.query.get("limit"), 1000, 1000)
        keyed = sorted(rows, key=self._audit_key)
        cursor = call.query.get("cursor")
        if cursor:
            decoded = decode_token(cursor)
            if not (isinstance(decoded, dict) and isinstance(decoded.get("k"), list)):
                return _invalid("Invalid cursor")
            mark = tuple(decoded["k"])
            if decoded.get("d") == "b":
                page = [a for a in keyed if self._audit_key(a) < mark][-limit:]
            else:
                page = [a for a in keyed if self._audit_key(a) > mark][:limit]
        else:
            page = keyed[-limit:]
        older = bool(page) and self._audit_key(keyed[0]) < self._audit_key(page[0])
        newer = bool(page) and self._audit_key(keyed[-1]) > self._audit_key(page[-1])
        after = encode_token({"k": list(self._audit_key(page[-1]))}) if newer else None
        before = encode_token({"k": list(self._audit_key(page[0])), "d": "b"}) if older else None
        return json_response(200, {
            "audits": page,
            "after_cursor": after,
            "after_url": self._url(path, {"cursor": after, "limit": limit}) if after else None,
            "before_cursor": before,
            "before_url": self._url(path, {"cursor": before, "limit": limit}) if before else None,
        })

    def ticket_audits_for(self, call: Call, path: str, ticket_id: int) -> Response:
        """List Audits for a Ticket: cursor or offset pagination, max 100 per page; "Audits for
        Archived Tickets do not support pagination for this endpoint."
        https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_audits/#list-audits-for-a-ticket"""
        ticket = self._ticket(ticket_id)
        if ticket is None or ticket.get("status") == "deleted":
            return json_response(404, NOT_FOUND)
        rows = sorted((a for a in self.store.records("zendesk/ticket_audits.jsonl") if a.get("ticket_id") == ticket_id),
                      key=self._audit_key)
        if self.is_archived(ticket):
            if any(k.startswith("page[") for k in call.query):
                return json_response(200, {"audits": rows,
                                           "meta": {"has_more": False, "after_cursor": None, "before_cursor": None},
                                           "links": {"next": None, "prev": None}})
            return json_response(200, {"audits": rows, "next_page": None, "previous_page": None, "count": len(rows)})
        return self._paginate(call, path, rows, "audits", self._audit_key, {})

    # ------------------------------------------------------------------ other lists
    def satisfaction_ratings(self, call: Call, path: str) -> Response:
        """Filters score, start_time ("Time of the oldest satisfaction rating"), end_time ("Time of
        the most recent satisfaction rating"); cursor or offset pagination.
        https://developer.zendesk.com/api-reference/ticketing/ticket-management/satisfaction_ratings/#list-satisfaction-ratings
        The docs do not name the timestamp the time filters read: `satisfaction_time_field`."""
        rows = list(self.store.records("zendesk/satisfaction_ratings.jsonl"))
        filters = {}
        for name, keep in (("start_time", lambda t, v: t >= v), ("end_time", lambda t, v: t <= v)):
            if call.query.get(name):
                try:
                    bound = int(call.query[name])
                except ValueError:
                    return _invalid(f"{name} must be a Unix epoch time")
                rows = [r for r in rows if keep(parse_time(r[self.satisfaction_time_field]), bound)]
                filters[name] = bound
        score = call.query.get("score")
        if score:
            rows = [r for r in rows if _score_matches(r, score)]
            filters["score"] = score
        return self._paginate(call, path, rows, "satisfaction_ratings", lambda r: (r["id"],), filters)

    def groups(self, call: Call, path: str) -> Response:
        """https://developer.zendesk.com/api-reference/ticketing/groups/groups/#list-groups"""
        return self._paginate(call, path, self.store.records("zendesk/groups.jsonl"), "groups",
                              lambda r: (r["id"],), {})

    def ticket_fields(self, call: Call, path: str) -> Response:
        """Pagination: "Cursor pagination (recommended), No pagination". "Cursor pagination returns a
        maximum of 100 records per page and fields are returned in the order specified by their id.
        If the results are not paginated, every field is returned ... in the order specified by the
        position." https://developer.zendesk.com/api-reference/ticketing/tickets/ticket_fields/#list-ticket-fields"""
        rows = self.store.records("zendesk/ticket_fields.jsonl")
        if any(k.startswith("page[") for k in call.query):
            return self._paginate(call, path, rows, "ticket_fields", lambda r: (r["id"],), {})
        return json_response(200, {"ticket_fields": sorted(rows, key=lambda r: (r.get("position", 0), r["id"]))})

    def schedules(self, call: Call, path: str) -> Response:
        """List Schedules documents no pagination: every schedule in one response.
        https://developer.zendesk.com/api-reference/ticketing/ticket-management/schedules/#list-schedules"""
        return json_response(200, {"schedules": sorted(self.store.records("zendesk/schedules.jsonl"),
                                                       key=lambda r: r["id"])})

    def jira_links(self, call: Call, path: str) -> Response:
        """https://developer.zendesk.com/api-reference/ticketing/jira/jira_links_legacy/#list-links
        "ordered by id"; "By default, this endpoint retrieves 1000 links per page"; page[after] is an
        integer (the id after which to start); filter[ticket_id] matches a ticket id or an issue id."""
        rows = sorted(self.store.records("zendesk/jira_links.jsonl"), key=lambda r: r["id"])
        params = {}
        wanted = call.query.get("filter[ticket_id]")
        if wanted:
            rows = [r for r in rows if wanted in (str(r.get("ticket_id")), str(r.get("issue_id")))]
            params["filter[ticket_id]"] = wanted
        size = self._cap(call.query.get("page[size]"), 1000, 1000)
        if "page[size]" in call.query:
            params["page[size]"] = size
        after = call.query.get("page[after]")
        if after:
            try:
                after_id = int(after)
            except ValueError:
                return _invalid("page[after] must be an integer", "InvalidPaginationParameter")
            rows = [r for r in rows if r["id"] > after_id]
        page, has_more = rows[:size], len(rows) > size
        links = [{**r, "ticket_id": str(r["ticket_id"]), "issue_id": str(r["issue_id"])} for r in page]
        after_cursor = self._url(path, {**params, "page[after]": page[-1]["id"]}) if has_more else None
        return json_response(200, {"links": links, "meta": {"after_cursor": after_cursor, "has_more": has_more}})


def _score_matches(rating: dict, wanted: str) -> bool:
    """Score filter values: offered, unoffered, received[_with|_without_comment],
    good[...], bad[...]; an unqualified score includes records with and without comments."""
    score, comment = rating.get("score"), rating.get("comment")
    base, _, qualifier = wanted.partition("_with")
    if base == "received":
        ok = score in ("good", "bad")
    else:
        ok = score == base
    if qualifier == "_comment":
        ok = ok and bool(comment)
    elif qualifier == "out_comment":
        ok = ok and not comment
    return ok

