"""Which file in the drop belongs to which collection (sources.md's layout), and the files
no collection claims, each with the reason and the likely intended name: the loader
(loader.py), the raw asset `raw/unrecognised_files` and the file-drop sensor all go by
`collection_files`, so they never disagree about a file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .source_collections import COLLECTIONS, SourceCollection


def collection_files(source_dir: Path, collection: SourceCollection) -> list[Path]:
    """The collection's files, oldest drop first: `<name>.jsonl[.gz]` and dated drops `<name>.<tag>.jsonl[.gz]`."""
    folder = source_dir / collection.folder
    if not folder.is_dir():
        return []
    patterns = [f"{collection.name}.jsonl", f"{collection.name}.jsonl.gz", f"{collection.name}.*.jsonl", f"{collection.name}.*.jsonl.gz"]
    files = {p for pattern in patterns for p in folder.glob(pattern) if p.is_file()}
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


@dataclass(frozen=True)
class UnrecognisedFile:
    path: str  # relative to the source directory, posix
    reason: str


JSONL_SUFFIXES = (".jsonl.gz", ".jsonl")  # longest first: `x.jsonl.gz` is gzip, not `x.jsonl` + ".gz"


def unrecognised_files(source_dir: Path) -> list[UnrecognisedFile]:
    """Every file below `source_dir` that no collection loads, with the reason, sorted by path.

    A file is recognised exactly when `collection_files` returns it (the loader's own
    rule), so this list and the loader can never disagree. Hidden files and folders
    are left out: the live extractor and the generator write hidden `.<name>....part`
    / `.tmp` files while they work, and those become drop files when complete.
    """
    if not source_dir.is_dir():
        return []
    listed: list[Path] = []
    seen: set[str] = set()
    # followlinks: the loader reads a symlinked system folder, so its strays are listed too;
    # `seen` stops a symlink loop
    for root, dirs, names in os.walk(source_dir, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        listed += [Path(root) / name for name in names if not name.startswith(".")]
    # Claimed after listing, so a drop the extractor completes meanwhile is claimed, not
    # listed. Compared as files (device, inode), not names: on a case-insensitive disk
    # (macOS) the loader reads `account.jsonl` as `Account.jsonl`, so that file is loaded.
    claimed = {_file_id(p) for c in COLLECTIONS for p in collection_files(source_dir, c)}
    found = []
    for path in listed:
        file_id = _file_id(path) if path.is_file() else None  # None: not a regular file, or gone
        if file_id is not None and file_id not in claimed:
            relative = path.relative_to(source_dir).as_posix()
            found.append(UnrecognisedFile(relative, _unrecognised_reason(relative)))
    return sorted(found, key=lambda f: f.path)


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:  # gone since it was listed
        return None
    return stat.st_dev, stat.st_ino


def _unrecognised_reason(relative: str) -> str:
    """Why the loader does not read this file (a path relative to the source directory),
    with the likely intended name when there is one."""
    parts = relative.split("/")
    if len(parts) == 1:
        return "not in a system folder"
    folder, name = parts[0], parts[-1]
    names = [c.name for c in COLLECTIONS if c.folder == folder]
    if not names:
        hint = f" (did you mean {folder.lower()}/?)" if any(c.folder == folder.lower() for c in COLLECTIONS) else ""
        return f"unknown system folder: {folder}{hint}"
    if len(parts) > 2:
        return f"in a subfolder: the loader reads only files directly in {folder}/"
    head = name.split(".", 1)[0]
    # A collection name, in any case, alone or followed by a separator that is not "."
    # (`tickets-2026-03-13`, `tickets_march`, `account`); the longest wins, so
    # `AccountHistory-x` means AccountHistory, not Account.
    intended = max(
        (n for n in names
         if head.lower() == n.lower() or (head.lower().startswith(n.lower()) and not head[len(n)].isalnum())),
        key=len, default=None)
    if intended is None:
        return f"unknown collection: not one of sources.md's {folder} collections"
    suffix = next((s for s in JSONL_SUFFIXES if name.endswith(s)), "")
    if head == intended or not suffix:  # the right name (claimed otherwise), so the extension is wrong
        return f"not JSON Lines: the loader reads {intended}.jsonl or .jsonl.gz"
    tail = name[len(intended):len(name) - len(suffix)]  # "", ".tag" or "<separator>tag"
    if tail and tail[0] != ".":
        tail = f".{tail[1:]}" if tail[1:] else ""
    return f"misnamed: did you mean {intended}{tail}{suffix}?"
