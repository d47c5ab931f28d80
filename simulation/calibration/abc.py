"""ABC-SMC calibration with pyabc: priors over a few parameters, a simulator, a scaled distance.

Approximate Bayesian computation keeps parameter values whose simulated targets lie close to the
observed ones; sequential Monte Carlo (pyabc's `ABCSMC`) shrinks the tolerance `epsilon` generation
by generation. The wrapping is thin and keeps pyabc's names:

* `PRIORS`: the calibrated parameters, each with its prior (uniform or log-uniform over a stated
  range; the reasons are in docs/calibration.md) -> `pyabc.Distribution`;
* `Simulator`: one parameter draw -> the model's value of every `calibrate` target (one run per
  strategy the targets need, all on the same seed, drawn from the generator pyabc seeds); pyabc
  samples a log-uniform prior in log10 (`Prior.rv`), and `OnNaturalScale` turns it back;
* `ScaledDistance`: the root mean square of (simulated - observed) / sd over the targets, so
  epsilon = 1 means the targets are met to about one sd of their uncertainty on average;
* `run_calibration`: new or resumed (`abc.load`), one generation at a time so each prints its
  progress; local processes (`MulticoreEvalParallelSampler`) or Dask (`DaskDistributedSampler`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyabc

from simulation.calibration.targets import (
    Target,
    measure_target,
    run_watched,
    strategies_needed,
    watchers_for,
)
from simulation.model import NetworkSupportModel
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.model.strategies import make_strategy


@dataclass(frozen=True)
class Prior:
    """A calibrated parameter: its dotted path and its prior over [low, high]."""

    path: str
    low: float
    high: float
    kind: Literal["uniform", "loguniform"] = "uniform"

    def rv(self) -> pyabc.RV:
        """The prior on the scale pyabc samples: a log-uniform prior is uniform in log10, so pyabc's
        Gaussian moves are in orders of magnitude. On the natural scale its density 1/x would weigh
        the few particles near the low end so heavily that the effective sample size collapses (an
        eleven-parameter run fell to an ESS of 1.4 of 120 in its third generation)."""
        low, high = self.to_abc(self.low), self.to_abc(self.high)
        return pyabc.RV("uniform", low, high - low)

    def to_abc(self, x: float) -> float:
        """A natural value -> the value pyabc samples and stores (log10 for a log-uniform prior)."""
        return math.log10(x) if self.kind == "loguniform" else x

    def from_abc(self, y: float) -> float:
        return 10.0**y if self.kind == "loguniform" else y


#: the parameters calibrated by default and their priors (docs/calibration.md says why)
PRIORS: tuple[Prior, ...] = (
    Prior("housing.homes_per_week", 0.2, 2.5),
    Prior("shelter.leave_rate", 0.004, 0.03),
    Prior("shelter.return_rate", 0.001, 0.012),
    Prior("network_exits.stay_offer_rate", 0.0005, 0.01, "loguniform"),
    Prior("network_exits.home_lead_rate", 0.0002, 0.005, "loguniform"),
    Prior("shelter.care_rate", 0.0, 0.015),
    Prior("housing.relapse_rate", 0.002, 0.012),
    # the funnel of the strict method, fitted to Dijkstra et al.'s willing and conference_held
    Prior("population.willingness_mean", 0.3, 0.99),
    Prior("naasten.join_probability", 0.3, 1.0),
    Prior("population.network_size_mean", 2.0, 12.0),
    Prior("clients.misfit_dropout", 0.002, 0.1, "loguniform"),
)


def prior_distribution(priors: tuple[Prior, ...]) -> pyabc.Distribution:
    return pyabc.Distribution(**{p.path: p.rv() for p in priors})


@dataclass
class Simulator:
    """A parameter draw -> the model's value of each target. Picklable, so workers can run it."""

    scenario: ScenarioParams
    targets: list[Target]
    weeks: int

    def runs(
        self, params: dict[str, float], seed: int
    ) -> tuple[dict[str, NetworkSupportModel], dict[str, float]]:
        """The finished run of each strategy the targets need, and the watched measures' values."""
        scenario = apply_overrides(
            self.scenario, {"weeks": self.weeks, **{k: float(v) for k, v in params.items()}}
        )
        out, watched = {}, {}
        for name in strategies_needed(self.targets):
            model = NetworkSupportModel(
                scenario, make_strategy(name, scenario), rng=seed, record_weekly=False
            )
            watchers = watchers_for(self.targets, name)
            run_watched(model, *watchers.values())
            watched.update({key: w.value() for key, w in watchers.items()})
            out[name] = model
        return out, watched

    def simulate(self, params: dict[str, float], seed: int) -> dict[str, float]:
        runs, watched = self.runs(params, seed)
        return {t.key: float(measure_target(t, runs, watched)) for t in self.targets}

    def __call__(self, params: Any) -> dict[str, float]:
        # pyabc seeds numpy's global generator in every worker; the model gets its own seed from it
        seed = int(np.random.randint(0, 2**31 - 1))
        return self.simulate(dict(params), seed)


@dataclass
class OnNaturalScale:
    """What pyabc calls: its parameters (log10 for a log-uniform prior) back on the model's scale,
    then the simulator."""

    simulator: Simulator
    priors: tuple[Prior, ...]

    def __call__(self, params: Any) -> dict[str, float]:
        return self.simulator(natural(dict(params), self.priors))


def natural(values: dict[str, float], priors: tuple[Prior, ...]) -> dict[str, float]:
    """Parameter values as pyabc stores them -> the model's values."""
    scale = {p.path: p for p in priors}
    return {k: scale[k].from_abc(float(v)) if k in scale else float(v) for k, v in values.items()}


