"""Held-out targets against the posterior: a posterior-predictive check.

For each of N posterior draws the strategies the `validate` targets need are run once on the same
seed (common random numbers), and every held-out target is measured. A target passes when its own
band (value +- 2 sd) overlaps the central 90% of the simulated values: the model, with its parameter
uncertainty and its noise, can produce what the source reports. Targets used for calibration are
listed apart: they are fit, not validation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.calibration.abc import Simulator
from simulation.calibration.posterior import Posterior
from simulation.calibration.targets import Target, TargetSet
from simulation.experiments.seeds import replication_seeds
from simulation.model.parameters import ScenarioParams


def predictive_values(
    posterior: Posterior, targets: list[Target], scenario: ScenarioParams, weeks: int, draws: int, seed: int
) -> pd.DataFrame:
    """One row per draw: the parameter values and every target's simulated value."""
    simulator = Simulator(scenario, targets, weeks)
    seeds = replication_seeds(seed, draws)
    rows = []
    for i, params in enumerate(posterior.sample(draws)):
        rows.append({"draw": i, **params, **simulator.simulate(params, int(seeds[i]))})
    return pd.DataFrame(rows)


def held_out_table(values: pd.DataFrame, targets: TargetSet) -> pd.DataFrame:
    """Per target: observed, its band, the simulated mean and 90% interval, and pass or fail
    (calibrate targets are marked `fit`)."""
    rows = []
    for t in targets.targets:
        if t.key not in values:
            continue
        x = values[t.key].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        low, high = np.quantile(x, [0.05, 0.95]) if len(x) else (np.nan, np.nan)
        band_low, band_high = t.bounds
        overlaps = bool(len(x)) and low <= band_high and high >= band_low
        rows.append(
            {
                "target": t.key,
                "use": t.use,
                "source": t.source,
                "observed": t.value,
                "band_low": band_low,
                "band_high": band_high,
                "simulated": float(np.mean(x)) if len(x) else np.nan,
                "low": float(low),
                "high": float(high),
                "result": "fit" if t.use == "calibrate" else ("PASS" if overlaps else "FAIL"),
            }
        )
    return pd.DataFrame(rows)
