"""Threshold map: where does the strict Resource method reach most of what flexible support achieves?

The sweep runs both strategies at every point of a grid over mean network size, refusal share and
stramien tolerance, on the same replication seeds (common random numbers). Per point this module
gives the mean outcome under each strategy, their paired difference (per replication, then averaged)
and the ratio strict / flexible of the two means: the share of what flexible netwerkondersteuning
achieves that the strict method also achieves. The ratio's interval is a seeded percentile bootstrap
over replications that resamples whole replications (both strategies together), so it keeps the
pairing. A point `reaches` the threshold when the ratio is at least `reach` (default 80%);
`reaches_surely` when the lower bound of its interval is.

The ratio is meant for outcomes that are non-negative and where more is better (a share of clients
with a support group, perceived support); for others it reads oddly. Only replications in which both
strategies ran are used, so every number of a point rests on the same replications.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from simulation.analysis.effects import t_interval

NETWORK_SIZE = "population.network_size_mean"
REFUSAL = "population.refusal_share"
TOLERANCE = "population.stramien_tolerance_mean"
GRID = (NETWORK_SIZE, REFUSAL, TOLERANCE)

TABLE_COLUMNS = [
    "point_id",
    "outcome",
    "strict",
    "flexible",
    "n",
    "strict_mean",
    "strict_ci_low",
    "strict_ci_high",
    "flexible_mean",
    "flexible_ci_low",
    "flexible_ci_high",
    "diff",
    "diff_ci_low",
    "diff_ci_high",
    "ratio",
    "ratio_ci_low",
    "ratio_ci_high",
    "reach",
    "reaches",
    "reaches_surely",
]


def paired_values(
    runs: pd.DataFrame, outcome: str, strict: str, flexible: str
) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """point_id -> (strict values, flexible values), aligned by replication; only complete pairs."""
    for name in (strict, flexible):
        if name not in set(runs["strategy"]):
            raise ValueError(f"strategy {name!r} is not in the runs; found {sorted(set(runs['strategy']))}")
    if outcome not in runs.columns:
        raise ValueError(f"outcome {outcome!r} is not a column of the runs")
    both = runs[runs["strategy"].isin([strict, flexible])]
    wide = both.pivot(index=["point_id", "replication"], columns="strategy", values=outcome)
    out = {}
    for point_id, block in wide.groupby(level="point_id", sort=True):
        pairs = block[[strict, flexible]].dropna()
        out[int(point_id)] = (pairs[strict].to_numpy(dtype=float), pairs[flexible].to_numpy(dtype=float))
    return out


def ratio_of_means(strict: np.ndarray, flexible: np.ndarray) -> float:
    """mean(strict) / mean(flexible); NaN when the flexible mean is 0 (nothing to reach)."""
    if len(strict) == 0:
        return np.nan
    denominator = float(np.mean(flexible))
    return float(np.mean(strict)) / denominator if denominator != 0 else np.nan


def paired_ratio_interval(
    strict: np.ndarray, flexible: np.ndarray, level: float = 0.95, n_boot: int = 2000, seed: Any = 0
) -> tuple[float, float, float]:
    """Ratio of means with a percentile bootstrap interval that resamples whole replications.

    `seed` is anything numpy's default_rng takes (an int, or a list of ints), so each point can
    have its own reproducible stream. Fewer than two replications give NaN bounds."""
    ratio = ratio_of_means(strict, flexible)
    n = len(strict)
    if n < 2 or np.isnan(ratio):
        return ratio, np.nan, np.nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, (n_boot, n))
    boot_strict = strict[idx].mean(axis=1)
    boot_flexible = flexible[idx].mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = boot_strict / boot_flexible
    boot = boot[np.isfinite(boot)]
    if len(boot) == 0:
        return ratio, np.nan, np.nan
    alpha = (1 - level) / 2
    low, high = np.quantile(boot, [alpha, 1 - alpha])
    return ratio, float(low), float(high)


def threshold_table(
    runs: pd.DataFrame,
    design: pd.DataFrame,
    outcome: str = "has_support_group",
    strict: str = "resource",
    flexible: str = "flexible",
    reach: float = 0.8,
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per design point: both means, their paired difference and the ratio strict / flexible.

    `runs` has one row per (ok) run with point_id, strategy, replication and the outcome column;
    `design` has point_id and the design parameters, which are joined onto the result. Means and
    the difference have t-intervals over replications; the ratio a paired percentile bootstrap
    seeded by (seed, point_id), so a point's interval does not depend on the other points.
    """
    if not reach > 0:
        raise ValueError(f"reach must be above 0, got {reach}")
    pairs = paired_values(runs, outcome, strict, flexible)
    rows = []
    for point_id, (s, f) in pairs.items():
        s_mean, s_low, s_high = t_interval(s, level)
        f_mean, f_low, f_high = t_interval(f, level)
        d_mean, d_low, d_high = t_interval(s - f, level)
        ratio, r_low, r_high = paired_ratio_interval(s, f, level, n_boot, seed=[seed, point_id])
        rows.append(
            {
                "point_id": point_id,
                "outcome": outcome,
                "strict": strict,
                "flexible": flexible,
                "n": len(s),
                "strict_mean": s_mean,
                "strict_ci_low": s_low,
                "strict_ci_high": s_high,
                "flexible_mean": f_mean,
                "flexible_ci_low": f_low,
                "flexible_ci_high": f_high,
                "diff": d_mean,
                "diff_ci_low": d_low,
                "diff_ci_high": d_high,
                "ratio": ratio,
                "ratio_ci_low": r_low,
                "ratio_ci_high": r_high,
                "reach": reach,
                "reaches": bool(ratio >= reach) if not np.isnan(ratio) else False,
                "reaches_surely": bool(r_low >= reach) if not np.isnan(r_low) else False,
            }
        )
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    parameters = [c for c in design.columns if c != "point_id"]
    table = design[["point_id", *parameters]].merge(table, on="point_id", how="inner")
    return table.sort_values("point_id", kind="stable").reset_index(drop=True)


