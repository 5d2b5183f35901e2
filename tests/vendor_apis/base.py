"""Shared HTTP plumbing for the vendor test doubles (no vendor behaviour lives here).

- `ApiServer`: a `ThreadingHTTPServer` on 127.0.0.1 (ephemeral port, HTTP/1.1) run in a
  daemon thread. Each request is routed by path prefix to a `Vendor`, logged as a
  `Request`, and answered with one write (headers and body together: no Nagle /
  delayed-ACK stalls). Handler logic runs under one lock, so the doubles' state (rate
  windows, cursors, request limits) needs no further locking.
- Fault injection for tests: `fail(prefix, status, times, headers, body)` answers the
  next `times` matching requests with `status` (the vendor's own error shape unless a
  body is given) without running the handler; `drop(prefix, times)` runs the handler,
  then sends the headers and half the body and closes the socket.
- `DataStore`: the generated company's file drop (one JSON record per line), loaded
  lazily, one record per id (the last line wins), with `upsert` so a test can change data
  between pulls.
- Small helpers: JSON/text responses, Basic/Bearer credential parsing, opaque tokens,
  timestamp parsing.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import socket
import threading
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


# --------------------------------------------------------------------------- records


@dataclass
class Request:
    """One request as the server saw it; `status` is the HTTP status sent, or "drop"."""

    vendor: str
    method: str
    path: str
    query: dict[str, str]
    body: dict | list | None
    status: int | str = "pending"


@dataclass
class Call:
    """What a vendor handler gets: the parsed request."""

    method: str
    path: str
    query: dict[str, str]            # last value of each parameter
    query_all: dict[str, list[str]]  # every value (Jira's repeated `fields`)
    headers: Any                     # http.client.HTTPMessage (case-insensitive .get)
    body: dict | list | None


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json.dumps(payload).encode(), headers=dict(headers or {}))


def text_response(status: int, text: str, headers: dict[str, str] | None = None,
                  content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status, text.encode(), content_type, dict(headers or {}))


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


# --------------------------------------------------------------------------- helpers


def basic_credentials(headers) -> tuple[str, str] | None:
    """(user, password) from an `Authorization: Basic ...` header, or None."""
    value = headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "basic" or not token:
        return None
    try:
        user, sep, password = base64.b64decode(token.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


def bearer_token(headers) -> str | None:
    value = headers.get("Authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def encode_token(obj: Any) -> str:
    """An opaque, URL-safe token (base64 of compact JSON)."""
    return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_token(token: str) -> Any:
    """The object behind `encode_token`, or None for anything that is not one of ours."""
    try:
        return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None


def parse_time(value: str) -> float:
    """Epoch seconds for the vendors' timestamps: 2026-10-27T00:49:52Z (Zendesk),
    2026-07-22T14:11:00.000+0000 (Jira, Salesforce), or an ISO-8601 offset."""
    text = value.strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and ":" not in text[-5:]:
        text = text[:-2] + ":" + text[-2:]
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.timestamp()


def iso_z(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------- data


class DataStore:
    """The file drop: `rel` is a path under the source dir ("zendesk/tickets.jsonl")."""

    def __init__(self, source_dir: Path) -> None:
        self.source_dir = Path(source_dir)
        self._data: dict[str, list[dict]] = {}

    def records(self, rel: str) -> list[dict]:
        if rel not in self._data:
            path = self.source_dir / rel
            lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
            rows: dict = {}
            for n, line in enumerate(lines):
                if line.strip():
                    row = json.loads(line)
                    # a file drop may carry several versions of a record (a rating changed later);
                    # an API serves one record per id: the last version
                    rows[row.get("id", row.get("Id", ("line", n)))] = row
            self._data[rel] = list(rows.values())
        return self._data[rel]

    def files(self, folder: str) -> list[str]:
        """The `folder/<name>.jsonl` files on disk or upserted, as paths relative to the source dir."""
        on_disk = {f"{folder}/{p.name}" for p in (self.source_dir / folder).glob("*.jsonl")}
        return sorted(on_disk | {rel for rel in self._data if rel.startswith(f"{folder}/")})

    def upsert(self, rel: str, record: dict) -> None:
        """Insert `record`, or replace the record with the same `id` (or `Id`)."""
        key = "id" if "id" in record else "Id" if "Id" in record else None
        if key is None:
            raise ValueError("record has neither 'id' nor 'Id'")
        rows = self.records(rel)
        for i, row in enumerate(rows):
            if row.get(key) == record[key]:
                rows[i] = record
                return
        rows.append(record)


# --------------------------------------------------------------------------- server


class Vendor:
    """One vendor's API. Subclasses implement `handle` and the vendor's error shape."""

    name = "vendor"
    prefixes: tuple[str, ...] = ()

    def __init__(self, apis) -> None:
        self.apis = apis  # the VendorApis: clock, store, url, credentials

    @property
    def clock(self):
        return self.apis.clock

    @property
    def store(self) -> DataStore:
        return self.apis.store

    def handle(self, call: Call) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError

    def error(self, status: int, message: str | None = None) -> Response:
        """The vendor's error response for `status` (used by `ApiServer.fail`)."""
        return json_response(status, {"error": message or reason(status)})


