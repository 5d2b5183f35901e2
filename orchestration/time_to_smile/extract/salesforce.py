"""Salesforce: REST SOQL query with `nextRecordsUrl` paging.

`GET /services/data/<version>/query?q=SELECT <fields> FROM <Object> [WHERE
<mark field> >= <high-water mark>] ORDER BY <mark field> ASC`, then
`GET <nextRecordsUrl>` until `done`. The mark field is `SystemModstamp`
(`CreatedDate` for the immutable AccountHistory). Records equal to the mark
come back next run; the loader's newest-wins merge makes them no-ops.
Fields are listed explicitly (SOQL `FIELDS(ALL)` cannot page): extend
`FIELDS` for your org's custom fields. Auth: `Authorization: Bearer <token>`
(an OAuth access token from your connected app).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from .client import ExtractConfig, Http, Page, Stream, require

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


def http(config: ExtractConfig) -> Http:
    token = require(config.salesforce_access_token, "SALESFORCE_ACCESS_TOKEN")
    base = require(config.salesforce_instance_url, "SALESFORCE_INSTANCE_URL")
    return Http(config, base, f"Bearer {token}", "Salesforce")


def _parse(value: str) -> dt.datetime:
    return dt.datetime.strptime(value.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S.%f%z")


def _stream(config: ExtractConfig, obj: str) -> Stream:
    mark = MARK.get(obj, "SystemModstamp")

    def start(previous: dict | None) -> dict:
        since = (previous or {}).get("since")
        where = ""
        if since:
            where = f" WHERE {mark} >= {_parse(since).astimezone(dt.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')}"
        soql = f"SELECT {', '.join((config.salesforce_fields or FIELDS)[obj])} FROM {obj}{where} ORDER BY {mark} ASC, Id ASC"
        return {"soql": soql, "next": None, "hwm": since}

    def fetch(client: Http, cursor: dict) -> Page:
        if cursor.get("next"):
            data = client.request("GET", cursor["next"])
        else:
            path = f"/services/data/{config.salesforce_api_version}/query?" + urlencode({"q": cursor["soql"]})
            data = client.request("GET", path)
        records = data.get("records") or []
        stamps = [r[mark] for r in records if r.get(mark)] + ([cursor["hwm"]] if cursor.get("hwm") else [])
        hwm = max(stamps, key=_parse) if stamps else None
        nxt = data.get("nextRecordsUrl")
        done = bool(data.get("done")) or not nxt
        return Page(records, {"soql": cursor["soql"], "next": None if done else nxt, "hwm": hwm}, done)

    def finish(cursor: dict, previous: dict | None) -> dict | None:
        return {"since": cursor["hwm"]} if cursor.get("hwm") else previous

    return Stream("salesforce", obj, start, fetch, finish)


def streams(config: ExtractConfig) -> list[Stream]:
    return [_stream(config, obj) for obj in (config.salesforce_fields or FIELDS)]
