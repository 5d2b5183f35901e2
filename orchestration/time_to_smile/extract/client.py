"""Extraction engine: configuration, HTTP with retries, cursor state, drop files.

Public API::

    extract_all(target_dir: Path, state_path: Path, config: ExtractConfig,
                progress: Callable[[str], None] | None = None) -> dict[str, int]

pulls every collection of sources.md from the live APIs into `target_dir` in
the file-drop layout (`zendesk/tickets.<extract-id>.jsonl`, ...), one record
per line exactly as the API returns it inside its page, so
`time_to_smile.load.load_collection` loads it unchanged. Returns the number of
records written per raw table (`zendesk_tickets`, ...) by this call.
`ExtractConfig.from_env()` reads credentials and base URLs from the
environment (see docs/extract.md).

Why requests and a small loop per vendor, not dlt or `urllib3.util.Retry`:
the three paginations are a few lines each, while the guarantees we need
(commit a cursor only after its page is fsynced; resume a crashed run into the
same drop file; never write a page twice) sit between pages, where a generic
paginator gives no hook. urllib3's Retry also cannot retry a connection that
drops after the headers (the body is read after Retry has finished), so the
retry loop below wraps request *and* body parse.

Durability protocol, per collection and run (`<extract-id>`):
1. records are appended to a hidden `.<name>.<extract-id>.jsonl.part`;
2. after each page: flush + fsync the file, then write the state file (tmp,
   fsync, `os.replace`) with the page's next cursor and the file's byte size;
3. on resume the part file is truncated back to the committed size, so a page
   written but not committed is dropped and fetched again, never kept twice;
4. when the last page is committed the part file is renamed to
   `<name>.<extract-id>.jsonl` (now visible to the loader) and the
   collection's incremental cursor (Zendesk `after_cursor`, Jira/Salesforce
   high-water mark) is saved for the next run.
A run that stopped part-way is resumed by the next call (same extract id,
finished collections skipped); after a complete run the next call starts a
new run from the incremental cursors.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import fcntl
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import requests

from ..durability import fsync_path

STATE_VERSION = 1


class ExtractError(RuntimeError):
    """An extraction step failed for good (after retries, or not retryable)."""


class MissingCredentialError(ExtractError):
    """A required environment variable is not set."""


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
    page_size: int = 100
    zendesk_start_time: int = 0  # first incremental ticket export starts here (epoch seconds)
    max_attempts: int = 6  # per request, for 5xx, dropped connections and unreadable bodies
    max_rate_limit_waits: int = 20  # per request, for 429s (which wait Retry-After, not the backoff)
    backoff_base: float = 1.0  # seconds; doubles per attempt
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    # test hook: called as page_hook(table, stage, page_number), stage "written" (fsynced, not yet
    # committed) or "committed"; raising from it simulates a crash at that point.
    page_hook: Callable[[str, str, int], None] | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> "ExtractConfig":
        """Credentials and URLs from the environment; raises MissingCredentialError naming each missing variable.

        Zendesk: ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL), ZENDESK_EMAIL, ZENDESK_API_TOKEN.
        Jira: JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN.
        Salesforce: SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN (SALESFORCE_API_VERSION optional).
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
        if "jira" in systems:
            values.update(jira_base_url=need("JIRA_BASE_URL"), jira_email=need("JIRA_EMAIL"),
                          jira_api_token=need("JIRA_API_TOKEN"))
        if "salesforce" in systems:
            values.update(salesforce_instance_url=need("SALESFORCE_INSTANCE_URL"),
                          salesforce_access_token=need("SALESFORCE_ACCESS_TOKEN"))
            if env.get("SALESFORCE_API_VERSION"):
                values["salesforce_api_version"] = env["SALESFORCE_API_VERSION"]
        if missing:
            raise MissingCredentialError(
                "missing environment variable" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing)
            )
        values.update(overrides)
        return cls(**values)


