"""Time to housing and time to any exit, as Kaplan-Meier curves with censoring.

Each client is followed from their own arrival. Someone who has not found a home (or left the
shelter) by the end of the run, or by the week they stopped being followed, is *censored* then:
we know only that it took longer. A plain mean of "weeks to housing" among those housed would
leave them out and look too quick; Kaplan-Meier uses them for as long as they were seen.

The per-client tables come from `snf compare` (`clients.csv`: one row per measured arrival per run,
with `strategy`, `replication`, `arrival_week`, `week_housed`, `first_exit_week`, `record_week`).
Curves pool the clients of all replications (lifelines' estimator and its Greenwood band); the
table's intervals are taken across replications, like every other interval in the tool.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter

from simulation.analysis.effects import t_interval

#: events a client can be followed to: a home of their own (market or network), or any exit
EVENTS: dict[str, str] = {"housing": "week_housed", "exit": "first_exit_week"}

#: weeks after arrival at which the table reads the curves
TABLE_WEEKS: tuple[int, ...] = (13, 26, 52, 104)


def durations(clients: pd.DataFrame, event: str = "housing") -> pd.DataFrame:
    """Per client and run: weeks from arrival to the event, and whether it was seen (1) or censored (0).

    The follow-up ends at `record_week` (the end of the run, or the week the client stopped being
    followed); without that column, at the last week any client of the same run was recorded.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}; choose from {', '.join(EVENTS)}")
    column = EVENTS[event]
    if column not in clients.columns:
        raise ValueError(f"the client table has no {column!r} column (made by an older version?)")
    end = clients["record_week"] if "record_week" in clients.columns else _run_end(clients)
    happened = clients[column].to_numpy() >= 0
    stop = np.where(happened, clients[column].to_numpy(), end.to_numpy())
    keys = [c for c in ("strategy", "replication", "client") if c in clients.columns]
    out = clients[keys].copy()
    out["duration"] = (stop - clients["arrival_week"].to_numpy()).astype(float)
    out["observed"] = happened.astype(int)
    if (out["duration"] < 0).any():
        raise ValueError("an event or the end of follow-up lies before the arrival")
    return out.reset_index(drop=True)


def _run_end(clients: pd.DataFrame) -> pd.Series:
    keys = [c for c in ("strategy", "replication") if c in clients.columns]
    last = clients[["arrival_week", "week_housed", "first_exit_week"]].max(axis=1)
    if not keys:
        return pd.Series(last.max(), index=clients.index)
    return last.groupby([clients[k] for k in keys]).transform("max")


def kaplan_meier(times: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The Kaplan-Meier curve of one group: week, share still waiting (`survival`) with its band,
    the share who had the event (`reached` = 1 - survival) and the number still at risk."""
    fitter = KaplanMeierFitter(alpha=1 - level)
    fitter.fit(times["duration"], event_observed=times["observed"])
    curve = fitter.survival_function_.iloc[:, 0]
    band = fitter.confidence_interval_survival_function_
    table = fitter.event_table
    return pd.DataFrame(
        {
            "week": curve.index.to_numpy(dtype=float),
            "survival": curve.to_numpy(),
            "ci_low": band.iloc[:, 0].to_numpy(),
            "ci_high": band.iloc[:, 1].to_numpy(),
            "reached": 1.0 - curve.to_numpy(),
            "at_risk": table["at_risk"].reindex(curve.index).to_numpy(),
        }
    )


def curves(times: pd.DataFrame, by: str = "strategy", level: float = 0.95) -> pd.DataFrame:
    """One pooled Kaplan-Meier curve per group (strategy), in the groups' order of appearance."""
    frames = [
        kaplan_meier(block, level).assign(**{by: name}) for name, block in times.groupby(by, sort=False)
    ]
    return pd.concat(frames, ignore_index=True)[
        [by, "week", "survival", "ci_low", "ci_high", "reached", "at_risk"]
    ]


def survival_at(curve: pd.DataFrame, week: float) -> float:
    """The step function's value at `week` (NaN beyond the last week anyone was followed)."""
    if week > curve["week"].max():
        return float("nan")
    return float(curve.loc[curve["week"] <= week, "survival"].iloc[-1])


def median_time(curve: pd.DataFrame) -> float:
    """First week at which half have had the event (NaN: not reached while followed)."""
    below = curve[curve["survival"] <= 0.5]
    return float(below["week"].iloc[0]) if len(below) else float("nan")


def survival_table(
    times: pd.DataFrame, weeks: Iterable[int] = TABLE_WEEKS, baseline: str | None = None, level: float = 0.95
) -> pd.DataFrame:
    """Per strategy: the share who had the event by each week (1 - Kaplan-Meier) and the median time,
    each as a mean over replications with a 95% interval, and the paired difference to the baseline.

    A curve is estimated per replication, so the interval reflects the spread between runs (and the
    difference is paired: same arrivals under each strategy)."""
    strategies = list(dict.fromkeys(times["strategy"]))
    baseline = baseline or strategies[0]
    per_run = []
    for (strategy, replication), block in times.groupby(["strategy", "replication"], sort=False):
        curve = kaplan_meier(block, level)
        row = {"strategy": strategy, "replication": replication, "median": median_time(curve)}
        for week in weeks:
            row[f"by_{week}w"] = 1.0 - survival_at(curve, week)
        per_run.append(row)
    wide = pd.DataFrame(per_run)
    measures = [f"by_{w}w" for w in weeks] + ["median"]
    rows = []
    base = wide[wide["strategy"] == baseline].set_index("replication")
    for strategy in strategies:
        mine = wide[wide["strategy"] == strategy].set_index("replication")
        for measure in measures:
            mean, low, high = t_interval(mine[measure].to_numpy(), level)
            paired = (mine[measure] - base[measure].reindex(mine.index)).to_numpy()
            d_mean, d_low, d_high = t_interval(paired, level)
            rows.append(
                {
                    "strategy": strategy,
                    "measure": measure,
                    "runs_reached": int(np.count_nonzero(~np.isnan(mine[measure].to_numpy()))),
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "diff_vs_baseline": d_mean,
                    "diff_ci_low": d_low,
                    "diff_ci_high": d_high,
                }
            )
    return pd.DataFrame(rows)
