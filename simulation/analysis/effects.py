"""Means and paired differences with 95% intervals across replications.

Replications of different strategies share their seeds (common random numbers), so the difference
between two strategies is taken per replication first and then averaged: a paired comparison.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

SUMMARY_COLUMNS = [
    "strategy",
    "outcome",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "diff_vs_baseline",
    "diff_ci_low",
    "diff_ci_high",
]


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and t-based interval; a single value has no interval (NaN bounds)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan
    sd = float(values.std(ddof=1))
    if sd == 0.0:
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    return mean, mean - half, mean + half


def summarise(runs: pd.DataFrame, baseline: str | None = None, level: float = 0.95) -> pd.DataFrame:
    """Per strategy and outcome: mean with interval, and the paired difference to the baseline.

    `runs` has one row per run and outcome: columns strategy, replication, outcome, value.
    The baseline is the first strategy unless named.
    """
    strategies = list(dict.fromkeys(runs["strategy"]))
    baseline = baseline or strategies[0]
    if baseline not in strategies:
        raise ValueError(f"baseline {baseline!r} is not among the strategies {strategies}")
    wide = runs.pivot_table(
        index=["outcome", "replication"], columns="strategy", values="value", aggfunc="first"
    )
    rows = []
    for outcome in dict.fromkeys(runs["outcome"]):
        block = wide.loc[outcome]
        for strategy in strategies:
            values = block[strategy].to_numpy()
            mean, low, high = t_interval(values, level)
            diff = (block[strategy] - block[baseline]).to_numpy()
            d_mean, d_low, d_high = t_interval(diff, level)
            rows.append(
                {
                    "strategy": strategy,
                    "outcome": outcome,
                    "n": int(np.count_nonzero(~np.isnan(values))),
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff_vs_baseline": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                }
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def weekly_bands(weekly: pd.DataFrame, outcome: str, level: float = 0.95) -> pd.DataFrame:
    """Mean and interval of a weekly outcome across replications, per strategy and week."""
    rows = []
    for (strategy, week), group in weekly.groupby(["strategy", "week"], sort=False):
        mean, low, high = t_interval(group[outcome].to_numpy(), level)
        rows.append({"strategy": strategy, "week": week, "mean": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)
