"""Loopback test doubles of the Zendesk Support, Jira Cloud (REST v3) and Salesforce REST APIs.

They behave as the vendors' published documentation says (see each module's docstring for
the behaviours and their documentation URLs), serve a generated company's file drop, and
share one clock with the code under test:

    from tests.vendor_apis import VendorApis, FakeClock, OffsetClock
    clock = FakeClock("2027-06-01T00:00:00Z")
    with VendorApis(source_dir, clock) as apis:    # one server on 127.0.0.1, routed by path
        apis.url                                     # "http://127.0.0.1:PORT"
        apis.credentials                             # what every request must authenticate with
        apis.upsert("zendesk/tickets.jsonl", ticket) # change data between pulls
        apis.fail("/api/v2/incremental", 503, times=2)
        apis.drop("/rest/api/3/search/jql")
        apis.count("/services/data", status=200)
        apis.zendesk.page_size_cap = 5               # per-vendor knobs
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from .base import ApiServer, DataStore, Request
from .clock import FakeClock, OffsetClock
from .jira import Jira
from .salesforce import Salesforce
from .zendesk import Zendesk

DEFAULT_CREDENTIALS = {
    "zendesk": {"email": "ops@example.com", "token": "zd-token"},
    "jira": {"email": "ops@example.com", "token": "jira-token"},
    "salesforce": {"access_token": "sf-token"},
}


class VendorApis(ApiServer):
    """All three vendors on one loopback server: /api/ -> Zendesk, /rest/ -> Jira,
    /services/ -> Salesforce."""

    def __init__(self, source_dir: Path | str, clock, credentials: dict[str, dict[str, str]] | None = None) -> None:
        super().__init__()
        self.clock = clock
        self.store = DataStore(Path(source_dir))
        self.credentials = copy.deepcopy(DEFAULT_CREDENTIALS)
        for vendor, values in (credentials or {}).items():
            self.credentials.setdefault(vendor, {}).update(values)
        self.zendesk = Zendesk(self)
        self.jira = Jira(self)
        self.salesforce = Salesforce(self)
        for vendor in (self.zendesk, self.jira, self.salesforce):
            self.mount(vendor)

    def upsert(self, rel: str, record: dict[str, Any]) -> None:
        """Insert or replace (by `id` / `Id`) a record served from now on."""
        with self._lock:
            self.store.upsert(rel, copy.deepcopy(record))

    def records(self, rel: str) -> list[dict]:
        """A copy of the records currently served from `rel`."""
        with self._lock:
            return copy.deepcopy(self.store.records(rel))


__all__ = ["VendorApis", "FakeClock", "OffsetClock", "Request"]
