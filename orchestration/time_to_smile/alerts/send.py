"""Sending an alert: a POST to a Slack-compatible incoming webhook, or an e-mail through SMTP.

The webhook follows Slack's documentation for incoming webhooks (api.slack.com/incoming-webhooks):
a JSON body `{"text": ...}` with &, < and > escaped as Slack's message formatting asks,
HTTP 200 (body `ok`) is success and any other status a failure whose body names it
(`invalid_payload`, `channel_not_found`, `channel_is_archived`, ...); HTTP 429 carries a
Retry-After in seconds (api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks,
api.slack.com/docs/rate-limits). A 429, a 5xx or a dropped connection is tried again a few
times; anything else fails at once, in one line that says what the receiver said.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage

import requests

from .message import Message
from .settings import SmtpSettings

ATTEMPTS = 4
LONGEST_WAIT_SECONDS = 60.0
TIMEOUT_SECONDS = 30.0


class AlertNotSent(RuntimeError):
    """A channel refused or could not take the message (the reason in one line)."""


def post_to_webhook(url: str, message: Message, sleep: Callable[[float], None] = time.sleep) -> None:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = requests.post(url, json={"text": slack_escaped(message.text)}, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            reason, wait = f"could not reach it ({type(error).__name__})", 2.0 ** attempt
        else:
            if response.status_code == 200:
                return
            said = " ".join(response.text.split())[:200] or response.reason
            reason = f"HTTP {response.status_code}: {said}"
            if response.status_code != 429 and response.status_code < 500:
                break
            wait = _retry_after(response.headers.get("Retry-After"), default=2.0 ** attempt)
        if attempt < ATTEMPTS:
            sleep(min(wait, LONGEST_WAIT_SECONDS))
    else:
        reason += f" (after {ATTEMPTS} attempts)"
    raise AlertNotSent(f"the webhook did not take the alert: {reason}")


def slack_escaped(text: str) -> str:
    """Slack reads <...> as a link or mention and & as the start of an entity."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _retry_after(header: str | None, default: float) -> float:
    try:
        return max(0.0, float(header)) if header is not None else default
    except ValueError:
        return default


def send_email(smtp: SmtpSettings, message: Message) -> None:
    email = EmailMessage()
    email["Subject"], email["From"], email["To"] = message.subject, smtp.sender, ", ".join(smtp.recipients)
    email.set_content(message.text)
    try:
        if smtp.security == "ssl":
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_SECONDS)
        with server:
            if smtp.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                server.login(smtp.user, smtp.password or "")
            refused = server.send_message(email)
    except (smtplib.SMTPException, OSError) as error:
        raise AlertNotSent(f"{smtp.host}:{smtp.port} did not take the alert: {type(error).__name__}: "
                           f"{' '.join(str(error).split())[:200]}") from None
    if refused:
        raise AlertNotSent(f"{smtp.host}:{smtp.port} refused {', '.join(sorted(refused))}")
