"""Peak resident memory of this process and every process it started (dbt runs in a child),
sampled from /proc, so that each stage of a run can be given its own peak."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss_bytes(root: int) -> int:
    """Resident bytes of ``root`` and its descendants right now (Linux /proc)."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text()
        except OSError:  # the process ended while we looked
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # the command name may hold spaces
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        rss[pid] = int(statm.split()[1]) * PAGE_SIZE
    total, frontier = rss.get(root, 0), [root]
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    while frontier:
        for child in children.get(frontier.pop(), []):
            total += rss.get(child, 0)
            frontier.append(child)
    return total


class MemorySampler:
    """Samples the process tree's resident memory in a background thread: ``with`` it around work,
    then ask ``peak_between(start, end)`` (wall-clock seconds, as time.time())."""

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def _run(self) -> None:
        pid = os.getpid()
        while not self._stop.is_set():
            self.samples.append((time.time(), _tree_rss_bytes(pid)))
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append((time.time(), _tree_rss_bytes(os.getpid())))

    def peak_between(self, start: float, end: float) -> int:
        """The highest sample in [start, end]; the nearest one when the window was shorter than a sample."""
        inside = [rss for t, rss in self.samples if start <= t <= end]
        if inside:
            return max(inside)
        return min(self.samples, key=lambda s: abs(s[0] - start))[1] if self.samples else 0

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)
