"""Why a `dbt build` failed, in one line: the failed nodes and dbt's own message for each,
read from the build's run_results.json (dagster-dbt's error repeats every error line of
dbt's output, compiled paths and all; dbt's whole output stays in the step's logs)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any


class DbtBuildFailed(Exception):
    """`dbt build` failed: which nodes, and dbt's own message for each, in one line."""


#: A failed build's reason names at most this many nodes, and counts the rest; it names fewer
#: when they would not fit in REASON_CHARS (run_record.failure_reason keeps 400).
NODES_NAMED = 3
REASON_CHARS = 400
#: dbt's message for one node is cut to this many characters.
NODE_MESSAGE_CHARS = 150

# dbt's first line for a failed node: "Runtime Error in model base_zendesk__tickets (models/...sql)"
_DBT_ERROR_HEADER = re.compile(r"^(?P<kind>[A-Z][\w ]*? Error) in \w+ \S+ \(.*\)$")
# the database's or compiler's own: "Conversion Error: Could not convert string 'abc' to INT64"
_KIND_OF_ERROR = re.compile(r"^[A-Z][\w ]* Error: ")


def node_message(message: str | None) -> str:
    """dbt's message for a failed node in one line: the first line of the database's or the
    compiler's own message, without dbt's header (the node and its file, named already), the
    query's text or the path of its compiled SQL."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    lines = [line for line in lines if not line.lower().startswith("compiled code at ")]
    if not lines:
        return "failed"
    text = lines[0]
    header = _DBT_ERROR_HEADER.match(text)
    if header and len(lines) > 1:
        text = lines[1] if _KIND_OF_ERROR.match(lines[1]) else f"{header['kind']}: {lines[1]}"
    return text if len(text) <= NODE_MESSAGE_CHARS else text[:NODE_MESSAGE_CHARS - 1] + "…"


def failed_nodes(run_results: Mapping[str, Any], manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(`<resource type> <name>`, dbt's message) for each node that failed: a model, seed or
    snapshot in error, a data test that failed or could not run. Errors first: they are
    what stopped the build (the nodes after them are skipped, not failed)."""
    nodes = manifest.get("nodes", {})
    errors, failures = [], []
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id") or ""
        node = nodes.get(unique_id, {})
        resource_type = node.get("resource_type") or unique_id.split(".", 1)[0]
        status = result.get("status")
        if status == "error" or (status == "fail" and resource_type == "test"):
            failed = (f"{resource_type} {node.get('name') or unique_id}", node_message(result.get("message")))
            (errors if status == "error" else failures).append(failed)
    return errors + failures


def build_failure_reason(nodes: list[tuple[str, str]]) -> str:
    """`dbt build failed: <node>: <message>; <node>, <node>: <message>; and N more (M nodes)`:
    nodes with the same message share it; at most NODES_NAMED nodes are named, fewer when
    they would not fit in REASON_CHARS."""
    for named in range(min(NODES_NAMED, len(nodes)), 0, -1):
        by_message: dict[str, list[str]] = {}
        for node, message in nodes[:named]:
            by_message.setdefault(message, []).append(node)
        more = len(nodes) - named
        reason = ("dbt build failed: " + "; ".join(f"{', '.join(names)}: {message}" for message, names in by_message.items())
                  + (f"; and {more} more ({len(nodes)} nodes)" if more else ""))
        if len(reason) <= REASON_CHARS:
            break
    return reason


def file_version(path: Path) -> tuple[int, int, int] | None:
    """What tells one write of a file from another (None: no file)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def read_run_results(path: Path, before: tuple[int, int, int] | None) -> dict | None:
    """The build's run_results.json, or None when the build wrote none (dbt stopped before it
    ran any node, e.g. on a parse error): the file is then still `before`, an earlier build's."""
    if file_version(path) in (None, before):
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None