class Http:
    """requests.Session with the retry policy: 429 waits Retry-After; 5xx, dropped or
    truncated responses back off exponentially; at most `max_attempts` tries per call."""

    def __init__(self, config: ExtractConfig, base_url: str, auth_header: str, label: str) -> None:
        self.config = config
        self.base_url = base_url.rstrip("/")
        self.label = label
        self.session = requests.Session()
        self.session.headers.update({"Authorization": auth_header, "Accept": "application/json",
                                     "User-Agent": "time-to-smile-extract/0.1"})

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith("http") else self.base_url + path_or_url

    def _backoff(self, attempt: int) -> float:
        return min(self.config.backoff_max, self.config.backoff_base * 2 ** (attempt - 1))

    def _retry_after(self, value: str | None, attempt: int) -> float:
        if value:
            try:
                return min(self.config.max_retry_after, max(0.0, float(value)))
            except ValueError:
                pass
            try:  # Retry-After may also be an HTTP date
                when = email.utils.parsedate_to_datetime(value)
                delta = (when - dt.datetime.now(dt.timezone.utc)).total_seconds()
                return min(self.config.max_retry_after, max(0.0, delta))
            except (TypeError, ValueError):
                pass
        return self._backoff(attempt)

    def request(self, method: str, path_or_url: str, **kwargs: Any) -> dict:
        url = self.url(path_or_url)
        last = ""
        attempt = waits = 0
        while True:
            try:
                resp = self.session.request(method, url, timeout=self.config.timeout, **kwargs)
            except requests.RequestException as exc:  # refused, reset, dropped mid-body, timeout
                last = f"{type(exc).__name__}: {exc}"
                attempt += 1
                delay = self._backoff(attempt)
            else:
                status = resp.status_code
                if status == 429:
                    waits += 1
                    if waits > self.config.max_rate_limit_waits:
                        raise ExtractError(f"{self.label}: {method} {url} still rate limited (429) after "
                                           f"{self.config.max_rate_limit_waits} waits")
                    self.config.sleep(self._retry_after(resp.headers.get("Retry-After"), waits))
                    continue
                elif status >= 500:
                    last = f"{status} {resp.reason}"
                    attempt += 1
                    delay = self._backoff(attempt)
                elif status in (401, 403):
                    raise ExtractError(f"{self.label}: {status} {resp.reason} for {url}: check the {self.label} credentials")
                elif status >= 400:
                    raise ExtractError(f"{self.label}: {status} {resp.reason} for {url}: {resp.text[:300]}")
                else:
                    try:
                        return resp.json()
                    except ValueError as exc:
                        last = f"unreadable JSON body: {exc}"
                        attempt += 1
                        delay = self._backoff(attempt)
            if attempt >= self.config.max_attempts:
                raise ExtractError(f"{self.label}: {method} {url} failed after {attempt} attempts: {last}")
            self.config.sleep(delay)


@dataclass
class Page:
    records: list[dict]
    cursor: dict  # the cursor from which the *next* page is fetched
    last: bool


@dataclass
class Stream:
    """One collection: how to start, fetch a page from a cursor, and derive the next run's cursor."""

    system: str
    name: str
    start: Callable[[dict | None], dict]  # incremental state -> first cursor
    fetch: Callable[[Http, dict], Page]
    finish: Callable[[dict, dict | None], dict | None] = lambda cursor, previous: None

    @property
    def table(self) -> str:
        return f"{self.system}_{self.name.lower()}"


