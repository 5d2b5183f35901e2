"""Where alerts go, from the environment only (a webhook URL and an SMTP password are secrets, so
they are never run config, which the Dagster UI shows). Nothing is configured: alerts are off."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

#: Where the app serves the one-pager the alerts link to: `smile app`'s default address.
DEFAULT_APP_URL = "http://127.0.0.1:8501"

SMTP_SECURITY = ("starttls", "ssl", "none")


class AlertSettingsError(ValueError):
    """The alert variables are set but cannot work as given (named in the message)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # starttls (the default), ssl (implicit TLS) or none
    user: str | None
    password: str | None
    sender: str
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class AlertSettings:
    webhook_url: str | None = None
    smtp: SmtpSettings | None = None
    app_url: str = DEFAULT_APP_URL

    @property
    def channels(self) -> list[str]:
        return [name for name, on in (("webhook", self.webhook_url), ("email", self.smtp)) if on]

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> "AlertSettings":
        """SMILE_ALERT_WEBHOOK_URL (a Slack-compatible incoming webhook) and/or e-mail through
        SMILE_ALERT_SMTP_HOST with SMILE_ALERT_EMAIL_FROM and SMILE_ALERT_EMAIL_TO (commas between
        addresses); optional SMILE_ALERT_SMTP_PORT, SMILE_ALERT_SMTP_SECURITY (starttls, ssl, none),
        SMILE_ALERT_SMTP_USER and SMILE_ALERT_SMTP_PASSWORD; SMILE_APP_URL for the link."""
        env = os.environ if environ is None else environ
        value = lambda name: (env.get(name) or "").strip() or None  # noqa: E731
        webhook = value("SMILE_ALERT_WEBHOOK_URL")
        if webhook and not webhook.startswith(("http://", "https://")):
            raise AlertSettingsError(f"SMILE_ALERT_WEBHOOK_URL must be an http(s) URL, not {webhook!r}")
        return cls(webhook_url=webhook, smtp=_smtp(value), app_url=(value("SMILE_APP_URL") or DEFAULT_APP_URL).rstrip("/"))


def _smtp(value) -> SmtpSettings | None:
    host = value("SMILE_ALERT_SMTP_HOST")
    email = [name for name in ("SMILE_ALERT_SMTP_PORT", "SMILE_ALERT_SMTP_SECURITY", "SMILE_ALERT_SMTP_USER",
                               "SMILE_ALERT_SMTP_PASSWORD", "SMILE_ALERT_EMAIL_FROM", "SMILE_ALERT_EMAIL_TO") if value(name)]
    if not host:
        if email:
            raise AlertSettingsError(f"{', '.join(email)} set without SMILE_ALERT_SMTP_HOST: e-mail alerts need a server")
        return None
    missing = [name for name in ("SMILE_ALERT_EMAIL_FROM", "SMILE_ALERT_EMAIL_TO") if not value(name)]
    if missing:
        raise AlertSettingsError(f"e-mail alerts through {host} need {' and '.join(missing)}")
    security = (value("SMILE_ALERT_SMTP_SECURITY") or "starttls").lower()
    if security not in SMTP_SECURITY:
        raise AlertSettingsError(f"SMILE_ALERT_SMTP_SECURITY is {security!r}: one of {', '.join(SMTP_SECURITY)}")
    port = value("SMILE_ALERT_SMTP_PORT") or {"starttls": "587", "ssl": "465", "none": "25"}[security]
    if not port.isdigit():
        raise AlertSettingsError(f"SMILE_ALERT_SMTP_PORT is {port!r}: a port number")
    if bool(value("SMILE_ALERT_SMTP_USER")) != bool(value("SMILE_ALERT_SMTP_PASSWORD")):
        raise AlertSettingsError("SMILE_ALERT_SMTP_USER and SMILE_ALERT_SMTP_PASSWORD go together: set both or neither")
    recipients = tuple(address.strip() for address in value("SMILE_ALERT_EMAIL_TO").split(",") if address.strip())
    return SmtpSettings(host=host, port=int(port), security=security, user=value("SMILE_ALERT_SMTP_USER"),
                        password=value("SMILE_ALERT_SMTP_PASSWORD"), sender=value("SMILE_ALERT_EMAIL_FROM"),
                        recipients=recipients)
