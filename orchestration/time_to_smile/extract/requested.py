"""A stream whose position is the next request: what dlt's paginator prepared after the last committed page.

dlt's paginators advance a `requests.Request` in place (a cursor parameter, a
`nextPageToken` in the body, a next-page URL). Saving that request after each
page, and starting `paginate` from it on resume, restarts exactly where the
last committed page ended, whatever the vendor's paging scheme.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, Callable, Iterator

from dlt.sources.helpers.rest_client.client import PageData
from dlt.sources.helpers.rest_client.paginators import BasePaginator

from .engine import Page, Stream
from .http import VendorClient

Marks = Callable[[list[dict], dict, dict], dict]  # (records, response body, position before) -> marks to keep


def request(url: str, params: dict | None = None, json: dict | None = None) -> dict:
    return {"url": url, "params": params, "json": json}


def next_request(page: PageData[Any]) -> dict:
    """A copy: the paginator goes on advancing its request in place after this page is committed."""
    prepared = page.request
    return copy.deepcopy(request(prepared.url, prepared.params or None, prepared.json))


def request_pages(client: VendorClient, position: dict, *, paginator: Callable[[], BasePaginator],
                  data_selector: str, method: str = "GET", marks: Marks | None = None,
                  headers: dict | None = None) -> Iterator[Page]:
    """Pages from `position["request"]` on; each page's position is the request for the one after it."""
    start = copy.deepcopy(position["request"])  # the paginator advances the request in place
    kept = {key: value for key, value in position.items() if key != "request"}
    for page in client.pages(start["url"], method=method, params=start["params"], json=start["json"],
                             headers=headers, paginator=paginator(), data_selector=data_selector):
        records = list(page)
        if marks is not None:
            kept = {**kept, **marks(records, page.response.json(), kept)}
        yield Page(records, {"request": next_request(page), **kept}, not page.paginator.has_next_page)


def request_stream(system: str, name: str, client: VendorClient, *, first_request: Callable[[dict | None], dict],
                   paginator: Callable[[], BasePaginator], data_selector: str, method: str = "GET",
                   marks: Marks | None = None, finish: Callable[[dict, dict | None], dict | None] | None = None,
                   headers: dict | None = None) -> Stream:
    def start(previous: dict | None) -> dict:
        return {"request": first_request(previous)}

    def pages(position: dict) -> Iterator[Page]:
        return request_pages(client, position, paginator=paginator, data_selector=data_selector, method=method,
                             marks=marks, headers=headers)

    return Stream(system, name, start, pages, finish or (lambda position, previous: previous))


def instant(value: str) -> dt.datetime:
    """A vendor's timestamp as an aware datetime: Zendesk's `...Z`, Jira's and Salesforce's `...000+0000`."""
    return dt.datetime.fromisoformat(value)


def newest(read: Callable[[dict], Any], mark: str) -> Marks:
    """Keep, as `mark`, the latest timestamp `read` finds in a page's records (compared as instants:
    Jira writes them in the account's offset)."""

    def keep(records: list[dict], _body: dict, kept: dict) -> dict:
        stamps = [stamp for stamp in map(read, records) if isinstance(stamp, str)]
        if kept.get(mark):
            stamps.append(kept[mark])
        return {mark: max(stamps, key=instant)} if stamps else {}

    return keep
