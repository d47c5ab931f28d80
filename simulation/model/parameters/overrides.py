"""Building a scenario from plain data, and changing its parameters by name or dotted path."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from simulation.model.parameters.errors import EXCERPT, ParameterError, describe_validation_error, excerpt
from simulation.model.parameters.paths import _section_fields, flat_parameter_index, parameter_paths
from simulation.model.parameters.scenario import ScenarioParams
from simulation.model.parameters.strategies import StrategyBlock


def validate_scenario(data: Mapping[str, Any]) -> ScenarioParams:
    """Build a scenario from plain data (a parsed YAML file), or raise `ParameterError`."""
    if not isinstance(data, Mapping):
        raise ParameterError([f"a scenario must be a mapping of sections, got {type(data).__name__}"])
    try:
        return ScenarioParams.model_validate(dict(data))
    except ValidationError as e:
        raise ParameterError(describe_validation_error(e)) from None


def _plain(value: Any) -> Any:
    """Plain data for a schema value; strategy blocks keep only the keys they set."""
    if isinstance(value, StrategyBlock):
        return value.model_dump(exclude_unset=True)
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def set_dotted(data: dict[str, Any], path: str, value: Any, current: Any = None) -> None:
    """Set `a.b.c = value` inside nested dicts. Sections missing from `data` are filled from
    `current` (the scenario being changed) so that blocks like `relation_mix` stay complete."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if current is not None:
            current = current.get(part) if isinstance(current, dict) else getattr(current, part, None)
        child = node.get(part)
        if not isinstance(child, dict):
            child = _plain(current) if isinstance(current, (BaseModel, dict)) else {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def resolve_key(key: str) -> str:
    """A parameter name or dotted path -> its dotted path, or `ParameterError` if unknown."""
    if key.startswith("strategies."):
        return key
    if key in parameter_paths() or ("." not in key and key in _section_fields(ScenarioParams)):
        return key
    flat = flat_parameter_index()
    if key in flat:
        return flat[key]
    candidates = parameter_paths() + list(flat)
    close = difflib.get_close_matches(key, candidates, n=1) if len(key) <= 200 else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    shown = key if len(key) <= EXCERPT and key.isprintable() else excerpt(key)
    raise ParameterError([f"{shown}: unknown parameter{hint}"])


def apply_overrides(scenario: ScenarioParams, changes: Mapping[str, Any]) -> ScenarioParams:
    """A copy of the scenario with parameters changed by name or dotted path, re-validated."""
    data = scenario.model_dump(exclude_unset=True)
    problems: list[str] = []
    for key, value in changes.items():
        try:
            set_dotted(data, resolve_key(key), value, current=scenario)
        except ParameterError as e:
            problems += e.problems
    if problems:
        raise ParameterError(problems)
    return validate_scenario(data)