@dataclass
class _Rule:
    prefix: str
    times: int
    status: int | None = None
    headers: dict[str, str] | None = None
    body: Any = None


class ApiServer:
    """Loopback HTTP server that routes by path prefix to `Vendor`s and logs every request."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._vendors: list[Vendor] = []
        self._fails: list[_Rule] = []
        self._drops: list[_Rule] = []
        self._lock = threading.RLock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        if self._thread is None:
            self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                            daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def mount(self, vendor: Vendor) -> None:
        self._vendors.append(vendor)

    # -- test controls
    def fail(self, path_prefix: str, status: int, times: int = 1, headers: dict[str, str] | None = None,
             body: Any = None) -> None:
        with self._lock:
            self._fails.append(_Rule(path_prefix, times, status, headers, body))

    def drop(self, path_prefix: str, times: int = 1) -> None:
        with self._lock:
            self._drops.append(_Rule(path_prefix, times))

    def count(self, path_prefix: str | None = None, vendor: str | None = None, status=None) -> int:
        with self._lock:
            return sum(1 for r in self.requests
                       if (path_prefix is None or r.path.startswith(path_prefix))
                       and (vendor is None or r.vendor == vendor)
                       and (status is None or r.status == status))

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    # -- request handling
    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # buffered: headers and body leave in one write

            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:
                server._serve(self, "GET")

            def do_POST(self) -> None:
                server._serve(self, "POST")

            def do_PUT(self) -> None:
                server._serve(self, "PUT")

            def do_DELETE(self) -> None:
                server._serve(self, "DELETE")

        return Handler

    @staticmethod
    def _take(rules: list[_Rule], path: str) -> _Rule | None:
        for rule in rules:
            if rule.times > 0 and path.startswith(rule.prefix):
                rule.times -= 1
                return rule
        return None

    def _serve(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        query_all = parse_qs(parts.query, keep_blank_values=True)
        query = {k: v[-1] for k, v in query_all.items()}
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        call = Call(method, parts.path, query, query_all, h.headers, body)
        vendor = next((v for v in self._vendors if parts.path.startswith(v.prefixes)), None)
        record = Request(vendor.name if vendor else "unknown", method, parts.path, query, body)
        with self._lock:
            self.requests.append(record)
            dropped = False
            if vendor is None:
                response = text_response(404, "Not Found")
            elif (rule := self._take(self._fails, parts.path)) is not None:
                response = self._fault_response(vendor, rule)
            else:
                try:
                    response = vendor.handle(call)
                except Exception:  # a bug in a double: answer 500 with the traceback, don't hang the client
                    response = text_response(500, traceback.format_exc())
                dropped = self._take(self._drops, parts.path) is not None
            record.status = "drop" if dropped else response.status
        self._write(h, response, dropped)

    @staticmethod
    def _fault_response(vendor: Vendor, rule: _Rule) -> Response:
        if rule.body is None:
            response = vendor.error(rule.status)
        elif isinstance(rule.body, (bytes, str)):
            data = rule.body.encode() if isinstance(rule.body, str) else rule.body
            response = Response(rule.status, data, "text/plain; charset=utf-8")
        else:
            response = json_response(rule.status, rule.body)
        response.headers.update(rule.headers or {})
        return response

    @staticmethod
    def _write(h: BaseHTTPRequestHandler, response: Response, dropped: bool) -> None:
        h.send_response(response.status)
        h.send_header("Content-Type", response.content_type)
        h.send_header("Content-Length", str(len(response.body)))
        for key, value in response.headers.items():
            h.send_header(key, value)
        h.end_headers()
        if not dropped:
            h.wfile.write(response.body)
            return
        h.wfile.write(response.body[: len(response.body) // 2])
        h.wfile.flush()
        h.close_connection = True
        try:
            h.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# --------------------------------------------------------------------------- query conditions


class Conditions:
    """Recursive descent over `a AND b OR NOT (c)` (JQL's and SOQL's WHERE read alike): a subclass
    reads one comparison (`comparison`) and names its vendor's parse errors (`error`). The result is
    a predicate over one record."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos = tokens, 0

    def error(self, problem: str) -> Exception:  # pragma: no cover - abstract
        raise NotImplementedError

    def comparison(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise self.error("incomplete")
        self.pos += 1
        return token

    def _next_is(self, word: str) -> bool:
        return (self.peek() or "").lower() == word

    def expression(self):
        left = self.term()
        while self._next_is("or"):
            self.take()
            right, prev = self.term(), left
            left = lambda r, a=prev, b=right: a(r) or b(r)  # noqa: E731
        return left

    def term(self):
        left = self.factor()
        while self._next_is("and"):
            self.take()
            right, prev = self.factor(), left
            left = lambda r, a=prev, b=right: a(r) and b(r)  # noqa: E731
        return left

    def factor(self):
        if self._next_is("not"):
            self.take()
            inner = self.factor()
            return lambda r: not inner(r)
        if self.peek() == "(":
            self.take()
            inner = self.expression()
            if self.take() != ")":
                raise self.error("unclosed")
            return inner
        return self.comparison()
