"""Global sensitivity analysis over the assumed parameters: Morris screening and Sobol indices.

Pure functions around SALib, in SALib's own terms: a `problem` (names and bounds), a sample `X` in
sample order and one output `Y` per sample point.

- `assumption_ranges` picks the parameters to vary: every numeric (float) parameter tagged
  "assumption" or "calibrated", over default x (1 - spread, 1 + spread) within the schema bounds.
- `point_means` turns a sweep's runs into one `Y` per design point: the mean over replications for
  each strategy, and for a difference between strategies the paired per-replication difference
  (common random numbers) averaged over replications. Each column is a *response*, named
  "outcome: strategy" or "outcome: strategy - baseline".
- `morris_indices` (elementary effects: mu, mu_star, sigma) and `sobol_indices` (first-order S1 and
  total ST with the half-width of their bootstrap interval) analyse one response;
  `morris_by_response` / `sobol_by_response` do every column of a `point_means` table.
- `screening_scores` / `top_parameters` rank parameters over several responses after Morris.

Morris elementary effects are taken on the unit scale of each range (SALib's default): mu_star is
the typical change in the outcome when a parameter moves over its whole range, in the outcome's units.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel

from simulation.model.parameters import (
    ParameterError,
    ScenarioParams,
    apply_overrides,
    evidence_of,
    walk_parameters,
)

EVIDENCE_VARIED = ("assumption", "calibrated")
ZERO_DEFAULT_SHARE = 0.05  # a parameter whose value is 0 ranges up to this share of its upper bound
ZERO_DEFAULT_HIGH = 0.05  # ... or up to this, without an upper bound
STRICT_INSET = 0.05  # a range that meets a strict bound (> 0) stops this share of the way short of it
RESPONSE_SEP = ": "
DIFFERENCE_SEP = " - "
MORRIS_COLUMNS = ["parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
SOBOL_COLUMNS = ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
SECOND_ORDER_COLUMNS = ["parameter_a", "parameter_b", "S2", "S2_conf"]


# --- which parameters, over which ranges -------------------------------------------------------


def _bounds(path: str) -> dict[str, float]:
    """The numeric bounds (ge, gt, le, lt) of the schema field at a dotted path."""
    cls: type[BaseModel] = ScenarioParams
    parts = path.split(".")
    field = None
    for i, part in enumerate(parts):
        field = cls.model_fields[part]
        ann = field.annotation
        if i < len(parts) - 1:
            if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
                raise KeyError(path)
            cls = ann
    bounds: dict[str, float] = {}
    for meta in field.metadata if field is not None else []:
        for key in ("ge", "gt", "le", "lt"):
            value = getattr(meta, key, None)
            if value is not None:
                bounds[key] = float(value)
    return bounds


def _value(scenario: ScenarioParams, path: str) -> Any:
    value: Any = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _candidates(scenario: ScenarioParams) -> list[tuple[str, str, Any]]:
    """(path, evidence, current value) of every parameter, blocks like PerRelation expanded."""
    out = []
    for path, field in walk_parameters():
        evidence = evidence_of(field)
        value = _value(scenario, path)
        if isinstance(value, BaseModel):
            for name in type(value).model_fields:
                out.append((f"{path}.{name}", evidence, getattr(value, name)))
        else:
            out.append((path, evidence, value))
    return out


def _range(value: float, bounds: dict[str, float], spread: float) -> tuple[float, float]:
    lower = bounds.get("ge", bounds.get("gt", -math.inf))
    upper = bounds.get("le", bounds.get("lt", math.inf))
    if value == 0:
        finite = math.isfinite(upper) and upper > 0
        return max(0.0, lower), ZERO_DEFAULT_SHARE * upper if finite else ZERO_DEFAULT_HIGH
    a, b = value * (1 - spread), value * (1 + spread)
    low, high = min(a, b), max(a, b)
    if low <= lower:
        low = lower + STRICT_INSET * (value - lower) if "gt" in bounds else lower
    if high >= upper:
        high = upper - STRICT_INSET * (upper - value) if "lt" in bounds else upper
    return _tidy(low), _tidy(high)


def _tidy(x: float) -> float:
    """0.44999999999999996 -> 0.45: ranges read cleanly in files and figures."""
    return float(f"{x:.12g}")


def classify_parameters(
    scenario: ScenarioParams, spread: float = 0.5
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """(ranges, excluded): the ranges `assumption_ranges` gives, and every other parameter with
    the reason it is left out."""
    if not spread > 0:
        raise ValueError(f"spread must be above 0, got {spread}")
    ranges: dict[str, tuple[float, float]] = {}
    excluded: dict[str, str] = {}
    for path, evidence, value in _candidates(scenario):
        if path == "weeks":
            excluded[path] = "run length, not a model assumption"
        elif evidence not in EVIDENCE_VARIED:
            excluded[path] = f"evidence '{evidence}'"
        elif isinstance(value, bool):
            excluded[path] = "true/false switch"
        elif isinstance(value, int):
            excluded[path] = "whole number"
        elif not isinstance(value, float):
            excluded[path] = f"not a number ({type(value).__name__})"
        else:
            low, high = _range(value, _bounds(path), spread)
            if not low < high:
                excluded[path] = f"empty range [{low:g}, {high:g}] within its bounds"
                continue
            problem = ""
            for end in (low, high):
                try:
                    apply_overrides(scenario, {path: end})
                except ParameterError as e:
                    reason = e.problems[0].rsplit("}: ", 1)[-1]
                    problem = f"{end:g} is not valid with the other values held: {reason}"
                    break
            if problem:
                excluded[path] = problem
            else:
                ranges[path] = (low, high)
    return ranges, excluded


def assumption_ranges(scenario: ScenarioParams, spread: float = 0.5) -> dict[str, tuple[float, float]]:
    """Every numeric (float) parameter tagged "assumption" or "calibrated", in schema order, mapped
    to (low, high) = its value in `scenario` x (1 - spread, 1 + spread), clipped to the schema bounds.

    A value of 0 gets (0, 5% of the upper bound, or 0.05). A range that meets a strict bound (> 0)
    stops just short of it. Whole numbers, switches, text and `weeks` are left out, and so is any
    parameter whose endpoint fails validation on its own (shares or weights that must sum to 1).
    `classify_parameters` says why each parameter is left out.
    """
    return classify_parameters(scenario, spread)[0]


def problem_from_ranges(ranges: Mapping[str, tuple[float, float]]) -> dict[str, Any]:
    """SALib's `problem` for a mapping path -> (low, high), in its order."""
    return {
        "num_vars": len(ranges),
        "names": list(ranges),
        "bounds": [[float(low), float(high)] for low, high in ranges.values()],
    }


