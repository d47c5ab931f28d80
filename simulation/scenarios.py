"""Scenario files: reading, validating and listing them.

A scenario file is YAML with the sections of `ScenarioParams`. Anything wrong (a missing file, bad
YAML, an unknown key, a wrong type, a value out of range, an unknown base strategy) raises
`ScenarioError` with one message naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from simulation.model.parameters import (
    ParameterError,
    ScenarioParams,
    apply_overrides,
    validate_scenario,
)
from simulation.model.strategies import block_settings

#: the repository's scenario folder (present in a clone or an editable install)
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"


class ScenarioError(ValueError):
    """A scenario or parameter change that cannot be used; the message says exactly why."""


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    description: str
    path: Path


def scenario_path(name_or_path: str | Path) -> Path:
    """A scenario file path from a path or a bare name (`default` -> scenarios/default.yaml)."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return SCENARIO_DIR / f"{name_or_path}.yaml"


def read_yaml(path: Path) -> Any:
    if not path.exists():
        raise ScenarioError(f"{path}: file not found")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder, not a scenario file")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ScenarioError(f"{path}: cannot be read ({e})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise ScenarioError(f"{path}: not valid YAML{where}: {problem}") from None


def check_strategies(scenario: ScenarioParams) -> None:
    """Every strategy block must start from a registered strategy."""
    for name, block in scenario.strategies.items():
        try:
            block_settings(block)
        except KeyError as e:
            raise ParameterError([f"strategies.{name}.base: {e.args[0]}"]) from None
        except ParameterError as e:
            raise ParameterError([f"strategies.{name}: {p}" for p in e.problems]) from None


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> ScenarioParams:
    """Read and validate a scenario file, then apply `--set` style changes (validated the same way)."""
    path = scenario_path(name_or_path)
    data = read_yaml(path)
    if data is None:
        data = {}
    try:
        scenario = validate_scenario(data)
        if overrides:
            scenario = apply_overrides(scenario, overrides)
        check_strategies(scenario)
    except ParameterError as e:
        raise ScenarioError(format_problems(str(path), e.problems)) from None
    return scenario


def format_problems(source: str, problems: list[str]) -> str:
    if len(problems) == 1:
        return f"{source}: {problems[0]}"
    return f"{source}: {len(problems)} problems:\n" + "\n".join(f"  - {p}" for p in problems)


def parse_set_options(items: Iterable[str]) -> dict[str, Any]:
    """`KEY=VALUE` strings -> a dict; values are read as YAML scalars (`0.3`, `true`, `[1, 2]`)."""
    changes: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ScenarioError(f"--set {item!r}: expected KEY=VALUE, e.g. --set population.n_clients=100")
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            value = raw
        changes[key] = value
    return changes


def list_scenarios(folder: Path = SCENARIO_DIR) -> list[ScenarioInfo]:
    """The scenario files in a folder, with their one-line descriptions."""
    infos = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = read_yaml(path) or {}
        except ScenarioError:
            data = {}
        description = str(data.get("description", "")) if isinstance(data, dict) else ""
        name = str(data.get("name", path.stem)) if isinstance(data, dict) else path.stem
        infos.append(ScenarioInfo(name=name, description=description, path=path))
    return infos
