"""Shared helpers: small models that run in a blink, and a scenario folder for CLI tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.parameters import ScenarioParams, apply_overrides

#: the support process on its own: a cohort followed from arrival, nobody leaving the shelter except
#: into a home, homes not scarce (the cohort design of the first version of the model)
COHORT = {
    "shelter.mode": "cohort",
    "shelter.leave_rate": 0.0,
    "mechanisms.network_stays": False,
    "mechanisms.housing_market": False,
}
SMALL = {"population.n_clients": 60, "weeks": 52, **COHORT}
#: a small open shelter with a short warm-up
SMALL_OPEN = {
    "population.n_clients": 60,
    "weeks": 52,
    "shelter.warmup_weeks": 26,
    "shelter.arrivals_per_week": 1.1,
}


def small_scenario(**changes) -> ScenarioParams:
    """A small cohort (see COHORT): for rules of the support process."""
    return apply_overrides(ScenarioParams(), {**SMALL, **changes})


def small_model(strategy: str = "flexible", seed: int = 1, **changes) -> NetworkSupportModel:
    return NetworkSupportModel(small_scenario(**changes), strategy, rng=seed)


def open_scenario(**changes) -> ScenarioParams:
    """A small open shelter: arrivals, exits by every route, scarce homes."""
    return apply_overrides(ScenarioParams(), {**SMALL_OPEN, **changes})


def open_model(strategy: str = "flexible", seed: int = 1, **changes) -> NetworkSupportModel:
    return NetworkSupportModel(open_scenario(**changes), strategy, rng=seed)


def one_client_world(**changes) -> ScenarioParams:
    """One client with one professional who has time to spare: for rules about a single person."""
    base = {
        "population.n_clients": 1,
        "population.share_no_naasten": 0.0,
        "population.network_size_mean": 12.0,  # with little spread: enough naasten to set up
        "population.network_size_dispersion": 1000.0,
        "professionals.network_hours_per_week": 10.0,
        "clients.base_dropout": 0.0,
        "clients.misfit_dropout": 0.0,
        **COHORT,  # one person followed from arrival, nobody else arriving, not leaving
        "housing.rate_at_zero_readiness": 0.0,  # and not moving out: the support process alone
        "housing.rate_at_full_readiness": 0.0,
        "weeks": 104,
    }
    return apply_overrides(ScenarioParams(), {**base, **changes})


def give_network(model: NetworkSupportModel, client: int, consented: list[bool]) -> np.ndarray:
    """Reset a client's naasten to active, strong, unburdened ties with the given consent."""
    t = model.ties
    mine = model.ties_of(client)
    if len(mine) < len(consented):
        raise ValueError("the client has fewer naasten than asked for; raise network_size_mean")
    used, spare = mine[: len(consented)], mine[len(consented) :]
    t.status[used] = 0
    t.strength[used] = 1.0
    t.burden[used] = 0.0
    t.threshold[used] = 100.0
    t.consent[used] = consented
    t.status[spare] = 1  # the rest dormant and without consent
    t.consent[spare] = False
    return used


def write_posterior(folder: Path, draws: dict[str, list[float]]) -> Path:
    """A small posterior in the shipped format (draws.csv, summary.csv, posterior.json) made with
    this code, so loading it does not warn: one draw per position of the lists."""
    from simulation.provenance import code_fingerprint

    folder.mkdir()
    table = pd.DataFrame({"draw": range(len(next(iter(draws.values())))), **draws})
    table.to_csv(folder / "draws.csv", index=False)
    summary = [
        {"parameter": p, "mean": table[p].mean(), "median": table[p].median(), "low": 0, "high": 1}
        for p in draws
    ]
    pd.DataFrame(summary).to_csv(folder / "summary.csv", index=False)
    (folder / "posterior.json").write_text(json.dumps({"code_fingerprint": code_fingerprint()}))
    return folder


@pytest.fixture
def scenario_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "tiny.yaml").write_text(
        "name: tiny\ndescription: a tiny world for tests\nweeks: 20\npopulation:\n  n_clients: 30\n",
        encoding="utf-8",
    )
    return folder
