"""The package layout shows the architecture: one-way dependencies, a pure core, no import cycles."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("maritime_ner", "training")
# What the pure serving core may import besides the standard library and itself.
CORE_THIRD_PARTY = {"numpy", "tokenizers"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py")) if "_data" not in p.parts}


MODULES = all_modules()


def imports_of(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports (at any depth of the file), resolved to known modules where possible."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in MODULES else target)
    return found


GRAPH = {name: {m for m in imports_of(name, path) if m in MODULES and m != name} for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    sys.setrecursionlimit(10_000)

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_cycle_finder_can_fail():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_core_is_pure():
    stdlib = set(sys.stdlib_module_names)
    for name, path in MODULES.items():
        if not name.startswith("maritime_ner.core"):
            continue
        for imported in imports_of(name, path):
            top = imported.split(".")[0]
            inside = imported.startswith("maritime_ner.core") or imported == "maritime_ner"
            assert inside or top in stdlib or top in CORE_THIRD_PARTY, f"{name} imports {imported}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("maritime_ner") and not n.startswith("maritime_ner.bench")))
def test_serving_and_operations_never_import_training(name):
    assert not [m for m in imports_of(name, MODULES[name]) if m.split(".")[0] == "training"]


def test_every_subpackage_says_what_lives_there():
    for name, path in MODULES.items():
        if path.name == "__init__.py":
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
            assert doc, f"{name} has no docstring"


def test_no_installed_module_named_build():
    assert not (ROOT / "build" / "__init__.py").exists()
    assert "build" not in {n.split(".")[0] for n in MODULES}
