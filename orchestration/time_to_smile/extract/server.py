"""A loopback stand-in for the Zendesk, Jira Cloud and Salesforce REST APIs.

`FakeApiServer(source_dir, config)` serves a generated company's file drop
(sources.md layout) over real HTTP on 127.0.0.1 (a `ThreadingHTTPServer` in a
daemon thread, ephemeral port) with each vendor's pagination:

- Zendesk incremental ticket export `GET /api/v2/incremental/tickets/cursor.json
  ?start_time=..|cursor=..&per_page=..` -> `tickets[]`, `after_cursor`,
  `after_url`, `end_of_stream` (ordered by `generated_timestamp`, `id`; the
  cursor is the last key served, so it is stable across runs).
- Zendesk cursor-paginated lists (`page[size]`, `page[after]`) -> `<key>[]`,
  `meta{has_more, after_cursor}`, `links{next}`: users, groups, organizations,
  ticket_fields, satisfaction_ratings, ticket_audits (`audits`),
  business_hours/schedules, jira/links (`links`: its records key collides with
  the pagination `links`, so it pages by `meta` only).
- Jira `GET|POST /rest/api/3/search/jql` (`jql`, `nextPageToken`, `maxResults`,
  `expand=changelog`) -> `issues[]`, `nextPageToken` (absent on the last page),
  `isLast`. Understands `updated >= "yyyy-MM-dd HH:mm"` in the JQL.
- Salesforce `GET /services/data/v60.0/query?q=SELECT .. FROM <Object> [WHERE
  <Field> >= <datetime>]` -> `records[]`, `totalSize`, `done`,
  `nextRecordsUrl` (`/services/data/v60.0/query/<token>`).

Every request needs an `Authorization` header of the vendor's scheme (Basic
for Zendesk and Jira, Bearer for Salesforce); exact values are checked when
`ServerConfig.expected_auth` names them. Faults for tests (`ServerConfig`):
`faults[n]` applies to the n-th request (1-based, counted over the server's
life): `Fault(status=429, retry_after="1")`, `Fault(status=503)`, or
`Fault(drop=True)` (send the headers and half the body, then close the
socket). `fail_paths` maps a path prefix to a status returned on every
matching request until removed.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ZENDESK_LISTS: dict[str, tuple[str, str]] = {
    # path -> (file stem, records key)
    "/api/v2/users.json": ("users", "users"),
    "/api/v2/groups.json": ("groups", "groups"),
    "/api/v2/organizations.json": ("organizations", "organizations"),
    "/api/v2/ticket_fields.json": ("ticket_fields", "ticket_fields"),
    "/api/v2/satisfaction_ratings.json": ("satisfaction_ratings", "satisfaction_ratings"),
    "/api/v2/ticket_audits.json": ("ticket_audits", "audits"),
    "/api/v2/business_hours/schedules.json": ("schedules", "schedules"),
    "/api/v2/jira/links": ("jira_links", "links"),
}
TICKETS_PATH = "/api/v2/incremental/tickets/cursor.json"
JIRA_PATH = "/rest/api/3/search/jql"
SF_QUERY = "/services/data/v60.0/query"


@dataclass
class Fault:
    status: int | None = None
    retry_after: str | None = None
    drop: bool = False


@dataclass
class ServerConfig:
    page_size: int = 7
    page_sizes: dict[str, int] = field(default_factory=dict)  # "zendesk" | "jira" | "salesforce" -> size
    faults: dict[int, Fault] = field(default_factory=dict)
    fail_paths: dict[str, int] = field(default_factory=dict)
    expected_auth: dict[str, str] = field(default_factory=dict)  # vendor -> full Authorization header


def _encode(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode(token: str):
    return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


def _jira_time(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z")


def _sf_time(value: str) -> dt.datetime:
    value = value.replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", value):
        value = value[:-2] + ":" + value[-2:]
    return dt.datetime.fromisoformat(value)


class FakeApiServer:
    def __init__(self, source_dir: Path, config: ServerConfig | None = None) -> None:
        self.source_dir = Path(source_dir)
        self.config = config or ServerConfig()
        self.requests: list[tuple[str, str, int | str]] = []  # (method, path, status or "drop")
        self._lock = threading.Lock()
        self._data: dict[str, list[dict]] = {}
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- lifecycle
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeApiServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FakeApiServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- data
    def records(self, rel: str) -> list[dict]:
        if rel not in self._data:
            path = self.source_dir / rel
            lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            self._data[rel] = [json.loads(line) for line in lines if line.strip()]
        return self._data[rel]

    def _size(self, vendor: str, requested: str | None) -> int:
        size = self.config.page_sizes.get(vendor, self.config.page_size)
        if requested:
            size = max(1, min(size, int(requested)))
        return size

    # -- request handling
    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # one write per response: avoids Nagle + delayed-ACK stalls

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        return Handler

    def _handle(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        path = parts.path
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        body = {}
        length = int(h.headers.get("Content-Length") or 0)
        if length:
            raw = h.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
        with self._lock:
            number = len(self.requests) + 1
            fault = self.config.faults.get(number)
            self.requests.append((method, path, "pending"))
        status, payload, headers = self._route(h, method, path, query, body, fault)
        data = json.dumps(payload).encode()
        with self._lock:
            self.requests[number - 1] = (method, path, "drop" if fault and fault.drop else status)
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            h.send_header(key, value)
        h.end_headers()
        if fault and fault.drop:
            h.wfile.write(data[: len(data) // 2])
            h.wfile.flush()
            h.close_connection = True
            try:
                h.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        h.wfile.write(data)

    def _route(self, h, method, path, query, body, fault):
        vendor = "salesforce" if path.startswith("/services/") else "jira" if path.startswith("/rest/") else "zendesk"
        auth = h.headers.get("Authorization", "")
        scheme = "Bearer " if vendor == "salesforce" else "Basic "
        expected = self.config.expected_auth.get(vendor)
        if not auth.startswith(scheme) or (expected and auth != expected):
            return 401, {"error": "Couldn't authenticate you"}, {}
        if fault and fault.status:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
            return fault.status, {"error": f"injected {fault.status}"}, headers
        for prefix, status in self.config.fail_paths.items():
            if path.startswith(prefix):
                return status, {"error": f"injected permanent {status}"}, {}
        base = f"http://{h.headers.get('Host')}"
        if path == TICKETS_PATH:
            return self._tickets(base, query)
        if path in ZENDESK_LISTS:
            return self._zendesk_list(base, path, query)
        if path == JIRA_PATH:
            return self._jira({**query, **body})
        if path == SF_QUERY or path.startswith(SF_QUERY + "/"):
            return self._salesforce(path, query)
        return 404, {"error": "InvalidEndpoint", "path": path}, {}

    def _tickets(self, base, query):
        rows = sorted(self.records("zendesk/tickets.jsonl"), key=lambda r: (r["generated_timestamp"], r["id"]))
        if "cursor" in query:
            last = tuple(_decode(query["cursor"]))
            rows = [r for r in rows if (r["generated_timestamp"], r["id"]) > last]
        elif "start_time" in query:
            rows = [r for r in rows if r["generated_timestamp"] >= int(query["start_time"])]
        else:
            return 400, {"error": "start_time or cursor is required"}, {}
        page = rows[: self._size("zendesk", query.get("per_page"))]
        if page:
            after = _encode([page[-1]["generated_timestamp"], page[-1]["id"]])
        else:
            after = query.get("cursor") or _encode([int(query["start_time"]) - 1, 0])
        return 200, {
            "tickets": page,
            "after_cursor": after,
            "after_url": f"{base}{TICKETS_PATH}?cursor={after}",
            "before_cursor": None,
            "end_of_stream": len(page) == len(rows),
        }, {}

    def _zendesk_list(self, base, path, query):
        stem, key = ZENDESK_LISTS[path]
        rows = self.records(f"zendesk/{stem}.jsonl")
        start = _decode(query["page[after]"]) if query.get("page[after]") else 0
        size = self._size("zendesk", query.get("page[size]"))
        page = rows[start : start + size]
        end = start + len(page)
        has_more = end < len(rows)
        after = _encode(end) if page else None
        payload = {key: page, "meta": {"has_more": has_more, "after_cursor": after, "before_cursor": _encode(start)}}
        if key != "links":
            nxt = f"{base}{path}?" + urlencode({"page[size]": size, "page[after]": after}) if has_more else None
            payload["links"] = {"next": nxt, "prev": None}
        return 200, payload, {}

    def _jira(self, params):
        jql = params.get("jql") or ""
        rows = sorted(self.records("jira/issues.jsonl"), key=lambda r: (_jira_time(r["fields"]["updated"]), int(r["id"])))
        m = re.search(r'updated\s*>=\s*"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})"', jql)
        if m:
            since = dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=dt.timezone.utc)
            rows = [r for r in rows if _jira_time(r["fields"]["updated"]) >= since]
        token = params.get("nextPageToken")
        start = 0
        if token:
            state = _decode(token)
            if state.get("jql") != jql:
                return 400, {"errorMessages": ["nextPageToken does not belong to this JQL"]}, {}
            start = state["offset"]
        page = rows[start : start + self._size("jira", str(params.get("maxResults") or ""))]
        end = start + len(page)
        payload = {"issues": page, "isLast": end >= len(rows)}
        if end < len(rows):
            payload["nextPageToken"] = _encode({"jql": jql, "offset": end})
        return 200, payload, {}

    def _salesforce(self, path, query):
        if path == SF_QUERY:
            soql = query.get("q") or ""
            start = 0
        else:
            state = _decode(path.rsplit("/", 1)[1])
            soql, start = state["q"], state["offset"]
        m = re.search(r"\bFROM\s+(\w+)", soql, re.I)
        if not m:
            return 400, [{"errorCode": "MALFORMED_QUERY", "message": "no FROM"}], {}
        rows = self.records(f"salesforce/{m.group(1)}.jsonl")
        w = re.search(r"\bWHERE\s+(\w+)\s*>=\s*(\S+)", soql, re.I)
        if w:
            since = _sf_time(w.group(2))
            rows = [r for r in rows if r.get(w.group(1)) and _sf_time(r[w.group(1)]) >= since]
        order = re.search(r"\bORDER BY\s+(\w+)", soql, re.I)
        if order:
            rows = sorted(rows, key=lambda r: (_sf_time(r[order.group(1)]) if r.get(order.group(1)) else dt.datetime.min.replace(tzinfo=dt.timezone.utc), r["Id"]))
        page = rows[start : start + self._size("salesforce", None)]
        end = start + len(page)
        payload = {"totalSize": len(rows), "done": end >= len(rows), "records": page}
        if end < len(rows):
            payload["nextRecordsUrl"] = f"{SF_QUERY}/{_encode({'q': soql, 'offset': end})}"
        return 200, payload, {}
