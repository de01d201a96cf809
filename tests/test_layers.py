"""The layers, one subpackage each: base -> model -> io -> analysis -> figures -> report -> api -> apps / cli.

A module imports only its own layer and the layers below it, and no module takes part in an import cycle (also
within one layer, also counting imports inside functions). README's developer section shows the same tree.
"""

import ast
import subprocess
import sys
from pathlib import Path

import imworkbook

PACKAGE = Path(imworkbook.__file__).resolve().parent
LAYER = {"base": 0, "model": 1, "io": 2, "analysis": 3, "figures": 4, "report": 5, "api": 6, "apps": 7, "cli": 7}
THIRD_PARTY_FLOOR = {"ipywidgets": 7, "IPython": 7, "plotly": 4, "jinja2": 5, "voila": 7, "tqdm": 7}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["imworkbook", *parts])


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names), at module level or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    own = _module_name(path).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                mod = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{a.name}" for a in node.names)  # `from pkg import module`
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _layer_of(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] == "imworkbook":
        return LAYER.get(parts[1]) if len(parts) > 1 else None
    return THIRD_PARTY_FLOOR.get(parts[0])


def test_every_module_sits_in_a_layer():
    loose = [name for name in _modules() if name.count(".") >= 1 and name.split(".")[1] not in LAYER
             and name != "imworkbook.__main__"]
    assert loose == []


def test_no_module_imports_a_higher_layer():
    problems = []
    for name, path in _modules().items():
        if name in ("imworkbook", "imworkbook.__main__"):
            continue
        own = LAYER[name.split(".")[1]]
        for module in _imports(path):
            layer = _layer_of(module)
            if layer is not None and layer > own:
                problems.append(f"{name} (layer {own}) imports {module} (layer {layer})")
    assert problems == []


def test_import_is_light():
    """`import imworkbook` loads none of the heavy libraries (they load on first use)."""
    code = "import sys, imworkbook; print(sorted(m for m in ('pandas','plotly','ipywidgets','pydantic') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        if name == "imworkbook":
            continue
        for module in _imports(path):
            if module in modules and module != name and module != "imworkbook":
                graph.setdefault(name, set()).add(module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
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

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def test_no_import_cycle_between_modules():
    """Module by module, also within one layer and counting imports inside functions (answers imported excel lazily
    while excel imported answers: a cycle a layer rule cannot see). A package's __init__ that imports its own
    modules is part of the package, not a cycle."""
    graph = {name: {m for m in deps if not name.startswith(m + ".") and not m.startswith(name + ".")}
             for name, deps in _graph().items()}
    assert _cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
