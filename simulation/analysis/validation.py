"""Pattern-oriented validation: does the model reproduce what is known, and lose it when the cause
is removed? (brief, section 5.6; Grimm & Railsback's pattern-oriented modelling)

Each pattern is computed from run tables with an interval over replications and compared with what
the evidence leads one to expect. No rule of the model refers to these patterns; if one fails with
the default parameters, the assumed parameters are recalibrated (docs/ODD.md, Calibration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis.effects import t_interval

#: the design points of the bottleneck experiment
POINTS = ("default", "large_networks_only", "full_consent_only", "high_tolerance_only", "all_removed")


@dataclass(frozen=True)
class Result:
    pattern: str
    source: str
    expected: str
    simulated: float
    ci_low: float
    ci_high: float
    passed: bool
    low: float | None = None  # the expected band, for the figure
    high: float | None = None


def values(runs: pd.DataFrame, point: str, strategy: str, outcome: str) -> pd.Series:
    """One value per replication, indexed by replication."""
    rows = runs[(runs["point"] == point) & (runs["strategy"] == strategy)]
    return rows.set_index("replication")[outcome].sort_index()


def _share(runs: pd.DataFrame, point: str, strategy: str, outcome: str) -> tuple[float, float, float]:
    return t_interval(values(runs, point, strategy, outcome).to_numpy())


def _gap(runs: pd.DataFrame, point: str, outcome: str = "has_support_group") -> np.ndarray:
    return (values(runs, point, "flexible", outcome) - values(runs, point, "resource", outcome)).to_numpy()


def _ratio_interval(
    num: np.ndarray, den: np.ndarray, seed: int = 0, n_boot: int = 2000
) -> tuple[float, float, float]:
    """Ratio of means with a paired percentile bootstrap over replications."""
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(num), (n_boot, len(num)))
    with np.errstate(divide="ignore", invalid="ignore"):
        boot = num[idx].mean(axis=1) / den[idx].mean(axis=1)
    boot = boot[np.isfinite(boot)]
    ratio = num.mean() / den.mean() if den.mean() != 0 else np.nan
    low, high = np.quantile(boot, [0.025, 0.975]) if len(boot) else (np.nan, np.nan)
    return float(ratio), float(low), float(high)


def in_band(
    name: str,
    source: str,
    estimate: tuple[float, float, float],
    low: float | None,
    high: float | None,
    expected: str,
    on_interval: bool = False,
) -> Result:
    """Pass when the estimate (or, with `on_interval`, its whole interval) lies in [low, high]."""
    mean, ci_low, ci_high = estimate
    lo = ci_low if on_interval else mean
    hi = ci_high if on_interval else mean
    ok = (low is None or lo >= low) and (high is None or hi <= high)
    return Result(name, source, expected, mean, ci_low, ci_high, bool(ok), low, high)


def bottleneck_patterns(runs: pd.DataFrame) -> list[Result]:
    """Patterns of the strict method on the default scenario and with each cause removed.

    `runs`: one row per run with columns point (one of POINTS), strategy, replication and outcomes.
    """
    out = [
        in_band(
            "strict method: most clients end without a formal group",
            "snf2023",
            _share(runs, "default", "resource", "formal_group"),
            None,
            0.5,
            "below 50% have a formal group at the end",
            on_interval=True,
        ),
        in_band(
            "strict method: networks too small for a group (too_few_ties)",
            "snf2023",
            _share(runs, "default", "resource", "no_group_too_few_ties"),
            0.05,
            None,
            "a real share: at least 5% of clients",
            on_interval=True,
        ),
        in_band(
            "strict method: clients refuse contact with naasten (no_consent)",
            "snf2023",
            _share(runs, "default", "resource", "no_group_no_consent"),
            0.05,
            None,
            "a real share: at least 5% of clients",
            on_interval=True,
        ),
        in_band(
            "strict method: the stramien does not fit (dropped_out)",
            "snf2023",
            _share(runs, "default", "resource", "no_group_dropped_out"),
            0.05,
            None,
            "a real share: at least 5% of clients",
            on_interval=True,
        ),
        in_band(
            "flexible support gives more clients a support group (paired difference)",
            "snf2023",
            t_interval(_gap(runs, "default")),
            0.0,
            None,
            "flexible - strict above 0 (whole interval)",
            on_interval=True,
        ),
    ]
    for point, reason, label in (
        ("large_networks_only", "no_group_too_few_ties", "large networks: 'too few ties' shrinks"),
        ("full_consent_only", "no_group_no_consent", "full consent: 'no consent' shrinks"),
        ("high_tolerance_only", "no_group_dropped_out", "high tolerance: 'dropped out' shrinks"),
    ):
        base = values(runs, "default", "resource", reason).to_numpy()
        removed = values(runs, point, "resource", reason).to_numpy()
        out.append(
            in_band(
                f"cause removed - {label} by at least half",
                "snf2023",
                _ratio_interval(removed, base),
                None,
                0.5,
                "share with the cause removed / default share at most 0.5",
            )
        )
    out.append(
        in_band(
            "all three causes removed: the flexible-strict gap shrinks by at least half",
            "snf2023",
            _ratio_interval(_gap(runs, "all_removed"), _gap(runs, "default")),
            None,
            0.5,
            "gap without the bottlenecks / default gap at most 0.5",
        )
    )
    willing = values(runs, "default", "resource", "willing").to_numpy()
    formed = values(runs, "default", "resource", "formal_group_formed").to_numpy()
    out += [
        in_band(
            "uptake funnel: willing to involve naasten",
            "dijkstra2017",
            t_interval(willing),
            0.45,
            0.75,
            "about 60% (45-75%)",
        ),
        in_band(
            "uptake funnel: formal group formed",
            "dijkstra2017",
            t_interval(formed),
            0.15,
            0.40,
            "about 27% (15-40%)",
        ),
        in_band(
            "uptake funnel: formed among the willing (formed / willing)",
            "dijkstra2017",
            _ratio_interval(formed, willing),
            0.25,
            0.65,
            "about 0.45 (0.25-0.65)",
        ),
    ]
    return out


def housing_pattern(runs: pd.DataFrame, weeks: int) -> Result:
    """About two thirds housed 2.5 years (130 weeks) after shelter entry under care as usual."""
    housed = runs[runs["strategy"] == "care_as_usual"]["housed"].to_numpy()
    return in_band(
        f"care as usual: housed after {weeks} weeks",
        "vanstraaten2016",
        t_interval(housed),
        0.60,
        0.75,
        "about two thirds (68.5%; 60-75%)",
    )


def transition_pattern(runs: pd.DataFrame, weeks: int) -> list[Result]:
    """Network support raises support early without much effect on housing yet (CTI, 9 months)."""

    def diff(outcome: str) -> np.ndarray:
        a = runs[runs["strategy"] == "flexible"].set_index("replication")[outcome].sort_index()
        b = runs[runs["strategy"] == "care_as_usual"].set_index("replication")[outcome].sort_index()
        return (a - b).to_numpy()

    return [
        in_band(
            f"after {weeks} weeks network support raises perceived support",
            "devet2017",
            t_interval(diff("perceived_support")),
            0.0,
            None,
            "difference above 0 (whole interval)",
            on_interval=True,
        ),
        in_band(
            f"after {weeks} weeks the effect on being housed is still small",
            "devet2017",
            t_interval(diff("housed")),
            -0.10,
            0.10,
            "difference within +-10 points",
        ),
    ]


PatternFn = Callable[[pd.DataFrame], list[Result]]


def results_table(results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame([r.__dict__ for r in results])
