"""A stream whose position is the next request: what dlt's paginator prepared after the last committed page.

dlt's paginators advance a `requests.Request` in place (a cursor parameter, a
`nextPageToken` in the body, a next-page URL). Saving that request after each
page, and starting `paginate` from it on resume, restarts exactly where the
last committed page ended, whatever the vendor's paging scheme.
"""

from __future__ import annotations

import copy
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


def newest(field: str) -> Marks:
    """Keep the greatest value of a record field seen so far (ISO timestamps in one format compare as text)."""

    def mark(records: list[dict], _body: dict, kept: dict) -> dict:
        values = [r.get(field) for r in records if isinstance(r.get(field), str)]
        if kept.get(field):
            values.append(kept[field])
        return {field: max(values)} if values else {}

    return mark