def threshold_region(
    table: pd.DataFrame,
    size: str = NETWORK_SIZE,
    refusal: str = REFUSAL,
    tolerance: str = TOLERANCE,
) -> pd.DataFrame:
    """Per stramien tolerance and refusal share: the smallest mean network size at which the strict
    method reaches the threshold (NaN: at no size in the grid), the same for `reaches_surely`,
    whether it keeps reaching at every larger size, and the best ratio in the row with its size."""
    rows = []
    for (tol, ref), block in table.groupby([tolerance, refusal], sort=True):
        block = block.sort_values(size, kind="stable")
        sizes = block[size].to_numpy(dtype=float)
        reaches = block["reaches"].to_numpy(dtype=bool)
        surely = block["reaches_surely"].to_numpy(dtype=bool)
        first = int(np.argmax(reaches)) if reaches.any() else None
        ratios = block["ratio"].to_numpy(dtype=float)
        has_ratio = ~np.isnan(ratios)
        best = int(np.nanargmax(ratios)) if has_ratio.any() else None
        rows.append(
            {
                tolerance: tol,
                refusal: ref,
                "min_network_size": sizes[first] if first is not None else np.nan,
                "min_network_size_surely": sizes[int(np.argmax(surely))] if surely.any() else np.nan,
                "reaches_at_all_larger": bool(reaches[first:].all()) if first is not None else False,
                "best_ratio": ratios[best] if best is not None else np.nan,
                "best_network_size": sizes[best] if best is not None else np.nan,
            }
        )
    return pd.DataFrame(rows)


def describe_region(
    table: pd.DataFrame,
    size: str = NETWORK_SIZE,
    refusal: str = REFUSAL,
    tolerance: str = TOLERANCE,
) -> dict[str, Any]:
    """The region where the strict method reaches the threshold, in the terms a sentence needs.

    The bounds are necessary conditions read off the reaching points: every reaching point has at
    least `min_size` naasten, at most `max_refusal` refusal and at least `min_tolerance` tolerance.
    A bound is None when it does not restrict (it equals the edge of the grid). Also the point with
    the best ratio (for the case that no point reaches) and the worst ratio.
    """
    valid = table.dropna(subset=["ratio"])
    hit = table[table["reaches"]]
    out: dict[str, Any] = {
        "reach": float(table["reach"].iloc[0]) if len(table) else np.nan,
        "points": len(table),
        "reaching": len(hit),
        "reaching_surely": int(table["reaches_surely"].sum()),
        "everywhere": len(table) > 0 and len(hit) == len(table),
        "min_size": None,
        "max_refusal": None,
        "min_tolerance": None,
        "best_ratio": np.nan,
        "best_size": np.nan,
        "best_refusal": np.nan,
        "best_tolerance": np.nan,
        "worst_ratio": np.nan,
    }
    if len(valid):
        best = valid.loc[valid["ratio"].idxmax()]
        out.update(
            best_ratio=float(best["ratio"]),
            best_size=float(best[size]),
            best_refusal=float(best[refusal]),
            best_tolerance=float(best[tolerance]),
            worst_ratio=float(valid["ratio"].min()),
        )
    if len(hit):
        if hit[size].min() > table[size].min():
            out["min_size"] = float(hit[size].min())
        if hit[refusal].max() < table[refusal].max():
            out["max_refusal"] = float(hit[refusal].max())
        if hit[tolerance].min() > table[tolerance].min():
            out["min_tolerance"] = float(hit[tolerance].min())
    return out
