"""Where a dbt build's time went, from the run_results.json it left: node seconds by kind.

The split answers the benchmark's question about an incremental run: the incremental models
(docs/incremental.md) should cost in proportion to the new records, while the tables rebuilt
in full and the data tests cost in proportion to the history. Node seconds are summed over
dbt's threads, so their total exceeds the build's wall time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The kinds of node, in report order.
KINDS = ("incremental models", "rebuilt tables", "views", "data tests", "seeds")
SLOWEST = 5


def _kind(unique_id: str, materialized: str | None) -> str:
    resource = unique_id.split(".", 1)[0]
    if resource == "test":
        return "data tests"
    if resource == "seed":
        return "seeds"
    return {"incremental": "incremental models", "table": "rebuilt tables", "view": "views"}.get(materialized or "", "other")


def node_seconds(dbt_target: Path) -> dict[str, Any]:
    """The last build's node seconds in ``dbt_target``: per kind (seconds and node count) and the
    slowest nodes by name."""
    results = json.loads((dbt_target / "run_results.json").read_text())["results"]
    manifest_nodes = json.loads((dbt_target / "manifest.json").read_text())["nodes"]
    kinds: dict[str, dict[str, float]] = {}
    for result in results:
        node = manifest_nodes.get(result["unique_id"], {})
        kind = kinds.setdefault(_kind(result["unique_id"], node.get("config", {}).get("materialized")),
                                {"seconds": 0.0, "nodes": 0})
        kind["seconds"] += result["execution_time"]
        kind["nodes"] += 1
    slowest = sorted(results, key=lambda r: r["execution_time"], reverse=True)[:SLOWEST]
    return {
        "kinds": {kind: {"seconds": round(v["seconds"], 2), "nodes": v["nodes"]} for kind, v in kinds.items()},
        "slowest": [{"node": r["unique_id"].split(".")[-1], "seconds": round(r["execution_time"], 2)} for r in slowest],
    }
