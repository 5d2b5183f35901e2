"""A build when nothing new was loaded: only what the clock moves is rebuilt.

When no raw record was loaded since the last complete build and the project did not change
(build_state.BuildPlan.clock_only), the only inputs that moved are the as-of instant
(`raw._run_context`: open cases' clocks, the latest full week, stage visits cut at the
as-of) and the list of unrecognised files in the drop (which needs no load to change). So
the build runs the models downstream of those two sources, with their tests; the published
marts that read neither (their materializations are what publication waits for); the
tickets' work list (emptied, so the per-case models recompute only the open cases); and
the models and seeds a kept test reads (dbt leaves out a test whose parent is left out).
Everything else would read the same rows and write the same result (docs/incremental.md,
"A run with nothing new").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: The inputs that change without a raw record being loaded.
CLOCK_SOURCES = ("source.time_to_smile.smile.run_context", "source.time_to_smile.smile.unrecognised_files")
#: Rebuilt whenever it runs at all: the tickets' work list, which must be emptied.
ALWAYS = ("base_zendesk__tickets_changed",)
#: Node kinds a dbt build runs (unit tests are left out of pipeline builds anyway).
BUILT = ("model", "seed", "test", "snapshot")


def _descendants(child_map: Mapping[str, Iterable[str]], roots: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        for child in child_map.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def kept_nodes(manifest: Mapping[str, Any]) -> set[str]:
    """The unique ids a clock-only build runs."""
    nodes = manifest["nodes"]
    kept = _descendants(manifest["child_map"], CLOCK_SOURCES)
    roots = {uid for uid, node in nodes.items()
             if node["resource_type"] == "model"
             and (node["name"] in ALWAYS or node["config"].get("schema") == "marts")}
    kept |= roots
    # the tests on those models (a test is a child of every model it reads)
    kept |= {child for uid in roots for child in manifest["child_map"].get(uid, ())
             if nodes.get(child, {}).get("resource_type") == "test"}
    # dbt leaves out every test one of whose models is left out (whatever the indirect
    # selection), so a kept test keeps what it reads: a relationship to a seed or a staging view
    kept |= {parent for uid in kept if nodes.get(uid, {}).get("resource_type") == "test"
             for parent in nodes[uid]["depends_on"]["nodes"] if parent in nodes}
    return kept


def excluded_nodes(manifest: Mapping[str, Any]) -> list[str]:
    """The names of the nodes a clock-only build leaves out, for `dbt build --exclude`."""
    kept = kept_nodes(manifest)
    return sorted(node["name"] for uid, node in manifest["nodes"].items()
                  if node["resource_type"] in BUILT and uid not in kept)
