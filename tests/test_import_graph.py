"""The package's modules import one another without circles (issue 21): every import
counts, at module level, inside a function or under `if TYPE_CHECKING:`."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "orchestration" / "time_to_smile"


def module_name(path: Path) -> str:
    parts = ["time_to_smile", *path.relative_to(PACKAGE_ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE_ROOT.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                # `from . import texts` imports a module; `from .x import name` the module x
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            for target in targets:
                # the module itself, else the nearest package above it that is ours
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def unresolved_relative_imports() -> list[tuple[str, str]]:
    """(module, target) for each relative import, anywhere in a module, whose target module is
    not in the package: a lazy import inside a function fails only when that function runs."""
    modules = {module_name(p): p for p in PACKAGE_ROOT.rglob("*.py")}
    missing = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*anchor, *([node.module] if node.module else [])])
                if target not in modules:
                    missing.append((name, target))
    return sorted(missing)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_module_imports_itself_in_a_circle():
    graph = import_graph()
    assert "time_to_smile.generator.company" in graph and graph["time_to_smile.generator.tickets"]
    assert cycles(graph) == []


def test_every_relative_import_names_a_module_of_the_package():
    """After modules move, an import left pointing at the old place (inside a function, where
    importing the module does not reach it) is found here, not when a user runs that command."""
    assert unresolved_relative_imports() == []


if __name__ == "__main__":
    for cycle in cycles(import_graph()):
        print(" -> ".join(cycle))
