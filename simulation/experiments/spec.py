"""Experiment files: what to run, validated before anything runs.

An experiment names a base scenario (plus `set:` changes), the strategies to compare (the arms), a
design over named parameters (none, a full grid, a Latin hypercube, a Sobol/Saltelli sample, or a
CSV of points), the number of replications, the weeks, the root seed and what to record. Design
parameters are scenario paths (`population.refusal_share`) or strategy knobs (`strategy.min_group_size`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation.experiments.runner import RunTask
from simulation.experiments.seeds import replication_seeds
from simulation.model.parameters import (
    ParameterError,
    ScenarioParams,
    StrategySettings,
    apply_overrides,
    describe_validation_error,
    excerpt,
    listing,
    resolve_key,
    shorten,
)
from simulation.model.strategies import make_strategy, strategy_names
from simulation.provenance import code_fingerprint
from simulation.scenarios import (
    SCENARIO_DIR,
    ScenarioError,
    format_problems,
    load_scenario,
    name_problem,
    read_yaml,
)

STRATEGY_PREFIX = "strategy."


class ExperimentError(ValueError):
    """An experiment file that cannot be run; the message names the file, key, value and rule."""


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


class Range(Spec):
    """A continuous range for sampled designs."""

    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self


class DesignSpec(Spec):
    """Which parameter points to run."""

    type: Literal["none", "grid", "lhs", "sobol", "morris", "csv", "points"] = Field(
        "none",
        description="none: one point; grid: every combination of the listed values; lhs: "
        "a Latin hypercube; sobol: a Saltelli sample for Sobol indices; morris: trajectories for "
        "Morris screening; csv: points from a file; points: points listed in the file",
    )
    parameters: dict[str, list[Any] | Range] = Field(
        default_factory=dict, description="parameter path -> list of values (grid) or {low, high}"
    )
    samples: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="lhs: number of points; sobol: base samples N; morris: number of trajectories",
    )
    levels: int = Field(4, ge=2, le=100, description="morris: grid levels per parameter")
    second_order: bool = Field(False, description="sobol: also sample for second-order indices")
    file: str | None = Field(None, description="csv: the file of points (a column per parameter)")
    points: list[dict[str, Any]] = Field(
        default_factory=list,
        description="points: a list of {parameter: value}; unlisted parameters keep the scenario's value",
    )


class RecordSpec(Spec):
    """What each run writes besides its end outcomes."""

    weekly: bool = Field(True, description="the weekly outcome series")
    clients: bool = Field(False, description="a row per client at the end")


class ExperimentSpec(Spec):
    name: str = Field(description="short name")
    description: str = Field("", description="one line saying what the experiment answers")
    scenario: str = Field("default", description="scenario file, or the name of one in scenarios/")
    set: dict[str, Any] = Field(default_factory=dict, description="changes to the scenario")
    strategies: list[str] = Field(min_length=1, description="strategies to run (the first is the baseline)")
    replications: int = Field(ge=1, le=100_000, description="replications per strategy and point")
    weeks: int | None = Field(None, ge=1, le=5200, description="weeks to simulate (default: the scenario's)")
    seed: int = Field(ge=0, lt=2**63, description="root seed of the replication seeds")
    design: DesignSpec = DesignSpec()
    record: RecordSpec = RecordSpec()


@dataclass(frozen=True)
class Experiment:
    """A validated experiment with its scenario, design points and replication seeds resolved."""

    spec: ExperimentSpec
    source: str
    scenario: ScenarioParams
    design: pd.DataFrame  # point_id + one column per design parameter
    seeds: list[int]
    #: posterior draws crossed with the design (see `with_draws`): folder, draws, parameters
    posterior: dict[str, Any] | None = None

    @property
    def draws(self) -> int:
        """Posterior draws the design is crossed with (1 without a posterior)."""
        return self.posterior["draws"] if self.posterior else 1

    @property
    def points_per_draw(self) -> int:
        """Design points under one draw: point_id = draw * points_per_draw + the design's own point."""
        return self.n_points // self.draws

    @property
    def weeks(self) -> int:
        return self.spec.weeks or self.scenario.weeks

    @property
    def n_points(self) -> int:
        return len(self.design)

    @property
    def n_runs(self) -> int:
        return self.n_points * self.spec.replications * len(self.spec.strategies)

    def point(self, point_id: int) -> dict[str, Any]:
        """The parameter values of one design point, each with its column's own type (a whole number
        stays whole beside float columns); a knob a point leaves unset (None) is left out."""
        row = self.design.iloc[[point_id]].to_dict("records")[0]
        return {k: _plain(v) for k, v in row.items() if k != "point_id" and not _unset(v)}

    def tasks(self, skip: set[int] | frozenset[int] = frozenset()) -> Iterator[RunTask]:
        """Every run, in run_id order: point, then replication, then strategy. The same replication
        seed serves every strategy and every point (common random numbers)."""
        code = code_fingerprint()
        run_id = 0
        for point_id in range(self.n_points):
            point = self.point(point_id)
            scenario_changes = {k: v for k, v in point.items() if not k.startswith(STRATEGY_PREFIX)}
            knobs = {k[len(STRATEGY_PREFIX) :]: v for k, v in point.items() if k.startswith(STRATEGY_PREFIX)}
            for replication, seed in enumerate(self.seeds):
                for strategy in self.spec.strategies:
                    if run_id not in skip:
                        yield RunTask(
                            run_id=run_id,
                            strategy=strategy,
                            replication=replication,
                            seed=seed,
                            scenario=self.scenario,
                            weeks=self.weeks,
                            point_id=point_id,
                            point=scenario_changes,
                            strategy_overrides=knobs,
                            record_weekly=self.spec.record.weekly,
                            record_clients=self.spec.record.clients,
                            code=code,
                        )
                    run_id += 1

    def resolved(self) -> dict[str, Any]:
        """Everything the results depend on, as plain data (recorded in the manifest)."""
        return {
            "spec": self.spec.model_dump(mode="json"),
            "source": self.source,
            "scenario": self.scenario.model_dump(mode="json"),
            "strategies": {
                s: make_strategy(s, self.scenario).settings.model_dump(mode="json")
                for s in self.spec.strategies
            },
            "weeks": self.weeks,
            "replication_seeds": self.seeds,
            "points": self.n_points,
            "runs": self.n_runs,
            **self.posterior_record(),
        }

    def posterior_record(self) -> dict[str, Any]:
        """What a manifest records of the posterior the design is crossed with (nothing without one)."""
        if not self.posterior:
            return {}
        return {
            "posterior": self.posterior["folder"],
            "posterior_draws": self.posterior["draws"],
            "posterior_parameters": self.posterior["parameters"],
        }

    def fingerprint(self) -> str:
        """A hash of what the results depend on, to refuse resuming a different experiment."""
        payload = {**self.resolved(), "source": "", "design": self.design.to_dict(orient="list")}
        if self.posterior:  # which folder the draws came from does not matter: the design holds them
            payload["posterior"] = ""
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def with_draws(experiment: Experiment, draws: list[dict[str, float]], folder: str) -> Experiment:
    """The experiment with every design point run under every posterior draw, draw-major
    (point_id = draw * points_per_draw + the design's point), on the same replication seeds
    (common random numbers across draws and points). A draw sets the calibrated parameters the
    design leaves alone; a design or `set:` change of a parameter the posterior also sets is refused,
    since either way one of the two would be silently ignored."""
    if not draws:
        raise ExperimentError("a posterior needs at least one draw")
    parameters = list(draws[0])
    varied = [c for c in experiment.design.columns if c in parameters]
    set_keys = [resolve_key(k) for k in experiment.spec.set]
    fixed = [p for p in parameters if any(p == k or p.startswith(k + ".") for k in set_keys)]
    if varied or fixed:
        where = "design varies" if varied else "set: (or --set) changes"
        raise ExperimentError(
            f"{experiment.source}: the {where} {', '.join(varied or fixed)}, which the posterior in {folder} "
            "also sets; drop it from the experiment (the draws give it its values) or run without --posterior"
        )
    base = experiment.design.drop(columns="point_id")
    values = pd.DataFrame(draws)
    crossed = pd.concat(
        [base.assign(**values.iloc[d].to_dict()) for d in range(len(draws))], ignore_index=True
    ).reindex(columns=[*base.columns, *parameters])
    crossed.insert(0, "point_id", np.arange(len(crossed), dtype=np.int64))
    crossed.attrs = {"kind": "posterior"}  # points named by their values in messages
    check_points(crossed, experiment.scenario, experiment.spec.strategies)
    posterior = {"folder": folder, "draws": len(draws), "parameters": parameters}
    return replace(experiment, design=crossed, posterior=posterior)


