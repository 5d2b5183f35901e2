"""Before dbt runs beside it, the run's process hands the memory it freed back to the system."""

from __future__ import annotations

import gc

from time_to_smile.process_memory import release_freed_memory, resident_bytes

MIB = 1 << 20


def test_freed_heap_pages_go_back_to_the_system():
    # ~600 MiB of heap blocks (over pymalloc's 512-byte limit, so from malloc's heap), one in
    # a hundred kept: freeing the others leaves holes that glibc keeps for itself
    blocks = [bytes(600) + i.to_bytes(4, "little") for i in range(1_000_000)]
    kept = blocks[::100]
    del blocks
    gc.collect()
    held = resident_bytes()
    returned = release_freed_memory()
    assert len(kept) == 10_000
    assert held - resident_bytes() > 400 * MIB and returned > 400 * MIB, (held // MIB, returned // MIB)
