"""The package's layout keeps its arrows: who may import whom (see ../shared/DESIGN.md).

The imports are read from the source with :mod:`ast` (function-level imports
included, ``if TYPE_CHECKING:`` blocks left out, since they never run), so a lazy
import that breaks a rule fails here as surely as a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "geoconflict"

#: top-level part of the package -> parts it must never import
FORBIDDEN = {
    "maps": {"gazetteer", "geoparse", "extract", "incidents", "boundaries", "join", "sources", "cli"},
    "gazetteer": {"geoparse", "maps", "cli", "extract", "incidents", "zones", "boundaries", "join", "sources"},
    "names": {"*"},
    "settings": {"*"},
    "schema": {"*"},
    "geodesy": {"*"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST):
    """Import nodes outside ``if TYPE_CHECKING:`` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                stack.extend(child.orelse)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child
            stack.append(child)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _graph() -> dict[str, list[tuple[str, list[str], int]]]:
    """module -> [(imported module, imported names, line)] for every import of the package's own modules."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, list[tuple[str, list[str], int]]] = {}
    for name, path in modules.items():
        edges = []
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges += [(a.name, [], node.lineno) for a in node.names if a.name.startswith("geoconflict")]
                continue
            target = _resolve(name, path.name == "__init__.py", node)
            if not target.startswith("geoconflict"):
                continue
            names = [a.name for a in node.names]
            submodules = [n for n in names if f"{target}.{n}" in modules]
            edges += [(f"{target}.{n}", [], node.lineno) for n in submodules]
            if len(submodules) < len(names):
                edges.append((target, [n for n in names if n not in submodules], node.lineno))
        graph[name] = edges
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = _graph()


def test_the_graph_sees_the_package():
    assert len(GRAPH) > 30
    assert any(t == "geoconflict.names" for t, _, _ in GRAPH["geoconflict.gazetteer.core"])


@pytest.mark.parametrize("source", sorted(FORBIDDEN))
def test_forbidden_arrows(source):
    banned = FORBIDDEN[source]
    bad = []
    for module, edges in GRAPH.items():
        if _part(module) != source:
            continue
        for target, _names, line in edges:
            part = _part(target)
            if part and part != source and ("*" in banned or part in banned):
                bad.append(f"{module}:{line} imports {target}")
    assert not bad, "\n".join(bad)


def test_the_library_never_imports_the_cli():
    bad = [
        f"{m}:{line} imports {t}"
        for m, edges in GRAPH.items()
        if _part(m) not in ("cli", "__main__")
        for t, _, line in edges
        if _part(t) == "cli"
    ]
    assert not bad, "\n".join(bad)


def test_no_private_names_across_parts():
    """``from ..x._y import`` or ``from ..x import _name`` between two parts of the package is a reach-in."""
    bad = []
    for module, edges in GRAPH.items():
        for target, names, line in edges:
            if _part(target) == _part(module) or not _part(target):
                continue
            private_module = any(p.startswith("_") and p != "__init__" for p in target.split(".")[2:])
            private_names = [n for n in names if n.startswith("_")]
            if private_module or private_names:
                bad.append(f"{module}:{line} imports {target} {private_names or ''}")
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    """Tarjan's strongly connected components over module-to-module imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def targets(m: str) -> list[str]:
        return sorted({t for t, _, _ in GRAPH.get(m, []) if t in GRAPH and t != m})

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in targets(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for m in sorted(GRAPH):
        if m not in index:
            visit(m)
    assert not cycles, cycles


def test_a_forbidden_arrow_is_seen(tmp_path):
    """The checker itself: a private reach-in and a relative import resolve as they should."""
    tree = ast.parse("from ..gazetteer._records import CODE\nfrom . import _layers\n")
    froms = [n for n in _imports(tree) if isinstance(n, ast.ImportFrom)]
    assert _resolve("geoconflict.maps.core", False, froms[0]) == "geoconflict.gazetteer._records"
    assert _resolve("geoconflict.maps", True, froms[1]) == "geoconflict.maps"


#: the longest a function may be, in lines (signature and docstring included): past it, named steps
MAX_FUNCTION_LINES = 80


def test_no_function_over_80_lines():
    long = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name} ({lines} lines)")
    assert not long, "\n".join(long)
