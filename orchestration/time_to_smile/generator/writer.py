"""JSON Lines output: one compact JSON object per line, written as records are produced.

Each file is written to a hidden temporary name beside its final path and moved
into place only when the whole drop succeeded, so a failed run never leaves a
half-written collection that looks complete.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode


class DropWriter:
    """Open writers for a fixed list of relative paths under `out_dir`; counts lines per path."""

    def __init__(self, out_dir: Path, paths: tuple[str, ...]) -> None:
        self.out_dir = Path(out_dir)
        self.paths = paths
        self.counts = {p: 0 for p in paths}
        self._files = {}
        self._tmp = {}
        for rel in paths:
            final = self.out_dir / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            tmp = final.with_name(f".{final.name}.tmp")
            self._tmp[rel] = tmp
            self._files[rel] = open(tmp, "w", encoding="utf-8", newline="\n", buffering=1 << 20)

    def write(self, rel: str, record: dict) -> None:
        self._files[rel].write(_encode(record) + "\n")
        self.counts[rel] += 1

    def write_all(self, rel: str, records) -> None:
        for record in records:
            self.write(rel, record)

    def commit(self) -> None:
        for rel in self.paths:
            self._files[rel].close()
        for rel in self.paths:
            os.replace(self._tmp[rel], self.out_dir / rel)

    def abort(self) -> None:
        for rel in self.paths:
            self._files[rel].close()
            self._tmp[rel].unlink(missing_ok=True)

    def __enter__(self) -> "DropWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()
