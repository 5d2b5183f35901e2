"""A loopback Slack incoming webhook, as Slack documents it:

- https://api.slack.com/incoming-webhooks: a POST of a JSON body (Content-type:
  application/json) with a `text` field to the webhook's URL posts the message; success is
  HTTP 200 with the body `ok`.
- https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks: failures
  are HTTP statuses with a plain-text reason in the body: 400 `invalid_payload` (the body does
  not match its content type or is not structurally valid), 403 `action_prohibited`, 404
  `channel_not_found`, 410 `channel_is_archived`, 500 `rollup_error`.
- https://api.slack.com/docs/rate-limits: about one message per second; over the limit, HTTP
  429 with a Retry-After header in seconds.

    with SlackWebhook() as hook:
        hook.url                      # http://127.0.0.1:PORT/services/T0000/B0000/XXXX
        hook.answer(410, "channel_is_archived")             # the next request's answer
        hook.answer(429, "rate_limited", retry_after=7)
        hook.posted                   # the texts it accepted, in order
        hook.requests                 # every request: (path, content type, body)
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOOK_PATH = "/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX"


class SlackWebhook:
    def __init__(self) -> None:
        self.posted: list[str] = []
        self.requests: list[tuple[str, str, bytes]] = []
        self._answers: list[tuple[int, str, dict[str, str]]] = []
        self._lock = threading.Lock()
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with hook._lock:
                    hook.requests.append((self.path, self.headers.get("Content-Type", ""), body))
                    status, reason, headers = hook._answer(self.path, self.headers.get("Content-Type", ""), body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(reason)))
                self.end_headers()
                self.wfile.write(reason.encode())

            def log_message(self, *args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}{HOOK_PATH}"

    def answer(self, status: int, reason: str, retry_after: int | None = None) -> None:
        """Answer the next request this way instead of accepting it."""
        with self._lock:
            self._answers.append((status, reason, {"Retry-After": str(retry_after)} if retry_after is not None else {}))

    def _answer(self, path: str, content_type: str, body: bytes) -> tuple[int, str, dict[str, str]]:
        if path != HOOK_PATH:
            return 404, "channel_not_found", {}
        if self._answers:
            return self._answers.pop(0)
        try:
            payload = json.loads(body) if content_type.split(";")[0].strip() == "application/json" else None
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("text"), str) or not payload["text"].strip():
            return 400, "invalid_payload", {}
        self.posted.append(payload["text"])
        return 200, "ok", {}

    def __enter__(self) -> "SlackWebhook":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
