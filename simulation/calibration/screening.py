"""Morris screening of the open shelter's flow parameters against the `calibrate` targets.

Which parameters `snf calibrate` fits should follow from what moves the calibrate targets, not from
habit. This module varies every candidate flow parameter over a stated range with a Morris design
(SALib), runs each design point through `abc.Simulator` on the same few replication seeds (common
random numbers: a difference between two points is the parameters', not the noise's), and measures
every calibrate target.

Each response is a target's simulated value divided by its sd in the calibration distance
(`Target.sd`, the scale `ScaledDistance` uses), so mu_star reads on the scale of the distance: the
typical change, in sd of the target's uncertainty, when a parameter moves over its whole range. A
parameter's rank is its largest scaled mu_star over the targets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from simulation.analysis.sensitivity import morris_indices
from simulation.calibration.abc import PRIORS, Simulator
from simulation.experiments.executors import process_context
from simulation.experiments.seeds import replication_seeds

TABLE_COLUMNS = ["parameter", "target", "mu", "mu_star", "sigma", "mu_star_conf"]
RANKING_COLUMNS = ["rank", "parameter", "max_mu_star", "target", "mu_star_conf", "sigma", "in_priors"]


@dataclass(frozen=True)
class Candidate:
    """A flow parameter that might be calibrated: its range in the screening and why that range."""

    path: str
    low: float
    high: float
    why: str
    kind: Literal["uniform", "loguniform"] = "uniform"

    def to_unit(self, value: float) -> float:
        """The design's coordinate of a value (log10 for a log-uniform range)."""
        return math.log10(value) if self.kind == "loguniform" else value

    def from_unit(self, x: float) -> float:
        return 10.0**x if self.kind == "loguniform" else x


def _prior(path: str) -> tuple[float, float, Literal["uniform", "loguniform"]]:
    p = next(p for p in PRIORS if p.path == path)
    return p.low, p.high, p.kind


def _from_prior(path: str) -> Candidate:
    low, high, kind = _prior(path)
    return Candidate(path, low, high, "its prior in abc.PRIORS (docs/calibration.md says why)", kind)


#: the candidates: the calibrated parameters over their priors, and every other numeric flow
#: parameter of HousingParams, ShelterParams and NetworkExitParams tagged `assumption`. Left out:
#: the readiness weights (they must sum to 1, so one cannot move alone), the allocation rule (not a
#: number), stay_offer_by_relation (relative factors per relation; stay_offer_rate scales them all),
#: warmup_weeks and follow_up_weeks (how the model is measured, not how people move).
CANDIDATES: tuple[Candidate, ...] = (
    *(_from_prior(p.path) for p in PRIORS),
    Candidate(
        "shelter.arrivals_per_week",
        2.5,
        5.0,
        "default 3.5 (Traverse); 200 places with stays of about a year need about 3.8 a week: "
        "from well under to well over what the places can take",
    ),
    Candidate(
        "shelter.waiting_give_up_rate",
        0.03,
        0.3,
        "default 0.1, nothing found: a wait of about 3 to 30 weeks before giving up",
        "loguniform",
    ),
    Candidate(
        "shelter.leave_rust_protection",
        0.2,
        0.8,
        "default 0.5, nothing found: rust removes between a fifth and four fifths of the chance of leaving",
    ),
    Candidate(
        "shelter.care_end_rate",
        0.001,
        0.01,
        "default 0.004 (about 1 in 5 within a year): between 1 in 20 and 2 in 5 within a year",
        "loguniform",
    ),
    Candidate(
        "housing.rate_at_zero_readiness",
        0.002,
        0.02,
        "default 0.01, tuned by hand: a factor 5 down and 2 up, staying below the rate at readiness 1",
        "loguniform",
    ),
    Candidate(
        "housing.rate_at_full_readiness",
        0.02,
        0.12,
        "default 0.05, tuned by hand: ready for a home within 8 to 50 weeks at full readiness",
        "loguniform",
    ),
    Candidate(
        "housing.relapse_support_protection",
        0.3,
        0.9,
        "default 0.6, nothing found: full support removes between a third and nine tenths of relapse",
    ),
    Candidate(
        "network_exits.member_factor",
        1.0,
        4.0,
        "default 2, nothing found: a support group member is as likely to offer to four times likelier",
    ),
    Candidate(
        "network_exits.burden_stay",
        0.4,
        1.6,
        "default 0.8 (Van der Ent): half to twice the burden of a week with the client staying",
    ),
    Candidate(
        "network_exits.stay_breakdown_probability",
        0.25,
        0.75,
        "default 0.5 (Van der Ent: about half of the stays break down): a quarter to three quarters",
    ),
)


