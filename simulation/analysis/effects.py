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


def _by_strategy(runs: pd.DataFrame) -> pd.DataFrame:
    """(outcome, replication) x strategy. groupby keeps outcomes missing in every run (e.g.
    housed_104w in a short run) as NaN rows, where pivot_table would drop them from the summary."""
    keys = ["outcome", "replication", "strategy"]
    return runs.groupby(keys, sort=False)["value"].first().unstack("strategy")


def summarise(
    runs: pd.DataFrame,
    baseline: str | None = None,
    level: float = 0.95,
    method: str = "t",
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per strategy and outcome: mean with interval, and the paired difference to the baseline.

    `runs` has one row per run and outcome: columns strategy, replication, outcome, value.
    The baseline is the first strategy unless named. `method` is "t" (t-based intervals) or
    "bootstrap" (seeded percentile bootstrap over replications).
    """
    if method == "t":
        interval = t_interval
    elif method == "bootstrap":

        def interval(values: np.ndarray, level: float) -> tuple[float, float, float]:
            return bootstrap_interval(values, level, n_boot, seed)
    else:
        raise ValueError(f"unknown interval method {method!r}; use 't' or 'bootstrap'")
    strategies = list(dict.fromkeys(runs["strategy"]))
    baseline = baseline or strategies[0]
    if baseline not in strategies:
        raise ValueError(f"baseline {baseline!r} is not among the strategies {strategies}")
    wide = _by_strategy(runs)
    rows = []
    for outcome in dict.fromkeys(runs["outcome"]):
        block = wide.loc[outcome]
        for strategy in strategies:
            values = block[strategy].to_numpy()
            mean, low, high = interval(values, level)
            diff = (block[strategy] - block[baseline]).to_numpy()
            d_mean, d_low, d_high = interval(diff, level)
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


def bootstrap_interval(
    values: np.ndarray, level: float = 0.95, n_boot: int = 2000, seed: int = 0
) -> tuple[float, float, float]:
    """Mean and percentile-bootstrap interval (seeded, so it is reproducible)."""
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan, np.nan
    mean = float(values.mean())
    if len(values) < 2:
        return mean, np.nan, np.nan
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (n_boot, len(values)))].mean(axis=1)
    alpha = (1 - level) / 2
    return mean, float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Difference of means of two independent samples with a Welch interval (no pairing)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    diff = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = np.sqrt(va + vb)
    if se == 0:
        return diff, diff, diff
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + level / 2, dof)) * se
    return diff, diff - half, diff + half


def crn_narrowing(runs: pd.DataFrame, baseline: str, level: float = 0.95) -> pd.DataFrame:
    """How much common random numbers narrowed each difference's interval.

    For each strategy and outcome: the width of the paired interval (same seeds) and of the interval
    had the replications been independent (Welch), and their ratio (paired / unpaired; below 1 means
    the pairing helped; 0.25 means the same precision needed 16 times fewer replications).
    """
    wide = _by_strategy(runs)
    rows = []
    for outcome in dict.fromkeys(runs["outcome"]):
        block = wide.loc[outcome]
        for strategy in dict.fromkeys(runs["strategy"]):
            if strategy == baseline:
                continue
            a, b = block[strategy].to_numpy(), block[baseline].to_numpy()
            _, p_low, p_high = t_interval(a - b, level)
            _, u_low, u_high = welch_interval(a, b, level)
            paired, unpaired = p_high - p_low, u_high - u_low
            rows.append(
                {
                    "strategy": strategy,
                    "outcome": outcome,
                    "paired_width": paired,
                    "unpaired_width": unpaired,
                    "width_ratio": paired / unpaired if unpaired > 0 else np.nan,
                    "replications_saved_factor": (unpaired / paired) ** 2 if paired > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


# --- for whom: paired effects by client subgroup --------------------------------------------------


def client_subgroups(clients: pd.DataFrame) -> pd.DataFrame:
    """The subgroups the report asks about, one column each, from a client's attributes at arrival
    (the same under every strategy, so a subgroup holds the same people in each)."""
    network = clients["naasten"] - clients.get("ties_built", 0)  # naasten at arrival, before new ties
    tolerance = clients["stramien_tolerance"]
    return pd.DataFrame(
        {
            "network": pd.cut(network, [-1, 0, 3, 7, np.inf], labels=["none", "1-3", "4-7", "8+"]),
            "refusal": np.where(clients["refuses_all"], "refuses", "allows"),
            "stramien": pd.cut(tolerance, [-np.inf, 1 / 3, 2 / 3, np.inf], labels=["low", "middle", "high"]),
        },
        index=clients.index,
    ).astype(str)


def subgroup_effects(
    clients: pd.DataFrame,
    value: pd.Series,
    baseline: str,
    level: float = 0.95,
    min_clients: int = 5,
) -> pd.DataFrame:
    """Per strategy and subgroup: the mean of `value` and its paired difference from the baseline.

    `value` is one number per client row (NaN: not measured, e.g. not followed long enough). Rows are
    paired by (replication, client): common random numbers make the same arrival the same person
    under every strategy. Per replication the difference is averaged over the subgroup's paired
    clients; the interval is across replications. Subgroups with fewer than `min_clients` paired
    clients per replication on average are left out (too few to say anything)."""
    groups = client_subgroups(clients)
    frame = pd.concat(
        [clients[["strategy", "replication", "client"]], groups, value.rename("value")], axis=1
    ).dropna(subset=["value"])
    base = frame[frame["strategy"] == baseline][["replication", "client", "value"]]
    rows = []
    for strategy in dict.fromkeys(frame["strategy"]):
        paired = frame[frame["strategy"] == strategy].merge(
            base, on=["replication", "client"], suffixes=("", "_base")
        )
        paired["diff"] = paired["value"] - paired["value_base"]
        for dimension in groups.columns:
            for group, block in paired.groupby(dimension, sort=True):
                per_run = block.groupby("replication")[["value", "value_base", "diff"]].mean()
                size = len(block) / max(1, paired["replication"].nunique())
                if size < min_clients:
                    continue
                mean, low, high = t_interval(per_run["value"].to_numpy(), level)
                d_mean, d_low, d_high = t_interval(per_run["diff"].to_numpy(), level)
                rows.append(
                    {
                        "strategy": strategy,
                        "dimension": dimension,
                        "group": group,
                        "clients_per_run": size,
                        "mean": mean,
                        "ci_low": low,
                        "ci_high": high,
                        "baseline_mean": float(per_run["value_base"].mean()),
                        "diff_vs_baseline": d_mean,
                        "diff_ci_low": d_low,
                        "diff_ci_high": d_high,
                    }
                )
    return pd.DataFrame(rows)
