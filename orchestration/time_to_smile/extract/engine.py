"""The extraction loop: each collection's pages into a drop file, a cursor committed after every page.

Durability protocol, per collection and run (`<extract-id>`):
1. records are appended to a hidden `.<name>.<extract-id>.jsonl.part`;
2. after each page: flush + fsync the file, then write the state file (tmp,
   fsync, `os.replace`) with the stream's position after that page and the
   file's byte size;
3. on resume the part file is truncated back to the committed size, so a page
   written but not committed is dropped and fetched again, never kept twice;
4. when the last page is committed the part file is renamed to
   `<name>.<extract-id>.jsonl` (now visible to the loader) and the
   collection's incremental state (where the next run starts) is saved.
A run that stopped part-way is resumed by the next call (same extract id,
finished collections skipped); after a complete run the next call starts a
new run from the incremental states.

Why our own state and not dlt's: dlt keeps a resource's cursor in the
pipeline state, committed when a load finishes, so a crash at page 5,000 of a
backfill starts the collection again from its first page
(docs/decisions.md, measured with docs/evidence/dlt_measurements.py).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from ..durability import fsync_path
from .config import ExtractConfig
from .errors import ExtractError
from .http import VendorClient

STATE_VERSION = 2
PROGRESS_EVERY = 30.0  # seconds between progress lines within one collection


@dataclass
class Page:
    records: list[dict]
    position: dict  # where the *next* page is fetched from (JSON-serialisable), plus the stream's marks
    last: bool


@dataclass
class Stream:
    """One collection: where a run starts, its pages from a position, and where the next run starts."""

    system: str
    name: str
    start: Callable[[dict | None], dict]  # previous run's incremental state -> first position
    pages: Callable[[dict], Iterator[Page]]  # position -> the pages from there on
    finish: Callable[[dict, dict | None], dict | None] = lambda position, previous: previous
    notes: Callable[[dict], str] = lambda position: ""  # what a person should know (e.g. tickets gone)

    @property
    def table(self) -> str:
        return f"{self.system}_{self.name.lower()}"


@dataclass
class Drop:
    """This extract's files in the source directory."""

    target_dir: Path
    extract_id: str

    def final(self, system: str, name: str) -> Path:
        return self.target_dir / system / f"{name}.{self.extract_id}.jsonl"

    def part(self, system: str, name: str) -> Path:
        return self.target_dir / system / f".{name}.{self.extract_id}.jsonl.part"


@dataclass
class Vendor:
    """A system's client and its streams (built once the extract id is known)."""

    client: VendorClient
    streams: Callable[[Drop], list[Stream]]
    check: Callable[[], None]  # one cheap authenticated request: credentials fail before any other work


@dataclass
class CollectionResult:
    records: int = 0  # written by this call
    requests: int = 0  # sent by this call, retries included
    note: str = ""


@dataclass
class ExtractResult:
    extract_id: str
    collections: dict[str, CollectionResult] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(c.records for c in self.collections.values())

    @property
    def requests(self) -> int:
        return sum(c.requests for c in self.collections.values())


class StateStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.data: dict = {"version": STATE_VERSION, "run": None, "incremental": {}}
        if self.path.exists():
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != STATE_VERSION:
                raise ExtractError(f"{self.path} was written by another version of the extractor "
                                   f"(state version {data.get('version')}, this one reads {STATE_VERSION}); "
                                   "move it aside to pull everything again")
            self.data = data

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


