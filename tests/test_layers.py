"""The layers: data model -> scoring -> figures -> widgets -> notebooks; nothing imports upwards."""

import ast
import subprocess
import sys
from pathlib import Path

import imworkbook

PACKAGE = Path(imworkbook.__file__).resolve().parent
LAYER = {  # module -> layer number
    "paths": 0, "storage": 0, "preferences": 0, "errors": 0, "budgets": 0, "safezip": 0, "yamlfile": 0, "numbers": 0, "fastlane": 0, "i18n": 0, "content": 0, "glossary": 0, "answers": 0, "excel": 0, "cells": 0, "spreadsheet": 0,
    "scoring": 1, "contentcheck": 1, "proportion": 1, "priorities": 1, "merge": 1, "landscape": 1, "proposals": 1, "roles": 1, "network": 1, "disclosure": 1, "files": 1, "collect": 0, "generate": 1, "export": 2, "figures": 2, "tables": 2, "report": 2, "api": 3, "widgets": 4, "cli": 5, "server": 5,
}
THIRD_PARTY_FLOOR = {"ipywidgets": 4, "plotly": 2, "IPython": 4}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative import inside imworkbook
                base = path.relative_to(PACKAGE).parts[: -node.level]
                mod = [*base, *(node.module.split(".") if node.module else [])]
                found.add("imworkbook." + ".".join(mod) if mod else "imworkbook")
                if not node.module:
                    found.update(f"imworkbook.{a.name}" for a in node.names)
            elif node.module:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] == "imworkbook":
        return LAYER.get(parts[1]) if len(parts) > 1 else None
    return THIRD_PARTY_FLOOR.get(parts[0])


def test_no_module_imports_a_higher_layer():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.name in ("__init__.py", "__main__.py") and len(rel.parts) == 1:
            continue
        own = LAYER[rel.parts[0].removesuffix(".py")]
        for module in _imports(path):
            layer = _layer_of(module)
            if layer is not None and layer > own:
                problems.append(f"{rel} (laag {own}) importeert {module} (laag {layer})")
    assert problems == []


def test_every_module_has_a_layer():
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert tops - {"__init__", "__main__"} <= set(LAYER)


def test_import_is_light():
    """`import imworkbook` loads none of the heavy libraries (they load on first use)."""
    code = "import sys, imworkbook; print(sorted(m for m in ('pandas','plotly','ipywidgets','pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_import_cycle_between_modules():
    """Also within one layer, and counting imports inside functions: answers imported excel (lazily) while excel
    imported answers, a cycle the layer rule could not see."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if len(rel.parts) == 1 and rel.name in ("__init__.py", "__main__.py"):
            continue
        top = rel.parts[0].removesuffix(".py")
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "imworkbook" and len(parts) > 1 and parts[1] in LAYER and parts[1] != top:
                graph.setdefault(top, set()).add(parts[1])
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(graph.get(node, ())):
            if nxt in trail:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif len(trail) < 12:
                visit(nxt, trail + [nxt])
    for start in sorted(graph):
        visit(start, [start])
    assert not cycles, sorted(set(cycles))[:10]
