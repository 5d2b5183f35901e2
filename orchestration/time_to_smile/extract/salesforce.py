"""Salesforce: REST SOQL queries ordered by their high-water mark, resumable when a locator expires.

`GET /services/data/<version>/query?q=SELECT <fields> FROM <Object> [WHERE
<mark> >= <high-water mark>] ORDER BY <mark> ASC, Id ASC`, then the
`nextRecordsUrl` query locators until `done`. The mark is `SystemModstamp`
(`CreatedDate` for the immutable AccountHistory).

- A query locator expires (two days; 15 minutes idle before API 56.0), and
  using it then answers 400 INVALID_QUERY_LOCATOR. The position saved after
  each page carries the newest mark committed, so the query starts again from
  `WHERE <mark> >= <that mark>`: the records of that instant come back once
  more (the loader's newest-wins merge makes them no-ops), none is skipped.
- 403 REQUEST_LIMIT_EXCEEDED (the org's 24-hour request limit, or too many
  long-running requests) is waited out with backoff like a 429; when it
  persists the run stops with that one line, and the next run resumes.
Fields are listed explicitly (SOQL `FIELDS(ALL)` cannot page): extend
`FIELDS` for your org's custom fields. Auth: `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator
from urllib.parse import urlencode

from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator

from .config import ExtractConfig, require
from .engine import Drop, Page, Stream, Vendor
from .errors import VendorError
from .http import VendorClient, retry_on_vendor_code
from .requested import instant, newest, request, request_pages

_AUDIT = ["CreatedDate", "LastModifiedDate", "SystemModstamp"]
FIELDS: dict[str, list[str]] = {
    "Account": ["Id", "Name", "Segment__c", "Persona__c", "White_Glove__c", "ARR__c", "Lifecycle_Stage__c",
                "Preferred_Channels__c", "Licensed_Seats__c", "Active_Users__c", "Renewal_Date__c", *_AUDIT],
    "AccountHistory": ["Id", "AccountId", "Field", "DataType", "OldValue", "NewValue", "IsDeleted", "CreatedDate"],
    "Contact": ["Id", "AccountId", "FirstName", "LastName", "Name", "Email", *_AUDIT],
    "Opportunity": ["Id", "AccountId", "Name", "Type", "StageName", "IsClosed", "IsWon", "CloseDate", "Amount",
                    "Probability", "Loss_Reason__c", *_AUDIT],
    "NPS_Response__c": ["Id", "Name", "Account__c", "Contact__c", "Score__c", "Comment__c", *_AUDIT],
}
MARK = {"AccountHistory": "CreatedDate"}


def client(config: ExtractConfig) -> VendorClient:
    token = require(config.salesforce_access_token, "SALESFORCE_ACCESS_TOKEN")
    base = require(config.salesforce_instance_url, "SALESFORCE_INSTANCE_URL")
    return VendorClient("Salesforce", base, {"Authorization": f"Bearer {token}"}, config,
                        retry_when=retry_on_vendor_code(403, "REQUEST_LIMIT_EXCEEDED"),
                        credential_hint="SALESFORCE_ACCESS_TOKEN: an OAuth access token expires")


def _stream(api: VendorClient, config: ExtractConfig, obj: str) -> Stream:
    mark = MARK.get(obj, "SystemModstamp")
    fields = (config.salesforce_fields or FIELDS)[obj]
    headers = {"Sforce-Query-Options": f"batchSize={config.salesforce_batch_size}"} if config.salesforce_batch_size else None

    def query(since: str | None) -> dict:
        where = f" WHERE {mark} >= {instant(since).astimezone(dt.timezone.utc):%Y-%m-%dT%H:%M:%SZ}" if since else ""
        soql = f"SELECT {', '.join(fields)} FROM {obj}{where} ORDER BY {mark} ASC, Id ASC"
        return request(f"/services/data/{config.salesforce_api_version}/query?" + urlencode({"q": soql}))

    def start(previous: dict | None) -> dict:
        since = (previous or {}).get("since")
        return {"request": query(since), **({"since": since} if since else {})}

    def pages(position: dict) -> Iterator[Page]:
        current, restarted = position, 0
        while True:
            try:
                for page in request_pages(api, current, data_selector="records", marks=newest(lambda record: record.get(mark), "since"), headers=headers,
                                          paginator=lambda: JSONLinkPaginator(next_url_path="nextRecordsUrl")):
                    current = page.position
                    yield page
                return
            except VendorError as error:
                if error.code != "INVALID_QUERY_LOCATOR" or "/query/" not in current["request"]["url"]:
                    raise
                restarted += 1
                if restarted > 10:  # a locator that expires before any page can be read: no progress to make
                    raise
                since = current.get("since")
                api.say(f"salesforce_{obj.lower()}: the query locator expired; querying again from "
                        f"{mark} >= {since or 'the start'}")
                current = {**current, "request": query(since), "restarts": current.get("restarts", 0) + 1}

    def finish(position: dict, previous: dict | None) -> dict | None:
        return {"since": position["since"]} if position.get("since") else previous

    def notes(position: dict) -> str:
        restarts = position.get("restarts", 0)
        return f"{restarts} expired query locator(s), queried again from the last mark" if restarts else ""

    return Stream("salesforce", obj, start, pages, finish, notes)


def vendor(config: ExtractConfig) -> Vendor:
    api = client(config)

    def check() -> None:
        api.get(f"/services/data/{config.salesforce_api_version}/limits")

    def streams(_drop: Drop) -> list[Stream]:
        return [_stream(api, config, obj) for obj in (config.salesforce_fields or FIELDS)]

    return Vendor(api, streams, check)
