"""The Morris screening behind the choice of calibrated parameters (simulation/calibration/screening.py)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.calibration.abc import PRIORS, Simulator
from simulation.calibration.screening import (
    CANDIDATES,
    Candidate,
    morris_table,
    problem,
    scaled,
    screen,
)
from simulation.calibration.targets import Target
from simulation.model.parameters import ScenarioParams, apply_overrides

#: a tiny open shelter; the care route is closed (care_rate 0), so how long a care place lasts
#: cannot change anything
TINY = {
    "population.n_clients": 30,
    "shelter.arrivals_per_week": 0.8,
    "shelter.warmup_weeks": 20,
    "shelter.care_rate": 0.0,
    "peers.experts_by_experience": 2,
    "peers.volunteers": 4,
}
WEEKS = 40
TINY_CANDIDATES = (
    Candidate("housing.homes_per_week", 0.05, 1.0, "homes decide how fast the shelter empties"),
    Candidate("shelter.care_end_rate", 0.001, 0.01, "the care route is closed", "loguniform"),
    Candidate("shelter.leave_rate", 0.002, 0.04, "leaving decides exits out of sight"),
)


def _target(key: str, outcome: str, value: float, half_band: float) -> Target:
    return Target.model_validate(
        {
            "key": key,
            "description": key,
            "value": value,
            "uncertainty": {"band": [value - half_band, value + half_band]},
            "population": "test",
            "source": "traverse2019",
            "measure": {"strategy": "care_as_usual", "outcome": outcome, "among": "exits"},
            "use": "calibrate",
        }
    )


def _simulator(widen: float = 1.0) -> Simulator:
    targets = [
        _target("unknown", "exit_share_unknown", 0.5, 0.2 * widen),
        _target("stay", "mean_stay_weeks", 20.0, 10.0 * widen),
    ]
    return Simulator(apply_overrides(ScenarioParams(), TINY), targets, WEEKS)


@pytest.fixture(scope="module")
def tiny():
    return screen(_simulator(), TINY_CANDIDATES, trajectories=2, levels=4, replications=1, seed=3)


def test_the_screening_gives_a_row_per_parameter_and_target(tiny):
    assert len(tiny.table) == len(TINY_CANDIDATES) * 2
    pairs = set(zip(tiny.table["parameter"], tiny.table["target"], strict=True))
    assert pairs == {(c.path, t) for c in TINY_CANDIDATES for t in ("unknown", "stay")}
    assert len(tiny.design) == 2 * (len(TINY_CANDIDATES) + 1)
    assert set(tiny.ranking["parameter"]) == {c.path for c in TINY_CANDIDATES}


def test_a_closed_route_does_not_matter_and_homes_do(tiny):
    t = tiny.table.set_index(["parameter", "target"])
    assert (t.loc["shelter.care_end_rate", "mu_star"] == 0).all()
    assert t.loc[("housing.homes_per_week", "stay"), "mu_star"] > 0
    assert tiny.ranking["parameter"].iloc[-1] == "shelter.care_end_rate"
    assert tiny.ranking["max_mu_star"].iloc[0] > 0


def test_mu_star_is_on_the_scale_of_the_distance(tiny):
    """A target twice as uncertain moves half as many sd: mu_star halves."""
    X = np.array(
        [[c.to_unit(tiny.design[c.path][i]) for c in TINY_CANDIDATES] for i in range(len(tiny.design))]
    )
    wide = morris_table(TINY_CANDIDATES, X, scaled(tiny.design, _simulator(widen=2.0)), 4, 3)
    both = tiny.table.merge(wide, on=["parameter", "target"], suffixes=("", "_wide"))
    assert np.allclose(both["mu_star_wide"] * 2, both["mu_star"])


def test_the_candidates_cover_the_priors_with_ranges_that_can_be_run():
    paths = [c.path for c in CANDIDATES]
    assert len(paths) == len(set(paths))
    assert {p.path for p in PRIORS} <= set(paths)
    for p in PRIORS:
        c = next(c for c in CANDIDATES if c.path == p.path)
        assert (c.low, c.high, c.kind) == (p.low, p.high, p.kind)
    lows = {c.path: c.low for c in CANDIDATES}
    highs = {c.path: c.high for c in CANDIDATES}
    apply_overrides(ScenarioParams(), lows)  # both ends pass the schema
    apply_overrides(ScenarioParams(), highs)
    for c in CANDIDATES:
        assert c.low < c.high and c.why
    assert len(problem(CANDIDATES)["bounds"]) == len(CANDIDATES)


def test_local_processes_give_the_serial_values():
    """A point's values depend only on the point and its seeds, not on how runs are spread."""
    from simulation.calibration.screening import point_values, run_design

    simulator = _simulator()
    points = [
        point_values(TINY_CANDIDATES, np.array([c.to_unit(c.low) for c in TINY_CANDIDATES])),
        point_values(TINY_CANDIDATES, np.array([c.to_unit(c.high) for c in TINY_CANDIDATES])),
    ]
    serial = run_design(simulator, points, [5, 6, 7], workers=1)
    parallel = run_design(simulator, points, [5, 6, 7], workers=2)
    assert serial.equals(parallel)
    assert not serial.iloc[0].equals(serial.iloc[1])


def test_snf_calibrate_screen_writes_the_table_and_the_ranking(tmp_path, capsys):
    import pandas as pd
    import yaml

    from simulation.cli import main

    held = {
        "key": "held",
        "description": "held out",
        "value": 0.9,
        "uncertainty": {"n": 100},
        "population": "test",
        "source": "traverse2019",
        "measure": {"strategy": "care_as_usual", "outcome": "occupancy", "among": "places"},
        "use": "validate",
    }
    fitted = {**held, "key": "stay", "value": 20.0, "uncertainty": {"band": [10.0, 30.0]}}
    fitted["measure"] = {"strategy": "care_as_usual", "outcome": "mean_stay_weeks", "among": "places"}
    fitted["use"] = "calibrate"
    targets = tmp_path / "targets.yaml"
    targets.write_text(yaml.safe_dump({"weeks": 131, "targets": [fitted, held]}))
    sets = [x for k, v in TINY.items() for x in ("--set", f"{k}={v}")]
    out = tmp_path / "screen"
    args = ["calibrate", "--screen", "--targets", str(targets), *sets, "--trajectories", "2"]
    assert main([*args, "--replications", "1", "--workers", "1", "--out", str(out), "--quiet"]) == 0
    table = pd.read_csv(out / "screening.csv")
    assert len(table) == len(CANDIDATES) and set(table["target"]) == {"stay"}  # held-out target not screened
    ranking = pd.read_csv(out / "ranking.csv")
    assert list(ranking["rank"]) == list(range(1, len(CANDIDATES) + 1))
    assert ranking["max_mu_star"].is_monotonic_decreasing
    assert (out / "manifest.json").is_file()
    assert "ranking" in capsys.readouterr().out
    assert main([*args[:-1], "1", "--out", str(out), "--quiet"]) == 2  # one trajectory is refused
