"""Design points: a full grid, a Latin hypercube, a Sobol (Saltelli) sample, Morris trajectories,
or a CSV of points.

The sampled designs draw from their own stream of the root seed, so the same experiment file always
gives the same points. Whole-number parameters (like `population.n_clients`) are rounded.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from simulation.experiments.spec import STRATEGY_PREFIX, ExperimentSpec, Range, check_parameter
from simulation.model.parameters import ParameterError, ScenarioParams, StrategySettings


def design_seed(root_seed: int) -> int:
    """The seed of the sampled design: a stream of the root seed apart from the replications."""
    # a two-part key: never the key of a replication's child (those are one-part: (0,), (1,), ...)
    sequence = np.random.SeedSequence(entropy=root_seed, spawn_key=(2**31, 0xD5))
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def current_value(path: str, scenario: ScenarioParams) -> Any:
    if path.startswith(STRATEGY_PREFIX):
        return getattr(StrategySettings(), path[len(STRATEGY_PREFIX) :])
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def is_whole_number(path: str, scenario: ScenarioParams) -> bool:
    value = current_value(path, scenario)
    return isinstance(value, int) and not isinstance(value, bool)


def sampling_problem(spec: ExperimentSpec) -> dict[str, Any]:
    """The parameter ranges in SALib's `problem` form (names in design order)."""
    ranges = spec.design.parameters
    bad = [k for k, v in ranges.items() if not isinstance(v, Range)]
    if bad:
        raise ParameterError(
            [
                f"design.parameters.{k}: a {spec.design.type} design needs a range {{low: .., high: ..}}"
                for k in bad
            ]
        )
    return {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[r.low, r.high] for r in ranges.values()],
    }


def _finish(points: pd.DataFrame, scenario: ScenarioParams) -> pd.DataFrame:
    for column in points.columns:
        if is_whole_number(column, scenario) and pd.api.types.is_float_dtype(points[column]):
            # Int64 (nullable) where a points design leaves a knob unset for some points
            whole = "Int64" if points[column].isna().any() else np.int64
            points[column] = np.rint(points[column]).astype(whole)
    points.insert(0, "point_id", np.arange(len(points), dtype=np.int64))
    return points.reset_index(drop=True)


def make_design(spec: ExperimentSpec, scenario: ScenarioParams, base: Path = Path(".")) -> pd.DataFrame:
    """The design points as a table: `point_id` and one column per design parameter."""
    design = spec.design
    kind = design.type
    for path in design.parameters:
        if check_parameter(path) != path:
            raise ParameterError(
                [f"design.parameters.{path}: write the full dotted path '{check_parameter(path)}'"]
            )
    if kind == "none":
        if design.parameters:
            raise ParameterError(["design.parameters: a design of type 'none' takes no parameters"])
        return pd.DataFrame({"point_id": [0]})
    if kind == "grid":
        if not design.parameters:
            raise ParameterError(["design.parameters: a grid needs at least one parameter"])
        lists = {}
        for path, values in design.parameters.items():
            if not isinstance(values, list) or not values:
                raise ParameterError([f"design.parameters.{path}: a grid needs a non-empty list of values"])
            lists[path] = values
        rows = list(itertools.product(*lists.values()))
        return _finish(pd.DataFrame(rows, columns=list(lists)), scenario)
    if kind in ("lhs", "sobol", "morris"):
        if not design.parameters:
            raise ParameterError([f"design.parameters: a {kind} design needs at least one parameter"])
        if design.samples is None:
            raise ParameterError([f"design.samples: a {kind} design needs the number of samples"])
        problem = sampling_problem(spec)
        if kind == "lhs":
            unit = qmc.LatinHypercube(d=problem["num_vars"], seed=design_seed(spec.seed)).random(
                design.samples
            )
            bounds = np.array(problem["bounds"])
            values = qmc.scale(unit, bounds[:, 0], bounds[:, 1])
        elif kind == "sobol":
            from SALib.sample import sobol as saltelli

            values = saltelli.sample(
                problem, design.samples, calc_second_order=design.second_order, seed=design_seed(spec.seed)
            )
        else:
            from SALib.sample import morris

            values = morris.sample(
                problem, design.samples, num_levels=design.levels, seed=design_seed(spec.seed)
            )
        return _finish(pd.DataFrame(values, columns=problem["names"]), scenario)
    if kind == "points":
        if not design.points:
            raise ParameterError(["design.points: a points design needs a list of points"])
        columns = list(dict.fromkeys(k for point in design.points for k in point))
        for column in columns:
            if check_parameter(column) != column:
                raise ParameterError([f"design.points: '{column}': use the full dotted path"])
        # an unlisted scenario parameter keeps the scenario's value; an unlisted knob stays unset
        # (None), so every strategy keeps its own value for it
        rows = [
            {
                c: point.get(c, None if c.startswith(STRATEGY_PREFIX) else current_value(c, scenario))
                for c in columns
            }
            for point in design.points
        ]
        return _finish(pd.DataFrame(rows, columns=columns), scenario)
    # csv
    if not design.file:
        raise ParameterError(["design.file: a csv design needs the file of points"])
    path = Path(design.file)
    if not path.is_absolute() and (base / path).exists():
        path = base / path
    if not path.exists():
        raise ParameterError([f"design.file: {design.file}: file not found"])
    points = pd.read_csv(path)
    points = points.drop(columns=[c for c in points.columns if c == "point_id"])
    if points.empty or not len(points.columns):
        raise ParameterError([f"design.file: {design.file}: no points (need a column per parameter)"])
    for column in points.columns:
        if check_parameter(column) != column:
            raise ParameterError([f"design.file: column '{column}': use the full dotted path"])
    return _finish(points, scenario)


def expected_points(spec: ExperimentSpec) -> int | None:
    """How many points a design should have (None for csv: the file decides)."""
    d = spec.design
    if d.type == "none":
        return 1
    if d.type == "grid":
        return int(np.prod([len(v) for v in d.parameters.values()]))
    if d.type == "lhs":
        return d.samples
    if d.type == "sobol":
        k = len(d.parameters)
        return d.samples * (2 * k + 2 if d.second_order else k + 2)
    if d.type == "morris":
        return d.samples * (len(d.parameters) + 1)
    if d.type == "points":
        return len(d.points)
    return None
