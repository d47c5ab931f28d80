"""Layers only look down: the model knows nothing of experiments, analysis, plots or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import simulation

PACKAGE = Path(simulation.__file__).parent
LAYERS = ["model", "experiments", "analysis", "plots", "commands"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_model_imports_nothing_from_the_layers_above_it():
    paths = sorted((PACKAGE / "model").rglob("*.py"))  # sub-packages too: parameters/, library/
    assert PACKAGE / "model" / "parameters" / "scenario.py" in paths
    for path in paths:
        for module in imported_modules(path):
            if module.startswith("simulation."):
                assert module.startswith("simulation.model"), f"{path.name} imports {module}"


def test_each_layer_imports_only_itself_and_layers_below():
    allowed = {
        "experiments": {"model", "experiments"},
        "analysis": {"model", "experiments", "analysis"},
        "plots": {"model", "experiments", "analysis", "plots"},
    }
    for layer, ok in allowed.items():
        for path in (PACKAGE / layer).glob("*.py"):
            for module in imported_modules(path):
                if module.startswith("simulation."):
                    top = module.split(".")[1]
                    assert top in ok or (top in {"provenance", "scenarios"} and layer != "model"), (
                        f"{layer}/{path.name} imports {module}"
                    )
