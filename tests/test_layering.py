"""The package layering, read with ast: no import cycle, and no stage imports a stage above it.

leaves < warehouse < extract < tag < ingest < analysis < outputs < web < cli.
Every import counts (module level, inside functions, under TYPE_CHECKING), and the
runtime never imports `models` (it holds data and the training script).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "warehouse")
# Rank of each layer; a module may import its own layer and the layers below it.
LAYERS = {
    "leaf": 0,
    "warehouse": 1,
    "extract": 2,
    "tag": 3,
    "ingest": 4,
    "analysis": 5,
    "outputs": 6,
    "web": 7,
    "cli": 8,
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Return the project modules `name` imports (a `from a import b` of a module counts as a.b)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for candidate in candidates:
            if candidate == "models" or candidate.startswith("models."):
                targets.add("models")
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def layer(module: str) -> str:
    """Return the layer of a project module: its stage package, else `leaf` (or `warehouse`)."""
    parts = module.split(".")
    if parts[0] == "warehouse":
        return "warehouse"
    if len(parts) > 1 and parts[1] in LAYERS:
        return parts[1]
    return "leaf"


def test_no_import_cycles() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target not in graph:
                continue
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_no_stage_imports_a_stage_above_it() -> None:
    violations = [
        f"{module} ({layer(module)}) imports {target} ({layer(target)})"
        for module, targets in _graph().items()
        for target in targets
        if target != "models" and LAYERS[layer(target)] > LAYERS[layer(module)]
    ]
    assert not violations, "\n".join(sorted(violations))


def test_runtime_never_imports_models() -> None:
    offenders = sorted(module for module, targets in _graph().items() if "models" in targets)
    assert not offenders, f"these import the models package (data only): {offenders}"


def test_leaves_import_no_stage() -> None:
    graph = _graph()
    leaves = [m for m in graph if layer(m) == "leaf" and m.startswith("pipeline")]
    assert "pipeline.records" in leaves and "pipeline.errors" in leaves
    assert all(layer(target) == "leaf" for m in leaves for target in graph[m] if target != "models")
