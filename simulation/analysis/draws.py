"""Parameter uncertainty against simulation noise: outcomes over posterior draws x replications.

Every draw runs on the same replication seeds (common random numbers), so the draws differ only in
their parameters. `variance_shares` splits an outcome's variance into the part from the parameters
and the part from simulation noise; `over_draws` gives one quantity's mean, its interval over the
draws and that split; `posterior_effects` does so for every strategy and outcome and the paired
differences, and `design_posterior_effects` for every point of a design crossed with draws.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def variance_shares(table: pd.DataFrame, value: str = "value", draw: str = "draw") -> dict[str, float]:
    """Split the variance of `value` over draws x replications (one-way random effects, balanced or
    not): noise = mean within-draw variance; parameter = variance of the draw means minus the noise
    they still carry (noise / replications per draw), floored at 0. Returns the two variances, the
    total and the parameter share."""
    groups = table.groupby(draw)[value]
    reps = groups.count()
    if (reps < 2).any():
        raise ValueError("every draw needs at least two replications to separate noise from parameters")
    noise = float(groups.var(ddof=1).mean())
    means = groups.mean()
    between = float(means.var(ddof=1)) if len(means) > 1 else 0.0
    parameter = max(0.0, between - noise * float(np.mean(1.0 / reps)))
    total = parameter + noise
    return {
        "parameter_variance": parameter,
        "noise_variance": noise,
        "total_variance": total,
        "parameter_share": parameter / total if total > 0 else float("nan"),
    }


def over_draws(values: pd.Series, draw: str, level: float = 0.95) -> dict[str, float]:
    """One quantity over posterior draws x replications (`values` indexed by `draw` and the
    replication): its mean; the interval of its expected value over the draws (parameter
    uncertainty: quantiles of the draw means); the prediction interval of one run (quantiles of all
    runs: parameters and simulation noise); and the share of its variance from the parameters."""
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    values = values.dropna()
    if values.empty:
        return dict.fromkeys(
            ("mean", "param_low", "param_high", "run_low", "run_high", "parameter_share"), np.nan
        )
    table = values.rename("value").reset_index()
    means = table.groupby(draw)["value"].mean()
    try:  # one draw says nothing about how much the parameters move the outcome
        share = variance_shares(table, "value", draw)["parameter_share"] if len(means) > 1 else np.nan
    except ValueError:
        share = np.nan
    return {
        "mean": float(values.mean()),
        "param_low": float(means.quantile(lo)),
        "param_high": float(means.quantile(hi)),
        "run_low": float(values.quantile(lo)),
        "run_high": float(values.quantile(hi)),
        "parameter_share": share,
    }


def posterior_effects(
    runs: pd.DataFrame, baseline: str, level: float = 0.95, draw: str = "point_id"
) -> pd.DataFrame:
    """Per strategy and outcome over posterior draws x replications (common random numbers): the
    quantities of `over_draws` for the outcome and for the paired difference to the baseline
    (columns prefixed `diff_`). `runs`: one row per run and outcome with columns `draw`, strategy,
    replication, outcome, value."""
    wide = runs.set_index(["outcome", draw, "replication", "strategy"])["value"].unstack("strategy")
    rows = []
    for outcome in dict.fromkeys(runs["outcome"]):
        block = wide.loc[outcome]
        for strategy in dict.fromkeys(runs["strategy"]):
            row: dict[str, Any] = {"strategy": strategy, "outcome": outcome}
            row.update(over_draws(block[strategy], draw, level))
            if strategy != baseline:
                diff = over_draws(block[strategy] - block[baseline], draw, level)
                row.update({f"diff_{k}": v for k, v in diff.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def design_posterior_effects(
    runs: pd.DataFrame, points_per_draw: int, baseline: str, level: float = 0.95
) -> pd.DataFrame:
    """`posterior_effects` for each point of a design crossed with posterior draws (point_id =
    draw * points_per_draw + point; see `with_draws`): a column `point` (the design's own point_id),
    then strategy, outcome and the intervals over draws."""
    runs = split_point_ids(runs, points_per_draw)
    tables = [
        posterior_effects(block, baseline, level, draw="draw").assign(point=point)
        for point, block in runs.groupby("point", sort=True)
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["point", *(c for c in table.columns if c != "point")]]


def split_point_ids(runs: pd.DataFrame, points_per_draw: int) -> pd.DataFrame:
    """Runs of a design crossed with posterior draws (point_id = draw * points_per_draw + point),
    with the `draw` and the design's own `point` of each run."""
    return runs.assign(draw=runs["point_id"] // points_per_draw, point=runs["point_id"] % points_per_draw)