# --- one output per design point --------------------------------------------------------------


def response_name(outcome: str, strategy: str) -> str:
    return f"{outcome}{RESPONSE_SEP}{strategy}"


def difference_name(outcome: str, strategy: str, baseline: str) -> str:
    return f"{outcome}{RESPONSE_SEP}{strategy}{DIFFERENCE_SEP}{baseline}"


def split_response(name: str) -> tuple[str, str]:
    """'housed: flexible - resource' -> ('housed', 'flexible - resource')."""
    outcome, _, strategy = name.partition(RESPONSE_SEP)
    return outcome, strategy


def is_difference(name: str) -> bool:
    return DIFFERENCE_SEP in split_response(name)[1]


def point_means(
    runs: pd.DataFrame,
    design: pd.DataFrame,
    outcomes: Sequence[str],
    strategies: Sequence[str],
    differences: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One value per design point and response, indexed by point_id in design order.

    For each outcome and strategy: the mean over replications ("outcome: strategy"). For each
    outcome in `differences` (default: all) and each strategy after the first: the per-replication
    difference from the first strategy, averaged ("outcome: strategy - first"); only replications
    where both runs succeeded are paired. `runs` has point_id, strategy, replication and the outcome
    columns (rows with ok = False are ignored). A point without data for a response is an error.
    """
    if not strategies:
        raise ValueError("no strategies")
    if "ok" in runs.columns:
        runs = runs[runs["ok"].astype(bool)]
    missing = [s for s in strategies if s not in set(runs["strategy"])]
    if missing:
        raise ValueError(f"no successful runs of strategy {', '.join(missing)}")
    points = pd.Index(sorted(int(p) for p in design["point_id"]), name="point_id")
    baseline = strategies[0]
    differences = list(outcomes) if differences is None else list(differences)
    columns: dict[str, pd.Series] = {}
    for outcome in dict.fromkeys([*outcomes, *differences]):
        wide = runs.set_index(["point_id", "replication", "strategy"])[outcome].unstack("strategy")
        if outcome in outcomes:
            for strategy in strategies:
                means = wide[strategy].groupby(level="point_id").mean()
                columns[response_name(outcome, strategy)] = means.reindex(points)
        if outcome in differences:
            for strategy in strategies[1:]:
                paired = (wide[strategy] - wide[baseline]).groupby(level="point_id").mean()
                columns[difference_name(outcome, strategy, baseline)] = paired.reindex(points)
    table = pd.DataFrame(columns, index=points)
    gaps = table.columns[table.isna().any()]
    if len(gaps):
        where = {c: [int(p) for p in table.index[table[c].isna()][:5]] for c in gaps}
        raise ValueError(
            "design points without a (paired) successful run: "
            + "; ".join(f"{c} at points {p}" for c, p in where.items())
        )
    return table


# --- Morris ------------------------------------------------------------------------------------


def _as_vector(Y: Any, name: str) -> np.ndarray:
    y = np.asarray(Y, dtype=float).reshape(-1)
    if np.isnan(y).any():
        raise ValueError(f"{name} holds NaN; every sample point needs a value")
    return y


def morris_indices(
    problem: Mapping[str, Any],
    X: Any,
    Y: Any,
    levels: int = 4,
    seed: int | None = None,
    level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Morris elementary effects of one output: mu, mu_star (mean absolute effect), sigma (spread
    of the effects: interactions or non-linearity) and mu_star_conf (half-width of the bootstrap
    interval of mu_star at `level`), one row per parameter, sorted by mu_star (largest first).

    `X` is the Morris sample in sample order (an array, or a table with a column per parameter);
    `levels` must be the number of grid levels it was sampled with."""
    from SALib.analyze import morris

    names = list(problem["names"])
    x = X[names].to_numpy(dtype=float) if isinstance(X, pd.DataFrame) else np.asarray(X, dtype=float)
    y = _as_vector(Y, "Y")
    k = len(names)
    if x.ndim != 2 or x.shape[1] != k:
        raise ValueError(f"X must have one column per parameter ({k}), got shape {x.shape}")
    if len(y) != len(x) or len(x) % (k + 1):
        raise ValueError(
            f"X ({len(x)} rows) and Y ({len(y)}) must hold whole trajectories of {k + 1} points each"
        )
    result = morris.analyze(
        dict(problem),
        x,
        y,
        num_resamples=resamples,
        conf_level=level,
        num_levels=levels,
        seed=seed,
    )
    table = pd.DataFrame(
        {
            "parameter": names,
            "mu": np.asarray(result["mu"], dtype=float),
            "mu_star": np.asarray(result["mu_star"], dtype=float),
            "sigma": np.asarray(result["sigma"], dtype=float),
            "mu_star_conf": np.asarray(result["mu_star_conf"], dtype=float),
        }
    )
    return table.sort_values("mu_star", ascending=False, kind="stable").reset_index(drop=True)


def _long(per_response: dict[str, pd.DataFrame]) -> pd.DataFrame:
    frames = []
    for response, table in per_response.items():
        outcome, strategy = split_response(response)
        frames.append(table.assign(response=response, outcome=outcome, strategy=strategy))
    out = pd.concat(frames, ignore_index=True)
    first = ["response", "outcome", "strategy"]
    return out[first + [c for c in out.columns if c not in first]]


def morris_by_response(
    problem: Mapping[str, Any],
    X: Any,
    Y: pd.DataFrame,
    levels: int = 4,
    seed: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """`morris_indices` for every column of `Y` (a `point_means` table), stacked with the columns
    response, outcome, strategy; adds mu_star_scaled = mu_star / the largest mu_star of the response
    (NaN when the response does not vary)."""
    tables = {}
    for response in Y.columns:
        table = morris_indices(problem, X, Y[response].to_numpy(), levels, seed, level)
        top = table["mu_star"].max()
        table["mu_star_scaled"] = table["mu_star"] / top if top > 0 else np.nan
        tables[response] = table
    return _long(tables)


def screening_scores(morris: pd.DataFrame, scaled: bool = False) -> pd.Series:
    """A parameter's screening score over several responses (a `morris_by_response` table),
    largest first: its largest mu_star over the responses (outcomes on one scale, like shares and
    0-1 scores), or with `scaled` its largest mu_star_scaled (each response's top parameter scores
    1, whatever the response's scale). Ties are broken by the mean over the responses, then by the
    order of first appearance."""
    column = "mu_star_scaled" if scaled else "mu_star"
    values = morris[column].fillna(0.0)
    order = list(dict.fromkeys(morris["parameter"]))
    grouped = values.groupby(morris["parameter"])
    stats = pd.DataFrame({"max": grouped.max(), "mean": grouped.mean()}).reindex(order)
    stats["position"] = np.arange(len(stats))
    stats = stats.sort_values(["max", "mean", "position"], ascending=[False, False, True], kind="stable")
    return stats["max"].rename("score")


def top_parameters(morris: pd.DataFrame, top: int, scaled: bool = False) -> list[str]:
    """The `top` parameters by `screening_scores`."""
    return list(screening_scores(morris, scaled).index[:top])


# --- Sobol -------------------------------------------------------------------------------------


def _sobol_analyze(
    problem: Mapping[str, Any], Y: Any, second_order: bool, seed: int | None, level: float, resamples: int
) -> dict[str, Any] | None:
    """SALib's Sobol analysis, or None when the output does not vary (indices undefined)."""
    from SALib.analyze import sobol

    y = _as_vector(Y, "Y")
    k = len(problem["names"])
    step = 2 * k + 2 if second_order else k + 2
    if len(y) % step:
        raise ValueError(
            f"Y has {len(y)} values; a Saltelli sample of {k} parameters has a multiple of {step} "
            f"({'with' if second_order else 'without'} second order)"
        )
    if np.ptp(y) == 0:
        return None
    with warnings.catch_warnings():
        # small base samples are allowed (documented as rough); SALib's note says so already
        warnings.filterwarnings("ignore", message=".*power of 2.*")
        return sobol.analyze(
            dict(problem),
            y,
            calc_second_order=second_order,
            num_resamples=resamples,
            conf_level=level,
            seed=seed,
        )


def sobol_indices(
    problem: Mapping[str, Any],
    Y: Any,
    second_order: bool = False,
    seed: int | None = None,
    level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Sobol first-order (S1) and total (ST) indices of one output from a Saltelli sample, with the
    half-width of their bootstrap interval at `level` (S1_conf, ST_conf), one row per parameter in
    problem order. `Y` is in sample order; `second_order` says how the sample was drawn. An output
    that does not vary has no indices (NaN)."""
    names = list(problem["names"])
    result = _sobol_analyze(problem, Y, second_order, seed, level, resamples)
    if result is None:
        nan = np.full(len(names), np.nan)
        return pd.DataFrame({"parameter": names, "S1": nan, "S1_conf": nan, "ST": nan, "ST_conf": nan})
    return pd.DataFrame(
        {
            "parameter": names,
            "S1": np.asarray(result["S1"], dtype=float),
            "S1_conf": np.asarray(result["S1_conf"], dtype=float),
            "ST": np.asarray(result["ST"], dtype=float),
            "ST_conf": np.asarray(result["ST_conf"], dtype=float),
        }
    )


def sobol_second_order(
    problem: Mapping[str, Any],
    Y: Any,
    seed: int | None = None,
    level: float = 0.95,
    resamples: int = 1000,
) -> pd.DataFrame:
    """Second-order indices S2 of each pair (a sample drawn with second order), with half-widths."""
    names = list(problem["names"])
    result = _sobol_analyze(problem, Y, True, seed, level, resamples)
    rows = []
    for i, j in itertools.combinations(range(len(names)), 2):
        s2 = np.nan if result is None else float(result["S2"][i, j])
        conf = np.nan if result is None else float(result["S2_conf"][i, j])
        rows.append({"parameter_a": names[i], "parameter_b": names[j], "S2": s2, "S2_conf": conf})
    return pd.DataFrame(rows, columns=SECOND_ORDER_COLUMNS)


def sobol_by_response(
    problem: Mapping[str, Any],
    Y: pd.DataFrame,
    second_order: bool = False,
    seed: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """`sobol_indices` for every column of `Y` (a `point_means` table), stacked with the columns
    response, outcome, strategy."""
    return _long({r: sobol_indices(problem, Y[r].to_numpy(), second_order, seed, level) for r in Y.columns})
