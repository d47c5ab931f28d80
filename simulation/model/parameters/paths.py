"""Walking the schema: every parameter with its dotted path, and short names that are unique."""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel

from simulation.model.parameters.scenario import ScenarioParams


def walk_parameters(model: type[BaseModel] | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, field) of every parameter in schema order, sections expanded; tagged blocks
    such as `population.share_dormant` count as one parameter. Names, descriptions and the
    scenario's own strategies are not parameters."""
    model = model or ScenarioParams
    out: list[tuple[str, Any]] = []
    for name, field in model.model_fields.items():
        if name in ("strategies", "name", "description"):
            continue
        ann = field.annotation
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if isinstance(ann, type) and issubclass(ann, BaseModel) and not extra:
            out += walk_parameters(ann, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", field))
    return out


def evidence_of(field: Any) -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return str(extra.get("evidence", ""))


def _section_fields(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    out: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        ann = field.annotation
        out[name] = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return out


@functools.cache
def flat_parameter_index() -> dict[str, str]:
    """Parameter names that are unique across sections -> their dotted path."""
    seen: dict[str, list[str]] = {}
    for section, cls in _section_fields(ScenarioParams).items():
        if cls is None:
            seen.setdefault(section, []).append(section)
            continue
        for name in cls.model_fields:
            seen.setdefault(name, []).append(f"{section}.{name}")
    return {name: paths[0] for name, paths in seen.items() if len(paths) == 1}


@functools.cache
def _parameter_paths() -> tuple[str, ...]:
    return tuple(_walk_paths())


def parameter_paths() -> list[str]:
    """Every dotted parameter path a scenario file or `--set` accepts (strategies aside)."""
    return list(_parameter_paths())


def _walk_paths() -> list[str]:
    paths: list[str] = []

    def walk(cls: type[BaseModel], prefix: str) -> None:
        for name, sub in _section_fields(cls).items():
            if name == "strategies":
                continue
            path = f"{prefix}{name}"
            if sub is None:
                paths.append(path)
            else:
                walk(sub, path + ".")

    walk(ScenarioParams, "")
    return paths