def problem(candidates: Iterable[Candidate]) -> dict:
    """SALib's problem: names and bounds on the design's scale (log10 for log-uniform ranges)."""
    cands = list(candidates)
    return {
        "num_vars": len(cands),
        "names": [c.path for c in cands],
        "bounds": [[c.to_unit(c.low), c.to_unit(c.high)] for c in cands],
    }


def morris_design(candidates: Iterable[Candidate], trajectories: int, levels: int, seed: int) -> np.ndarray:
    """The Morris sample (trajectories x (k + 1) rows) on the design's scale."""
    from SALib.sample import morris

    return morris.sample(problem(candidates), trajectories, num_levels=levels, seed=seed)


def point_values(candidates: Iterable[Candidate], row: np.ndarray) -> dict[str, float]:
    """A design row -> the parameter values to run."""
    return {c.path: float(c.from_unit(x)) for c, x in zip(candidates, row, strict=True)}


def _simulate(simulator: Simulator, point: int, params: dict[str, float], seed: int):
    return point, seed, simulator.simulate(params, seed)


def run_design(
    simulator: Simulator,
    points: list[dict[str, float]],
    seeds: list[int],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Each target's value at each point, the mean over `seeds` (the same seeds at every point).
    One row per point, in design order; runs spread over `workers` local processes."""
    tasks = [(i, params, seed) for i, params in enumerate(points) for seed in seeds]
    values: dict[tuple[int, int], dict[str, float]] = {}
    total = len(tasks)
    if workers <= 1:
        for done, task in enumerate(tasks, 1):
            i, seed, result = _simulate(simulator, *task)
            values[i, seed] = result
            if progress:
                progress(done, total)
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=process_context()) as pool:
            futures = [pool.submit(_simulate, simulator, *task) for task in tasks]
            for done, future in enumerate(as_completed(futures), 1):
                i, seed, result = future.result()
                values[i, seed] = result
                if progress:
                    progress(done, total)
    keys = [t.key for t in simulator.targets]
    return pd.DataFrame(
        # averaged in seed order, so the values do not depend on the order runs finish in
        [{k: float(np.mean([values[i, s][k] for s in seeds])) for k in keys} for i in range(len(points))],
        columns=keys,
    )


def scaled(responses: pd.DataFrame, simulator: Simulator) -> pd.DataFrame:
    """Each target's column divided by its sd in the calibration distance."""
    return pd.DataFrame({t.key: responses[t.key] / t.sd for t in simulator.targets})


def morris_table(
    candidates: Iterable[Candidate], X: np.ndarray, Y: pd.DataFrame, levels: int, seed: int
) -> pd.DataFrame:
    """One row per parameter and target: mu, mu_star, sigma, mu_star_conf (of the scaled responses)."""
    prob = problem(candidates)
    rows = []
    for target in Y.columns:
        table = morris_indices(prob, X, Y[target].to_numpy(), levels=levels, seed=seed)
        rows.append(table.assign(target=target))
    return pd.concat(rows, ignore_index=True)[TABLE_COLUMNS]


def ranking(table: pd.DataFrame, priors: Iterable[str] = (p.path for p in PRIORS)) -> pd.DataFrame:
    """Per parameter its largest mu_star over the targets (and that target), largest first."""
    in_priors = set(priors)
    best = table.loc[table.groupby("parameter")["mu_star"].idxmax()].copy()
    best = best.rename(columns={"mu_star": "max_mu_star"}).sort_values("max_mu_star", ascending=False)
    best["rank"] = range(1, len(best) + 1)
    best["in_priors"] = best["parameter"].isin(in_priors)
    return best[RANKING_COLUMNS].reset_index(drop=True)


@dataclass
class Screening:
    design: pd.DataFrame  # parameter values and the targets' values (unscaled) per point
    table: pd.DataFrame
    ranking: pd.DataFrame


def screen(
    simulator: Simulator,
    candidates: tuple[Candidate, ...] = CANDIDATES,
    trajectories: int = 8,
    levels: int = 4,
    replications: int = 2,
    workers: int = 1,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Screening:
    """The whole screening: design, runs, scaled Morris indices, ranking. Every point runs on the
    same `replications` seeds (from `seed`), which also seeds the design and the bootstrap."""
    X = morris_design(candidates, trajectories, levels, seed)
    points = [point_values(candidates, row) for row in X]
    responses = run_design(simulator, points, replication_seeds(seed, replications), workers, progress)
    table = morris_table(candidates, X, scaled(responses, simulator), levels, seed)
    design = pd.concat([pd.DataFrame(points), responses], axis=1)
    design.insert(0, "point", range(len(design)))
    return Screening(design, table, ranking(table))
