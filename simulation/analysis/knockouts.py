"""Mechanism knockouts: how much of each strategy's effect depends on each mechanism.

The sweep runs every strategy (and the care-as-usual baseline) with all mechanisms on, and with
each mechanism switched off in turn, on the same replication seeds. A strategy's effect is its
paired difference from the baseline under the same switches. The share of the effect that depends
on mechanism m is 1 - effect(m off) / effect(all on): 0 means the effect does not need m, 1 means it
vanishes without it (it can exceed 1 or go negative when m's removal reverses the effect). Intervals
are percentile bootstraps over replications (the ratio makes t-intervals unreliable).

Mediation by knockout: the share of a strategy's effect on housing that depends on the perceived
support (or eigen regie) pathway is the same quantity with m = that mechanism. When a pathway is
knocked out the mediator reaching housing is held at each client's starting value, so this is a
controlled-direct-effect style estimate; it assumes the pathways do not interact in ways the
knockout of one hides (compare the shares: they need not add up to 1).

Over posterior draws (a `draw` column in the runs, every draw on the same seeds) a replication is a
(draw, replication) pair; each row also gets the interval over the draws of the strategy's effect and
of the share that depends on the mechanism (computed per draw), and the share of the variance of the
effect and of the part lost by the knockout that comes from the parameters rather than noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.draws import over_draws

MECH_PREFIX = "mechanisms."


def point_labels(design: pd.DataFrame, mechanisms: list[str]) -> dict[int, str]:
    """point_id -> 'all_on' or the one mechanism switched off there."""
    labels = {}
    for _, row in design.iterrows():
        off = [m for m in mechanisms if not bool(row[MECH_PREFIX + m])]
        if len(off) > 1:
            raise ValueError(f"point {row['point_id']} switches off more than one mechanism: {off}")
        labels[int(row["point_id"])] = off[0] if off else "all_on"
    return labels


def _effects(
    runs: pd.DataFrame, strategy: str, baseline: str, outcome: str, label_of: dict[int, str]
) -> pd.DataFrame:
    """replication (or draw and replication) x point-label table of paired effects (strategy minus
    baseline)."""
    frame = runs.assign(label=runs["point_id"].map(label_of))
    units = ["draw", "replication"] if "draw" in runs.columns else ["replication"]
    # groupby keeps runs whose outcome is missing (NaN), where pivot_table would drop them
    wide = frame.groupby(["label", *units, "strategy"])[outcome].first().unstack("strategy")
    effect = (wide[strategy] - wide[baseline]).unstack("label")
    return effect  # index replication (or draw, replication), columns labels


def _over_draws(effect: pd.DataFrame, mechanism: str, level: float) -> dict[str, float]:
    """The effect and the share depending on `mechanism` over posterior draws (see the module)."""
    on, off = effect["all_on"], effect[mechanism]
    by_draw = effect.groupby(level="draw")[["all_on", mechanism]].mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = (1 - by_draw[mechanism] / by_draw["all_on"]).where(by_draw["all_on"].abs() > 1e-12)
    shares = shares.replace([np.inf, -np.inf], np.nan).dropna()
    alpha = (1 - level) / 2
    spread = over_draws(on, "draw", level)
    return {
        "effect_param_low": spread["param_low"],
        "effect_param_high": spread["param_high"],
        "effect_parameter_share": spread["parameter_share"],
        "share_param_low": float(shares.quantile(alpha)) if len(shares) else np.nan,
        "share_param_high": float(shares.quantile(1 - alpha)) if len(shares) else np.nan,
        "lost_parameter_share": over_draws(on - off, "draw", level)["parameter_share"],
    }


def knockout_effects(
    runs: pd.DataFrame,
    design: pd.DataFrame,
    mechanisms: list[str],
    outcomes: list[str],
    baseline: str = "care_as_usual",
    level: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    label_of = point_labels(design, mechanisms)
    strategies = [s for s in dict.fromkeys(runs["strategy"]) if s != baseline]
    rng = np.random.default_rng(seed)
    alpha = (1 - level) / 2
    rows = []
    for outcome in outcomes:
        for strategy in strategies:
            effect = _effects(runs, strategy, baseline, outcome, label_of)
            if effect["all_on"].isna().all():
                continue  # not measured in these runs (e.g. housed_52w in a short run): left out
            on = effect["all_on"].to_numpy()
            n = len(on)
            boot_idx = rng.integers(0, n, (n_boot, n))
            for mechanism in mechanisms:
                if mechanism not in effect:
                    continue
                off = effect[mechanism].to_numpy()
                mean_on, mean_off = on.mean(), off.mean()
                share = 1 - mean_off / mean_on if abs(mean_on) > 1e-12 else np.nan
                boot_on = on[boot_idx].mean(axis=1)
                boot_off = off[boot_idx].mean(axis=1)
                with np.errstate(divide="ignore", invalid="ignore"):
                    boot_share = 1 - boot_off / boot_on
                boot_share = boot_share[np.isfinite(boot_share)]
                low, high = (
                    np.quantile(boot_share, [alpha, 1 - alpha]) if len(boot_share) else (np.nan, np.nan)
                )
                row = {
                    "strategy": strategy,
                    "mechanism": mechanism,
                    "outcome": outcome,
                    "effect_all_on": mean_on,
                    "effect_knocked_out": mean_off,
                    "share_dependent": share,
                    "share_ci_low": float(low),
                    "share_ci_high": float(high),
                    "n": n,
                }
                if "draw" in runs.columns:
                    row |= _over_draws(effect, mechanism, level)
                rows.append(row)
    return pd.DataFrame(rows)


MEDIATORS = {"perceived_support": "perceived support", "eigen_regie": "eigen regie"}


def mediation(knockouts: pd.DataFrame, outcome: str = "housed") -> pd.DataFrame:
    """The share of each strategy's effect on `outcome` that runs through each mediator pathway."""
    rows = knockouts[(knockouts["outcome"] == outcome) & knockouts["mechanism"].isin(list(MEDIATORS))]
    return rows.rename(
        columns={
            "mechanism": "mediator",
            "share_dependent": "share_mediated",
            "share_ci_low": "ci_low",
            "share_ci_high": "ci_high",
        }
    ).reset_index(drop=True)
