"""Making a write survive a crash: fsync a file, or a directory after a rename in it."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path, *, best_effort: bool = False) -> None:
    """fsync `path` (a file, or a directory so a rename in it is durable).

    `best_effort` skips paths that cannot be opened (some filesystems refuse to
    open a directory for fsync); without it the error propagates.
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        if best_effort:
            return
        raise
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
