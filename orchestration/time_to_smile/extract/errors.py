"""What an extraction failure says: the vendor, the endpoint, the status and the vendor's own message, in one line."""

from __future__ import annotations

import json

import requests


class ExtractError(RuntimeError):
    """An extraction step failed for good (after retries, or not retryable). Its message is one line."""


class MissingCredentialError(ExtractError):
    """A required environment variable is not set."""


class VendorError(ExtractError):
    """The vendor answered an error status: `code` is the vendor's own error code where it sends one
    (Salesforce `errorCode`, Zendesk `error`), so a stream can react to a documented condition."""

    def __init__(self, vendor: str, method: str, path: str, status: int, reason: str, message: str,
                 code: str | None = None, hint: str = "") -> None:
        self.vendor, self.method, self.path, self.status, self.code = vendor, method, path, status, code
        text = f"{vendor}: {method} {path}: {status} {reason}".rstrip()
        if message:
            text += f": {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(one_line(text))


def one_line(text: str, limit: int = 400) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def vendor_message(response: requests.Response) -> tuple[str, str | None]:
    """(message, error code) from a vendor's error body:
    Salesforce `[{"message", "errorCode"}]`, Jira `{"errorMessages": [...], "errors": {...}}`
    (or `{"message"}` on a 401), Zendesk `{"error", "description"}` (or `{"error": {"title", "message"}}`)."""
    try:
        body = response.json()
    except (ValueError, json.JSONDecodeError):
        return one_line(response.text or "", 200), None
    if isinstance(body, list):
        items = [item for item in body if isinstance(item, dict)]
        codes = [str(item.get("errorCode")) for item in items if item.get("errorCode")]
        text = "; ".join(f"{item.get('errorCode')}: {item.get('message')}" if item.get("errorCode")
                         else str(item.get("message")) for item in items)
        return one_line(text, 200), (codes[0] if codes else None)
    if isinstance(body, dict):
        if "errorMessages" in body or "errors" in body:
            parts = [str(m) for m in body.get("errorMessages") or []]
            parts += [f"{key}: {value}" for key, value in (body.get("errors") or {}).items()]
            return one_line("; ".join(parts), 200), None
        error = body.get("error")
        if isinstance(error, dict):
            return one_line(": ".join(str(error[k]) for k in ("title", "message") if error.get(k)), 200), error.get("title")
        parts = [str(body[k]) for k in ("error", "description", "message") if body.get(k)]
        return one_line(": ".join(parts), 200), (str(error) if error else None)
    return one_line(str(body), 200), None