@dataclass
class ScaledDistance:
    """Root mean square over the targets of (simulated - observed) / sd; a missing value is infinitely far."""

    scales: dict[str, float]

    def __call__(self, x: dict[str, float], x0: dict[str, float]) -> float:
        terms = []
        for key, sd in self.scales.items():
            value = float(x[key])
            if not math.isfinite(value):
                return math.inf
            terms.append(((value - float(x0[key])) / sd) ** 2)
        return math.sqrt(sum(terms) / len(terms))


@dataclass
class Settings:
    """What a calibration run depends on (recorded in its manifest)."""

    population: int = 40
    generations: int = 4
    min_epsilon: float = 0.0
    priors: tuple[Prior, ...] = PRIORS
    seed: int = 1
    extra: dict[str, Any] = field(default_factory=dict)


DB_NAME = "abc.db"


def make_abc(
    simulator: Simulator, settings: Settings, sampler: pyabc.sampler.Sampler
) -> tuple[pyabc.ABCSMC, dict[str, float]]:
    """The ABCSMC object and the observed targets."""
    scales = {t.key: t.sd for t in simulator.targets}
    observed = {t.key: float(t.value) for t in simulator.targets}
    abc = pyabc.ABCSMC(
        OnNaturalScale(simulator, settings.priors),
        prior_distribution(settings.priors),
        ScaledDistance(scales),
        population_size=settings.population,
        sampler=sampler,
    )
    return abc, observed


def make_sampler(executor: str, workers: int, scheduler: str | None = None) -> pyabc.sampler.Sampler:
    """Local processes, one process (serial, for tests), or a Dask cluster at `scheduler`."""
    if executor == "serial":
        return pyabc.sampler.SingleCoreSampler()
    if executor == "dask":
        from dask.distributed import Client

        client = Client(scheduler) if scheduler else Client(n_workers=workers, threads_per_worker=1)
        return pyabc.sampler.DaskDistributedSampler(dask_client=client, batch_size=1)
    return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)


def db_url(out: Path) -> str:
    return f"sqlite:///{(out / DB_NAME).resolve()}"


def run_calibration(
    simulator: Simulator,
    settings: Settings,
    sampler: pyabc.sampler.Sampler,
    out: Path,
    resume: bool = False,
    report: Callable[[dict[str, float]], None] | None = None,
) -> pyabc.History:
    """Run (or continue) ABC-SMC, one generation per call to pyabc's `run`, until `generations`
    generations exist or epsilon falls to `min_epsilon`. `report` gets one row of diagnostics per
    generation."""
    np.random.seed(settings.seed)
    out.mkdir(parents=True, exist_ok=True)
    db = out / DB_NAME
    if not resume and db.exists():
        db.unlink()
    while True:
        # A fresh ABCSMC per generation, loaded from the database (pyabc's resume): pyabc caches the
        # population it initialises epsilon from, so repeated `run` calls on one object would keep
        # the first generation's epsilon.
        abc, observed = make_abc(simulator, settings, sampler)
        history = abc.load(db_url(out), 1) if db.exists() else abc.new(db_url(out), observed)
        done = 0 if history.max_t < 0 else history.max_t + 1
        last = diagnostics(history)
        if done >= settings.generations or (done and float(last["epsilon"].iloc[-1]) <= settings.min_epsilon):
            break
        start = time.perf_counter()
        history = abc.run(max_nr_populations=1, minimum_epsilon=settings.min_epsilon)
        if report is not None:
            row = diagnostics(history).iloc[-1].to_dict()
            row["seconds"] = time.perf_counter() - start
            report(row)
    return history


def diagnostics(history: pyabc.History) -> pd.DataFrame:
    """Per generation: epsilon, simulations, accepted particles, acceptance rate and effective
    sample size (ESS = 1 / sum of squared normalised weights)."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for _, p in pops.iterrows():
        t = int(p["t"])
        _, w = history.get_distribution(m=0, t=t)
        w = np.asarray(w, dtype=float)
        w = w / w.sum()
        rows.append(
            {
                "generation": t,
                "epsilon": float(p["epsilon"]),
                "simulations": int(p["samples"]),
                "particles": int(p["particles"]),
                "acceptance_rate": float(p["particles"]) / float(p["samples"]) if p["samples"] else math.nan,
                "ess": float(1.0 / np.sum(w**2)),
            }
        )
    return pd.DataFrame(
        rows, columns=["generation", "epsilon", "simulations", "particles", "acceptance_rate", "ess"]
    )


def posterior_particles(
    history: pyabc.History, priors: tuple[Prior, ...], t: int | None = None
) -> pd.DataFrame:
    """The particles of a generation (the last by default) on the model's scale, with their
    normalised weights."""
    df, w = history.get_distribution(m=0, t=t)
    out = df.reset_index(drop=True).copy()
    out.columns = [str(c) for c in out.columns]
    for p in priors:
        if p.path in out:
            out[p.path] = [p.from_abc(float(v)) for v in out[p.path]]
    out["weight"] = np.asarray(w, dtype=float) / float(np.sum(w))
    return out


def predictive(history: pyabc.History, t: int | None = None) -> pd.DataFrame:
    """The simulated targets of a generation's particles (the last by default), with their weights:
    the fit."""
    weights, stats = history.get_weighted_sum_stats(t=t)
    table = pd.DataFrame([{k: float(v) for k, v in s.items()} for s in stats])
    table["weight"] = np.asarray(weights, dtype=float) / float(np.sum(weights))
    return table
