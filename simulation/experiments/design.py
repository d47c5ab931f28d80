"""Design points: a full grid, a Latin hypercube, a Sobol (Saltelli) sample, Morris trajectories,
or a CSV of points.

The sampled designs draw from their own stream of the root seed, so the same experiment file always
gives the same points. Whole-number parameters (like `population.n_clients`) are rounded in the
sampled designs; in a grid, a list of points or a CSV a value like 20.5 for one is refused, as is
an empty cell, a list where one value belongs, and a design too large to build (counted first).
"""

from __future__ import annotations

import csv
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from simulation.experiments.spec import STRATEGY_PREFIX, ExperimentSpec, Range, check_parameter
from simulation.model.parameters import ParameterError, ScenarioParams, StrategySettings, excerpt, shorten

#: the most design points an experiment may have: larger designs are refused before they are built
MAX_POINTS = 1_000_000
#: the largest CSV of points read
MAX_CSV_BYTES = 50_000_000


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
    """The design points as a table: `point_id` and one column per design parameter (its kind,
    and for a CSV each point's line in the file, in `attrs` for naming points in messages)."""
    table = _build(spec, scenario, base)
    table.attrs["kind"] = spec.design.type
    return table


def _build(spec: ExperimentSpec, scenario: ScenarioParams, base: Path) -> pd.DataFrame:
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
            for i, value in enumerate(values):
                check_value(f"design.parameters.{path}[{i}]", path, value, scenario)
            lists[path] = values
        check_size(math.prod(len(v) for v in lists.values()), " x ".join(str(len(v)) for v in lists.values()))
        rows = list(itertools.product(*lists.values()))
        return _finish(pd.DataFrame(rows, columns=list(lists)), scenario)
    if kind in ("lhs", "sobol", "morris"):
        if not design.parameters:
            raise ParameterError([f"design.parameters: a {kind} design needs at least one parameter"])
        if design.samples is None:
            raise ParameterError([f"design.samples: a {kind} design needs the number of samples"])
        problem = sampling_problem(spec)
        check_size(expected_points(spec) or 0, f"{kind}, {design.samples} samples")
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
        for i, point in enumerate(design.points):
            for column, value in point.items():
                check_value(f"design.points[{i}].{column}", column, value, scenario)
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
    points, lines = read_points_csv(path, design.file, scenario)
    design_table = _finish(points, scenario)
    design_table.attrs["lines"] = lines
    return design_table


def check_size(count: int, shape: str) -> None:
    """Refuse a design too large to build, from its count alone."""
    if count > MAX_POINTS:
        raise ParameterError(
            [f"design: {count:,} points ({shape}) is too many to build; at most {MAX_POINTS:,}"]
        )


def check_value(where: str, path: str, value: Any, scenario: ScenarioParams) -> None:
    """One design value must be a single, finite value, and whole where the parameter counts."""
    if isinstance(value, (list, tuple, dict, set)):
        kind = "a mapping" if isinstance(value, dict) else "a list"
        raise ParameterError([f"{where} = {excerpt(value)}: must be a single value, not {kind}"])
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError([f"{where} = {value}: must be a finite number"])
        if not value.is_integer() and is_whole_number(path, scenario):
            raise ParameterError([f"{where} = {value}: must be a whole number ({path} counts whole units)"])


def _cell(text: str) -> Any:
    """A CSV cell as a number where it is one, true/false, or else the text itself."""
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    if text.strip().lower() in ("true", "false"):
        return text.strip().lower() == "true"
    return text


def read_points_csv(path: Path, shown: str, scenario: ScenarioParams) -> tuple[pd.DataFrame, list[int]]:
    """A CSV of design points (a column per parameter) and the file line of each point. Every cell
    must hold a value: an empty cell would silently run at the scenario's value."""
    where = f"design.file: {shorten(shown, 100)}"
    if not path.exists():
        raise ParameterError([f"{where}: file not found"])
    if path.is_dir():
        raise ParameterError([f"{where}: is a folder, not a CSV file of points"])
    if not path.is_file():
        raise ParameterError([f"{where}: not a regular file"])
    if path.stat().st_size > MAX_CSV_BYTES:
        raise ParameterError(
            [f"{where}: {path.stat().st_size:,} bytes is too large (at most {MAX_CSV_BYTES:,})"]
        )
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        raise ParameterError([f"{where}: cannot be read as CSV ({shorten(str(e), 100)})"]) from None
    if not rows:
        raise ParameterError([f"{where}: is empty (need a header with a column per parameter, then points)"])
    (_, header), body = rows[0], rows[1:]
    header = [h.strip() for h in header]
    for column in header:
        if not column:
            raise ParameterError([f"{where}: the header has an empty column name"])
        if header.count(column) > 1:
            raise ParameterError([f"{where}: column {excerpt(column)} appears twice in the header"])
    keep = [i for i, c in enumerate(header) if c != "point_id"]
    if not body or not keep:
        raise ParameterError([f"{where}: no points (need a column per parameter and a row per point)"])
    if len(body) > MAX_POINTS:
        raise ParameterError([f"{where}: {len(body):,} points is too many; at most {MAX_POINTS:,}"])
    for i in keep:
        if check_parameter(header[i]) != header[i]:
            raise ParameterError([f"{where}: column {excerpt(header[i])}: use the full dotted path"])
    columns: dict[str, list[Any]] = {header[i]: [] for i in keep}
    lines = []
    for line, row in body:
        if len(row) != len(header):
            raise ParameterError([f"{where}: line {line} has {len(row)} values, the header {len(header)}"])
        for i in keep:
            column = header[i]
            cell = f"{where}: line {line}, column {column}"
            if not row[i].strip():
                raise ParameterError([f"{cell} is empty; every point needs a value in every column"])
            value = _cell(row[i].strip())
            check_value(cell, column, value, scenario)
            columns[column].append(value)
        lines.append(line)
    return pd.DataFrame(columns), lines


def expected_points(spec: ExperimentSpec) -> int | None:
    """How many points a design should have (None for csv: the file decides)."""
    d = spec.design
    if d.type == "none":
        return 1
    if d.type == "grid":
        return math.prod(len(v) for v in d.parameters.values() if isinstance(v, list))
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
