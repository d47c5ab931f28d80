"""Reference material generated from the parameter schema, so documentation cannot drift.

`docs/parameters.md` and `scenarios/default.yaml` are written by `snf params --write`; a test checks
that the committed files equal what this module produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from simulation.model.evidence import SOURCES
from simulation.model.parameters import ScenarioParams, StrategySettings, evidence_of, walk_parameters
from simulation.model.strategies import KNOBS, registered_strategies

ROOT = Path(__file__).resolve().parent.parent
PARAMETERS_MD = ROOT / "docs" / "parameters.md"
DEFAULT_YAML = ROOT / "scenarios" / "default.yaml"


@dataclass(frozen=True)
class ParameterRow:
    path: str
    default: Any
    unit: str
    allowed: str
    evidence: str
    ref: str
    doc: str


def _bounds(field: FieldInfo) -> str:
    parts = []
    for meta in field.metadata:
        for attr, sym in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(meta, attr, None)
            if value is not None:
                parts.append(f"{sym} {value}")
    ann = field.annotation
    literal = getattr(ann, "__args__", None)
    if literal and all(isinstance(a, str) for a in literal):
        return " or ".join(literal)
    if ann is bool:
        return "true / false"
    return ", ".join(parts)


def _fmt(value: Any) -> str:
    if isinstance(value, BaseModel):
        return ", ".join(f"{k} {_fmt(v)}" for k, v in value.model_dump().items())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parameter_rows(model: type[BaseModel] = ScenarioParams) -> list[ParameterRow]:
    """Every parameter with its default, in schema order (sections expanded)."""
    defaults = model()
    rows: list[ParameterRow] = []
    for path, field in walk_parameters(model):
        value: Any = defaults
        for part in path.split("."):
            value = getattr(value, part)
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        rows.append(
            ParameterRow(
                path=path,
                default=value,
                unit=str(extra.get("unit", "")),
                allowed=_bounds(field),
                evidence=evidence_of(field),
                ref=str(extra.get("ref", "")),
                doc=field.description or "",
            )
        )
    return rows


#: the strategies the project ships and documents (a student's own strategy in the library, or one
#: a test registers, does not change the documentation)
SHIPPED_STRATEGIES = ("care_as_usual", "resource", "flexible", "peer_first")


def shipped_strategies() -> dict:
    """Name -> settings of the shipped strategies, in the documented order."""
    registered = registered_strategies()
    return {name: registered[name] for name in SHIPPED_STRATEGIES if name in registered}


def parameters_markdown() -> str:
    """The parameter table of the documentation."""
    lines = [
        "# Parameters",
        "",
        "Generated from the schema in `simulation/model/parameters/` by `snf params --write`;",
        "a test fails if this file and the schema disagree. Evidence: **source** = the value is read",
        "from a study (often another population: see the reference), **calibrated** = assumed and tuned",
        "so a pattern from the source emerges (see `ODD.md`, Calibration), **assumption** = nothing found,",
        "a modelling choice covered by the sensitivity analysis.",
        "",
        "## Scenario parameters",
        "",
        "| parameter | default | unit | allowed | evidence | reference | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in parameter_rows():
        lines.append(
            f"| `{r.path}` | {_fmt(r.default)} | {r.unit} | {r.allowed} | {r.evidence} | {r.ref} | {r.doc} |"
        )
    lines += [
        "",
        "## Strategy knobs",
        "",
        "A strategy is a setting of these knobs (`StrategySettings`). The five knobs that separate",
        f"the strict and flexible strategies are: {', '.join(f'`{k}`' for k in KNOBS)}.",
        "",
        "| knob | " + " | ".join(f"`{n}`" for n in shipped_strategies()) + " | unit | allowed | "
        "evidence | reference | meaning |",
        "|---|" + "---|" * (len(shipped_strategies()) + 5),
    ]
    strategies = shipped_strategies()
    for r in parameter_rows(StrategySettings):
        values = " | ".join(_fmt(getattr(s, r.path)) for s in strategies.values())
        lines.append(f"| `{r.path}` | {values} | {r.unit} | {r.allowed} | {r.evidence} | {r.ref} | {r.doc} |")
    lines += ["", "## References", ""]
    for key, text in SOURCES.items():
        lines.append(f"- **{key}**: {text}")
    return "\n".join(lines) + "\n"


def default_scenario_yaml() -> str:
    """`scenarios/default.yaml`: every parameter at its default, with its meaning and evidence."""
    lines = [
        "# The built-in default scenario: every parameter at its default value.",
        "# Generated by `snf params --write` from simulation/model/parameters/; edit the schema,",
        "# not this file. Copy it to start a scenario of your own (unlisted keys keep their default).",
        "# Each line says: meaning [unit; evidence: reference].",
        "name: default",
        "description: A Dutch shelter organisation, about 200 clients, two years (all defaults).",
    ]
    section = None
    for r in parameter_rows():
        head, _, key = r.path.rpartition(".")
        depth = r.path.count(".")
        if head != section:
            parts = head.split(".") if head else []
            prev = section.split(".") if section else []
            common = 0
            while common < min(len(parts), len(prev)) and parts[common] == prev[common]:
                common += 1
            for level in range(common, len(parts)):
                lines.append(f"{'  ' * level}{parts[level]}:")
            section = head
        value = r.default
        ref = f"; {r.ref}" if r.ref else ""
        comment = f"  # {r.doc} [{r.unit or '-'}; {r.evidence}{ref}]"
        indent = "  " * depth
        if isinstance(value, BaseModel):
            lines.append(f"{indent}{key}:{comment}")
            for k, v in value.model_dump().items():
                lines.append(f"{indent}  {k}: {_fmt(v)}")
        else:
            lines.append(f"{indent}{key}: {_fmt(value)}{comment}")
    return "\n".join(lines) + "\n"


def write_reference() -> list[Path]:
    PARAMETERS_MD.parent.mkdir(parents=True, exist_ok=True)
    PARAMETERS_MD.write_text(parameters_markdown(), encoding="utf-8")
    DEFAULT_YAML.write_text(default_scenario_yaml(), encoding="utf-8")
    return [PARAMETERS_MD, DEFAULT_YAML]
