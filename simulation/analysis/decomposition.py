"""Bottleneck decomposition: how much of the gap between two strategies each knob explains.

The sweep runs the `from` strategy with every combination of knobs switched to the `to` strategy's
values, all on the same replication seeds. Within each replication the Shapley values of the knobs
are computed for each outcome; their mean and 95% interval across replications are reported, with
each knob's share of the total gap. Over posterior draws (a `draw` column in the runs, every draw on
the same seeds) the values are computed per draw and replication, and each knob also gets its interval
over the draws and the share of its variance that comes from the parameters rather than noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.draws import over_draws
from simulation.analysis.effects import t_interval
from simulation.analysis.shapley import shapley_from_table

KNOB_PREFIX = "strategy."


def coalitions(design: pd.DataFrame, knobs: list[str], to_values: dict[str, object]) -> dict[int, frozenset]:
    """point_id -> the set of knobs switched to the `to` value at that point."""
    out = {}
    for _, row in design.iterrows():
        switched = frozenset(k for k in knobs if row[KNOB_PREFIX + k] == to_values[k])
        out[int(row["point_id"])] = switched
    return out


def decompose(
    runs: pd.DataFrame,
    design: pd.DataFrame,
    knobs: list[str],
    to_values: dict[str, object],
    outcomes: list[str],
    level: float = 0.95,
) -> pd.DataFrame:
    """Shapley values per knob and outcome, with intervals over replications.

    `runs` has one row per run with point_id, replication (and draw, over posterior draws) and the
    outcome columns. Rows: outcome, knob (or 'total'), shapley, ci_low, ci_high, share (of the total
    gap), n; over draws also param_low, param_high (interval over the draws) and parameter_share.
    """
    point_coalition = coalitions(design, knobs, to_values)
    units = ["draw", "replication"] if "draw" in runs.columns else ["replication"]
    rows = []
    for outcome in outcomes:
        per_rep: dict[str, list[float]] = {k: [] for k in [*knobs, "total"]}
        done: list[tuple] = []  # the (draw,) replication of each value in per_rep
        unmeasured = False
        for unit, group in runs.groupby(units):
            table = {
                point_coalition[int(p)]: float(v)
                for p, v in zip(group["point_id"], group[outcome], strict=True)
            }
            if len(table) < 2 ** len(knobs):
                continue  # a run of this replication failed: its combinations are incomplete
            if any(np.isnan(v) for v in table.values()):
                unmeasured = True  # e.g. housed_52w in a run shorter than 52 weeks: nothing to split
                continue
            phi = shapley_from_table(knobs, table)
            for k in knobs:
                per_rep[k].append(phi[k])
            per_rep["total"].append(table[frozenset(knobs)] - table[frozenset()])
            done.append(unit)
        if not per_rep["total"] and unmeasured:
            continue  # the outcome was not measured in these runs: left out, not shown as zero
        if not per_rep["total"]:
            raise ValueError("no replication has every knob combination (runs failed); nothing to decompose")
        total_mean, total_low, total_high = t_interval(np.array(per_rep["total"]), level)
        # a share of the gap only means something when there is a gap (its interval excludes 0)
        has_gap = abs(total_mean) > 1e-12 and (np.isnan(total_low) or total_low > 0 or total_high < 0)
        for k in [*knobs, "total"]:
            mean, low, high = t_interval(np.array(per_rep[k]), level)
            share = mean / total_mean if has_gap else np.nan
            row = {
                "outcome": outcome,
                "knob": k,
                "shapley": mean,
                "ci_low": low,
                "ci_high": high,
                "share": share,
                "n": len(per_rep[k]),
            }
            if "draw" in units:
                values = pd.Series(per_rep[k], index=pd.MultiIndex.from_tuples(done, names=units))
                spread = over_draws(values, "draw", level)
                row |= {c: spread[c] for c in ("param_low", "param_high", "parameter_share")}
            rows.append(row)
    return pd.DataFrame(rows)