def _unset(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _plain(value: Any) -> Any:
    """numpy scalars -> Python scalars, so points validate strictly and print cleanly."""
    return value.item() if hasattr(value, "item") else value


def experiment_spec(data: dict[str, Any], source: str) -> ExperimentSpec:
    """An experiment's fields validated, or `ExperimentError` naming each problem in the user's
    terms (for experiments built from command-line options as much as from files)."""
    try:
        return ExperimentSpec.model_validate(data)
    except ValidationError as e:
        problems = describe_validation_error(e, ExperimentSpec)
        if source.startswith("snf "):  # built from a command's options: the command is named already
            raise ExperimentError("; ".join(problems)) from None
        raise ExperimentError(_problems(source, problems)) from None


def experiment_path(name_or_path: str | Path) -> Path:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    return SCENARIO_DIR.parent / "experiments" / f"{name_or_path}.yaml"


def load_experiment(
    name_or_path: str | Path, changes: dict[str, Any] | None = None, data: dict | None = None
) -> Experiment:
    """Read, validate and resolve an experiment file (or plain `data`); raise `ExperimentError`.

    `changes` replaces top-level fields (e.g. {"replications": 5}) before validation."""
    path = experiment_path(name_or_path) if data is None else Path(str(name_or_path))
    source = str(path)
    if data is None:
        try:
            data = read_yaml(path)
        except ScenarioError as e:
            raise ExperimentError(str(e)) from None
    if not isinstance(data, dict):
        raise ExperimentError(f"{source}: an experiment must be a mapping of keys, got {type(data).__name__}")
    data = {**data, **(changes or {})}
    spec = experiment_spec(data, source)
    problem = name_problem(spec.name)
    if problem:
        raise ExperimentError(f"{source}: name = {excerpt(spec.name)}: {problem}")
    return resolve(spec, source, base=path.parent if path.parent != Path("") else Path("."))


_problems = format_problems


def _scenario_ref(spec: ExperimentSpec, base: Path) -> str | Path:
    ref = spec.scenario
    candidate = base / ref
    if Path(ref).suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    return ref


def resolve(spec: ExperimentSpec, source: str, base: Path = Path(".")) -> Experiment:
    """Check the experiment against the scenario and strategies, and build its design."""
    from simulation.experiments.design import make_design

    try:
        scenario = load_scenario(_scenario_ref(spec, base), spec.set or None, changes_label="set")
    except ScenarioError as e:
        where = "" if str(e).startswith("set:") else "scenario: "
        raise ExperimentError(f"{source}: {where}{e}") from None
    known = strategy_names(scenario)
    unknown = [s for s in spec.strategies if s not in known]
    if unknown:
        raise ExperimentError(
            f"{source}: strategies: unknown strategy {', '.join(map(repr, unknown))}; "
            f"available: {', '.join(known)}"
        )
    if len(set(spec.strategies)) != len(spec.strategies):
        raise ExperimentError(f"{source}: strategies: a strategy is listed twice")
    try:
        design = make_design(spec, scenario, base)
        check_points(design, scenario, spec.strategies)
    except (ParameterError, ValueError) as e:
        problems = e.problems if isinstance(e, ParameterError) else [str(e)]
        raise ExperimentError(_problems(source, problems)) from None
    seeds = replication_seeds(spec.seed, spec.replications)
    return Experiment(spec=spec, source=source, scenario=scenario, design=design, seeds=seeds)


def check_parameter(path: str) -> str:
    """A design parameter must be a scenario path or a strategy knob."""
    if path.startswith(STRATEGY_PREFIX):
        knob = path[len(STRATEGY_PREFIX) :]
        if knob not in StrategySettings.model_fields or knob == "description":
            knobs = [k for k in StrategySettings.model_fields if k != "description"]
            close = difflib.get_close_matches(knob, knobs, n=1)
            hint = f"did you mean '{STRATEGY_PREFIX}{close[0]}'?" if close else f"knobs: {listing(knobs, 8)}"
            raise ParameterError([f"design.parameters.{shorten(path)}: unknown strategy knob; {hint}"])
        return path
    try:
        return resolve_key(path)
    except ParameterError as e:
        raise ParameterError([f"design.parameters.{p}" for p in e.problems]) from None


def _has_rules(cls: type[BaseModel]) -> bool:
    return bool(cls.__pydantic_decorators__.model_validators)


def rule_group(path: str) -> str | None:
    """The section whose rules tie this parameter to others (`population.relation_mix` for a
    relation share: the shares must sum to 1), or None when the parameter stands alone."""
    cls: Any = ScenarioParams
    group = "" if _has_rules(cls) else None
    parts = path.split(".")
    for depth, part in enumerate(parts[:-1]):
        field = cls.model_fields.get(part) if isinstance(cls, type) and issubclass(cls, BaseModel) else None
        if field is None:
            return ".".join(parts[: depth + 1]) if group is None else group  # e.g. strategies.NAME.knob
        cls = field.annotation
        has_rules = isinstance(cls, type) and issubclass(cls, BaseModel) and _has_rules(cls)
        if group is None and has_rules:
            group = ".".join(parts[: depth + 1])
    return group


def point_label(design: pd.DataFrame, position: int, columns: list[str]) -> str:
    """How a bad point is named in a message: its line in a CSV of points, its place in a list of
    points, the parameter whose listed value it is, or else its number."""
    kind, lines = design.attrs.get("kind"), design.attrs.get("lines")
    if lines:
        return f"design point {position} (line {lines[position]} of the file)"
    if kind == "points":
        return f"design.points[{position}]"
    if len(columns) == 1 and kind != "csv":
        return f"design.parameters.{columns[0]}"
    values = ", ".join(f"{c}={_plain(design[c].iloc[position])}" for c in columns)
    return f"design point {position} ({shorten(values, 100)})"


def _firsts(design: pd.DataFrame, columns: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The first point of each distinct combination of values in `columns` (unset values left out)."""
    firsts = design[columns].reset_index(drop=True).drop_duplicates()
    for position, row in zip(firsts.index, firsts.to_dict("records"), strict=True):
        yield int(position), {k: _plain(v) for k, v in row.items() if not _unset(v)}


def check_points(design: pd.DataFrame, scenario: ScenarioParams, strategies: list[str]) -> None:
    """Every design point must be valid before anything runs. A parameter that stands alone is
    checked value by value (cheap); parameters tied by a rule (relation shares that sum to 1,
    readiness weights, a strategy's knobs) are checked together on each point, so a design that
    varies them together is accepted and a point that breaks the rule is refused by name."""
    knob_columns = [c for c in design.columns if c.startswith(STRATEGY_PREFIX)]
    groups: dict[str | None, list[str]] = {}
    for column in design.columns:
        if column != "point_id" and column not in knob_columns:
            groups.setdefault(rule_group(column), []).append(column)
    checks = [[c] for c in groups.pop(None, [])] + list(groups.values())
    for columns in checks:
        for position, changes in _firsts(design, columns):
            if not changes:
                continue
            try:
                apply_overrides(scenario, changes)
            except ParameterError as e:
                label = point_label(design, position, columns)
                raise ParameterError([f"{label}: {e.problems[0]}"]) from None
    if not knob_columns:
        return
    for position, combination in _firsts(design, knob_columns):
        knobs = {k[len(STRATEGY_PREFIX) :]: v for k, v in combination.items()}
        for strategy in strategies:
            try:
                make_strategy(strategy, scenario, overrides=knobs)
            except ValidationError as e:
                problem = describe_validation_error(e, StrategySettings)[0]
                first = problem.split(" ")[0]
                keyed = first.removesuffix(":") in StrategySettings.model_fields and (
                    first.endswith(":") or problem.startswith(f"{first} =")
                )
                where = STRATEGY_PREFIX if keyed else ""
                raise ParameterError(
                    [f"{point_label(design, position, knob_columns)} ({strategy}): {where}{problem}"]
                ) from None
