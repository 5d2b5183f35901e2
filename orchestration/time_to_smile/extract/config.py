"""Extraction settings: credentials from the environment only, and the knobs a test or a large account turns."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Protocol

from .errors import MissingCredentialError


class Clock(Protocol):
    def now(self) -> float: ...  # epoch seconds
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


# Every variable ExtractConfig.from_env reads a credential or an address from: a machine where
# none is set has no API to pull (the Dagster UI's "Materialize all" then leaves the pull out).
CREDENTIAL_VARIABLES = ("ZENDESK_SUBDOMAIN", "ZENDESK_BASE_URL", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN", "JIRA_BASE_URL",
                        "JIRA_EMAIL", "JIRA_API_TOKEN", "SALESFORCE_INSTANCE_URL", "SALESFORCE_ACCESS_TOKEN")


@dataclass
class ExtractConfig:
    zendesk_base_url: str | None = None
    zendesk_email: str | None = None
    zendesk_api_token: str | None = None
    jira_base_url: str | None = None
    jira_email: str | None = None
    jira_api_token: str | None = None
    salesforce_instance_url: str | None = None
    salesforce_access_token: str | None = None
    salesforce_api_version: str = "v60.0"
    salesforce_fields: dict[str, list[str]] | None = None  # object -> fields; default salesforce.FIELDS
    systems: tuple[str, ...] = ("zendesk", "jira", "salesforce")
    page_size: int = 100  # Zendesk cursor pages (documented max 100) and Jira search pages
    export_page_size: int = 1000  # Zendesk incremental exports' per_page (documented max and default 1000)
    salesforce_batch_size: int | None = None  # Sforce-Query-Options batchSize, 200..2000 (default: Salesforce's 2000)
    zendesk_start_time: int = 0  # the first incremental exports start here (epoch seconds)
    jira_start: str = "1970-01-01"  # the first pull's JQL bound: `updated >= jira_start` (unbounded JQL is refused)
    # Zendesk's incremental exports allow 10 requests a minute (the High Volume add-on raises it):
    # the client keeps to it instead of discovering it by 429.
    zendesk_exports_per_minute: int = 10
    max_attempts: int = 8  # per request: 429, 5xx, dropped connections, Salesforce REQUEST_LIMIT_EXCEEDED
    backoff_base: float = 1.0  # seconds; doubles per attempt
    backoff_max: float = 300.0  # the longest single wait, Retry-After included
    timeout: float = 60.0
    clock: Clock = field(default_factory=SystemClock)
    # test hook: called as page_hook(table, stage, page_number), stage "written" (fsynced, not yet
    # committed) or "committed"; raising from it simulates a crash at that point.
    page_hook: Callable[[str, str, int], None] | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "ExtractConfig":
        """Credentials and URLs from the environment; raises MissingCredentialError naming each missing variable.

        Zendesk: ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL), ZENDESK_EMAIL, ZENDESK_API_TOKEN
        (optional ZENDESK_EXPORTS_PER_MINUTE). Jira: JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN
        (optional JIRA_START_DATE). Salesforce: SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN
        (optional SALESFORCE_API_VERSION).
        """
        env = os.environ if environ is None else environ
        systems = tuple(overrides.get("systems") or cls.systems)
        missing: list[str] = []

        def need(name: str) -> str | None:
            value = env.get(name)
            if not value:
                missing.append(name)
            return value

        values: dict[str, Any] = {}
        if "zendesk" in systems:
            base = env.get("ZENDESK_BASE_URL")
            if not base:
                sub = need("ZENDESK_SUBDOMAIN")
                base = f"https://{sub}.zendesk.com" if sub else None
            values.update(zendesk_base_url=base, zendesk_email=need("ZENDESK_EMAIL"),
                          zendesk_api_token=need("ZENDESK_API_TOKEN"))
            if env.get("ZENDESK_EXPORTS_PER_MINUTE"):
                values["zendesk_exports_per_minute"] = int(env["ZENDESK_EXPORTS_PER_MINUTE"])
        if "jira" in systems:
            values.update(jira_base_url=need("JIRA_BASE_URL"), jira_email=need("JIRA_EMAIL"),
                          jira_api_token=need("JIRA_API_TOKEN"))
            if env.get("JIRA_START_DATE"):
                values["jira_start"] = env["JIRA_START_DATE"]
        if "salesforce" in systems:
            values.update(salesforce_instance_url=need("SALESFORCE_INSTANCE_URL"),
                          salesforce_access_token=need("SALESFORCE_ACCESS_TOKEN"))
            if env.get("SALESFORCE_API_VERSION"):
                values["salesforce_api_version"] = env["SALESFORCE_API_VERSION"]
        if missing:
            raise MissingCredentialError(
                "missing environment variable" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing)
                + " (docs/extract.md)"
            )
        values.update(overrides)
        return cls(**values)


def require(value: str | None, name: str) -> str:
    if not value:
        raise MissingCredentialError(f"missing setting {name}")
    return value
