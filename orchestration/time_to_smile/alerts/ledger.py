"""Which moves each channel has been told, so none is told twice: `$SMILE_HOME/alerts_sent.jsonl`,
one line per message sent (when, which channel, which publication, which moves). A move is
news once per channel: the same metric, week and direction in a later publication (the week's
one-pager is republished each day until the next week ends) is not sent again."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from .moves import Move


def ledger_path(home: Path) -> Path:
    return home / "alerts_sent.jsonl"


def told(home: Path, channel: str) -> set[str]:
    """The move keys (Move.key) `channel` has been sent."""
    path = ledger_path(home)
    if not path.exists():
        return set()
    entries = (json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return {key for entry in entries if entry["channel"] == channel for key in entry["moves"]}


def record_sent(home: Path, channel: str, run_id: str, moves: list[Move]) -> None:
    entry = {"sent_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "channel": channel,
             "publication_run_id": run_id, "moves": [move.key for move in moves]}
    with ledger_path(home).open("a") as handle:
        handle.write(json.dumps(entry) + "\n")
        handle.flush()
        os.fsync(handle.fileno())  # a message sent is on disk before the step reports it