# -- state and files


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.data: dict = {"version": STATE_VERSION, "run": None, "incremental": {}}
        if self.path.exists():
            self.data = json.loads(self.path.read_text(encoding="utf-8"))

    def commit(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        fsync_path(self.path.parent, best_effort=True)


_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _extract_stream(http: Http, stream: Stream, target_dir: Path, store: StateStore, config: ExtractConfig,
                    say: Callable[[str], None]) -> int:
    run = store.data["run"]
    state = run["collections"].setdefault(stream.table, {})
    folder = target_dir / stream.system
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{stream.name}.{run['id']}.jsonl"
    part = folder / f".{stream.name}.{run['id']}.jsonl.part"
    if not state or (state.get("offset", 0) > 0 and not part.exists() and not final.exists()):
        state.clear()
        state.update(cursor=stream.start(store.data["incremental"].get(stream.table)), offset=0, pages=0,
                     records=0, exhausted=False, status="running")
        store.commit()
    written = 0
    if not state["exhausted"]:
        with open(part, "ab") as f:
            f.truncate(state["offset"])  # drop any page written after the last commit
            while True:
                page = stream.fetch(http, state["cursor"])
                if not page.last and not page.records and page.cursor == state["cursor"]:
                    raise ExtractError(f"{stream.table}: the API returned an empty page without advancing the cursor")
                if page.records:
                    f.write("".join(_encode(r) + "\n" for r in page.records).encode("utf-8"))
                    f.flush()
                    os.fsync(f.fileno())
                number = state["pages"] + 1
                if config.page_hook:
                    config.page_hook(stream.table, "written", number)
                state.update(cursor=page.cursor, offset=f.tell(), pages=number,
                             records=state["records"] + len(page.records), exhausted=page.last)
                store.commit()
                written += len(page.records)
                if config.page_hook:
                    config.page_hook(stream.table, "committed", number)
                if page.last:
                    break
    if part.exists():
        if state["offset"] > 0:
            os.replace(part, final)
            fsync_path(folder, best_effort=True)
        else:
            part.unlink()
    store.data["incremental"][stream.table] = stream.finish(state["cursor"], store.data["incremental"].get(stream.table))
    state["status"] = "done"
    store.commit()
    say(f"{stream.table}: {state['records']} records in {state['pages']} pages -> {final.name if state['offset'] else '(none)'}")
    return written


def extract_all(target_dir: Path, state_path: Path, config: ExtractConfig,
                progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Extract every configured system's collections into target_dir; resume an unfinished run first.

    Holds `<state_path>.lock` while running: a second concurrent extraction fails at once."""
    say = progress or (lambda message: None)
    target_dir = Path(target_dir)
    state_path = Path(state_path)
    state_path.parent.mkdir(parents=True, exist_ok=True)
    with open(state_path.with_name(state_path.name + ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExtractError(f"another extraction holds {lock.name}") from None
        return _extract_all(target_dir, StateStore(state_path), config, say)


def default_state_path(home: Path) -> Path:
    """Where the cursors live by default: `<SMILE_HOME>/extract_state.json`."""
    return Path(home) / "extract_state.json"


def _extract_all(target_dir: Path, store: StateStore, config: ExtractConfig, say: Callable[[str], None]) -> dict[str, int]:
    from . import jira, salesforce, zendesk

    run = store.data.get("run")
    if run and not run.get("complete"):
        say(f"resuming extract {run['id']}")
    else:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        run = {"id": f"extract-{stamp}-{uuid.uuid4().hex[:6]}", "complete": False, "collections": {}}
        store.data["run"] = run
        store.commit()
        say(f"starting extract {run['id']}")

    plan: list[tuple[Http, Iterable[Stream]]] = []
    if "zendesk" in config.systems:
        plan.append((zendesk.http(config), zendesk.streams(config)))
    if "jira" in config.systems:
        plan.append((jira.http(config), jira.streams(config)))
    if "salesforce" in config.systems:
        plan.append((salesforce.http(config), salesforce.streams(config)))

    counts: dict[str, int] = {}
    for http, streams in plan:
        for stream in streams:
            if run["collections"].get(stream.table, {}).get("status") == "done":
                counts[stream.table] = 0
                continue
            counts[stream.table] = _extract_stream(http, stream, target_dir, store, config, say)
    run["complete"] = True
    store.commit()
    say(f"extract {run['id']} complete: {sum(counts.values())} records")
    return counts


def require(value: str | None, name: str) -> str:
    if not value:
        raise MissingCredentialError(f"missing setting {name}")
    return value
