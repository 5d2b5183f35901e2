"""One vendor's REST API, through dlt's REST client.

dlt gives the paging (`RESTClient.paginate` and its paginators) and the retry
conditions (`retry_if_status`, `wait_exponential_retry_after`: 429 and 5xx,
dropped or truncated connections, waiting `Retry-After` when the vendor sends
it). This module assembles them into one session with three things of ours:

- the retry loop sleeps on the config's clock (tests run on a fake clock);
- documented rate limits are kept before a request is sent (`Pacer`), not
  discovered by a 429;
- a failure that survives the retries is raised as a `VendorError` whose
  message is one line: vendor, method, path, status and the vendor's message.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

import requests
from dlt.sources.helpers.requests.retry import (
    DEFAULT_RETRY_EXCEPTIONS,
    DEFAULT_RETRY_STATUS,
    RetryPredicate,
    retry_if_predicate,
    retry_if_status,
    wait_exponential_retry_after,
)
from dlt.sources.helpers.requests.session import Session
from dlt.sources.helpers.rest_client import RESTClient
from dlt.sources.helpers.rest_client.client import PageData
from dlt.sources.helpers.rest_client.paginators import BasePaginator, SinglePagePaginator
from tenacity import Retrying, retry_any, retry_if_exception_type, stop_after_attempt

from .config import Clock, ExtractConfig
from .errors import ExtractError, VendorError, one_line, vendor_message


class Pacer:
    """At most `per_minute` requests in any 60 seconds, on the given clock."""

    def __init__(self, per_minute: int, clock: Clock) -> None:
        self.per_minute, self.clock = per_minute, clock
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        now = self.clock.now()
        while self.sent and self.sent[0] <= now - 60:
            self.sent.popleft()
        if len(self.sent) >= self.per_minute:
            self.clock.sleep(self.sent[0] + 60 - now)
            now = self.clock.now()
            self.sent.popleft()
        self.sent.append(now)


@dataclass
class Pace:
    """Requests whose path starts with `prefix` share one documented per-minute limit."""

    prefix: str
    per_minute: int


class VendorClient:
    def __init__(self, vendor: str, base_url: str, headers: dict[str, str], config: ExtractConfig, *,
                 paces: tuple[Pace, ...] = (), retry_when: RetryPredicate | None = None,
                 credential_hint: str = "") -> None:
        self.vendor, self.config, self.credential_hint = vendor, config, credential_hint
        self.say: Callable[[str], None] = lambda message: None  # the run's progress output, set by the engine
        self.requests_sent: Counter[str] = Counter()  # attempts per path, retries included
        self._pacers = [(pace.prefix, Pacer(pace.per_minute, config.clock)) for pace in paces]
        session = Session(timeout=config.timeout, raise_for_status=False)
        session.headers.update({"Accept": "application/json", "User-Agent": "time-to-smile-extract/0.2", **headers})
        conditions = [retry_if_status(DEFAULT_RETRY_STATUS), retry_if_exception_type(DEFAULT_RETRY_EXCEPTIONS)]
        if retry_when is not None:
            conditions.append(retry_if_predicate(retry_when))
        retrying = Retrying(
            retry=retry_any(*conditions),
            wait=wait_exponential_retry_after(multiplier=config.backoff_base, max=config.backoff_max),
            stop=stop_after_attempt(config.max_attempts),
            sleep=config.clock.sleep,
            reraise=True,
            retry_error_callback=lambda state: state.outcome.result(),
        )
        send = session.send

        def paced_send(request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            path = urlsplit(request.url).path
            for prefix, pacer in self._pacers:
                if path.startswith(prefix):
                    pacer.wait()
            self.requests_sent[path] += 1
            return send(request, **kwargs)

        session.send = retrying.wraps(paced_send)  # every attempt is paced and counted
        self.rest = RESTClient(base_url=base_url.rstrip("/"), session=session)

    @property
    def request_count(self) -> int:
        return sum(self.requests_sent.values())

    def pages(self, path: str, *, paginator: BasePaginator, data_selector: str, method: str = "GET",
              params: dict | None = None, json: dict | None = None,
              headers: dict | None = None) -> Iterator[PageData[Any]]:
        """`RESTClient.paginate` with failures as one-line `VendorError`s / `ExtractError`s."""
        pages = self.rest.paginate(path, method=method, params=params, json=json, headers=headers,
                                   paginator=paginator, data_selector=data_selector)
        while True:
            try:
                page = next(pages)
            except StopIteration:
                return
            except requests.HTTPError as error:
                raise self.error(method, path, error.response) from None
            except requests.RequestException as error:
                raise ExtractError(one_line(f"{self.vendor}: {method} {_path(path)}: no answer after "
                                            f"{self.config.max_attempts} attempts: {type(error).__name__}: {error}")) from None
            except ValueError as error:  # a 2xx body that is not JSON
                raise ExtractError(one_line(f"{self.vendor}: {method} {_path(path)}: unreadable answer: {error}")) from None
            yield page

    def get(self, path: str, params: dict | None = None) -> Any:
        """One GET, its JSON body (retried and reported like the pages)."""
        for page in self.pages(path, params=params, paginator=SinglePagePaginator(), data_selector="$"):
            return page.response.json()
        raise ExtractError(f"{self.vendor}: GET {_path(path)}: no answer")

    def error(self, method: str, path: str, response: requests.Response) -> VendorError:
        message, code = vendor_message(response)
        hint = ""
        if response.status_code == 401:
            hint = f"check {self.credential_hint}" if self.credential_hint else "check the credentials"
        return VendorError(self.vendor, method, _path(response.url or path), response.status_code,
                           str(response.reason or ""), message, code, hint)


def _path(url: str) -> str:
    """The path of a URL, without its query: short enough for one line, and no token in it."""
    return urlsplit(url).path or url


def retry_on_vendor_code(status: int, code: str) -> Callable[[requests.Response | None, BaseException | None], bool]:
    """A retry condition for a documented, passing limit signalled by status and error code."""

    def condition(response: requests.Response | None, _error: BaseException | None) -> bool:
        return response is not None and response.status_code == status and code in (response.text or "")

    return condition
