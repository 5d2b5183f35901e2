"""Hand this process's freed memory back to the operating system before dbt runs beside it.

The run's process validates millions of raw records as pandas frames before the dbt build.
Python frees them, but glibc keeps the freed heap pages for reuse, so the process would sit
on a few hundred MiB it no longer needs while dbt's DuckDB uses its whole budget next to it:
the pipeline's peak memory is the two together (docs/benchmarks.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os


def resident_bytes() -> int:
    """This process's resident memory now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def release_freed_memory() -> int:
    """Collect garbage, then ask glibc to return its free heap pages (a no-op without glibc).
    Returns the resident bytes this gave back."""
    before = resident_bytes()
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    try:
        malloc_trim = ctypes.CDLL(libc_name).malloc_trim if libc_name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        malloc_trim = None
    if malloc_trim is not None:
        malloc_trim(0)
    return max(0, before - resident_bytes())