def _extract_stream(client: VendorClient, stream: Stream, drop: Drop, store: StateStore, config: ExtractConfig,
                    say: Callable[[str], None]) -> CollectionResult:
    run = store.data["run"]
    state = run["collections"].setdefault(stream.table, {})
    final, part = drop.final(stream.system, stream.name), drop.part(stream.system, stream.name)
    final.parent.mkdir(parents=True, exist_ok=True)
    # Start (again) from the stream's first position when nothing of it is committed yet, so a run
    # that failed on its first request (a refused query, a wrong setting) takes today's settings
    # instead of repeating the same request forever; or when its committed file has vanished.
    if state.get("pages", 0) == 0 or (state["offset"] > 0 and not part.exists() and not final.exists()):
        state.clear()
        state.update(position=stream.start(store.data["incremental"].get(stream.table)), offset=0, pages=0,
                     records=0, exhausted=False, status="running")
        store.commit()
    result = CollectionResult()
    sent_before, reported = client.request_count, time.monotonic()
    if not state["exhausted"]:
        with open(part, "ab") as f:
            f.truncate(state["offset"])  # drop any page written after the last commit
            for page in stream.pages(state["position"]):
                if not page.last and not page.records and page.position == state["position"]:
                    raise ExtractError(f"{stream.table}: the API returned an empty page without advancing")
                if page.records:
                    f.write("".join(_encode(r) + "\n" for r in page.records).encode("utf-8"))
                    f.flush()
                    os.fsync(f.fileno())
                number = state["pages"] + 1
                if config.page_hook:
                    config.page_hook(stream.table, "written", number)
                state.update(position=page.position, offset=f.tell(), pages=number,
                             records=state["records"] + len(page.records), exhausted=page.last)
                store.commit()
                result.records += len(page.records)
                if config.page_hook:
                    config.page_hook(stream.table, "committed", number)
                if time.monotonic() - reported >= PROGRESS_EVERY:  # a backfill runs for hours: say how far
                    reported = time.monotonic()
                    say(f"{stream.table}: {_count(state['records'], 'record')} in {_count(number, 'page')} so far")
                if page.last:
                    break
            else:  # a stream with nothing to fetch yields no page at all
                state["exhausted"] = True
    if part.exists():
        if state["offset"] > 0:
            os.replace(part, final)
            fsync_path(final.parent, best_effort=True)
        else:
            part.unlink()
    store.data["incremental"][stream.table] = stream.finish(state["position"], store.data["incremental"].get(stream.table))
    state["status"] = "done"
    store.commit()
    result.requests = client.request_count - sent_before
    result.note = stream.notes(state["position"])
    say(f"{stream.table}: {_count(state['records'], 'record')} in {_count(state['pages'], 'page')}, "
        f"{_count(result.requests, 'request')}"
        + (f"; {result.note}" if result.note else "")
        + f" -> {final.name if state['offset'] else '(nothing new)'}")
    return result


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def run_extract(target_dir: Path, state_path: Path, vendors: list[Vendor], config: ExtractConfig,
                say: Callable[[str], None]) -> ExtractResult:
    """Pull every vendor's streams into target_dir; resume an unfinished extract first.

    Holds `<state_path>.lock` while running: a second concurrent extraction fails at once."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    with open(state_path.with_name(state_path.name + ".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ExtractError(f"another extraction holds {lock.name}") from None
        store = StateStore(state_path)
        run = store.data.get("run")
        if run and not run.get("complete"):
            say(f"resuming extract {run['id']}")
        else:
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            run = {"id": f"extract-{stamp}-{uuid.uuid4().hex[:6]}", "complete": False, "collections": {}}
            store.data["run"] = run
            store.commit()
            say(f"starting extract {run['id']}")
        drop = Drop(Path(target_dir), run["id"])
        result = ExtractResult(run["id"])
        for vendor in vendors:
            vendor.client.say = say
            for stream in vendor.streams(drop):
                if run["collections"].get(stream.table, {}).get("status") == "done":
                    result.collections[stream.table] = CollectionResult()
                    continue
                result.collections[stream.table] = _extract_stream(vendor.client, stream, drop, store, config, say)
        run["complete"] = True
        store.commit()
        say(f"extract {run['id']} complete: {_count(result.records, 'record')}, {_count(result.requests, 'request')}")
        return result
