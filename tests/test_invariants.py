"""Invariants that hold in every week of every run, over many seeds and all scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.parameters import apply_overrides
from simulation.model.state import GroupForm, Housing, Phase, TieStatus
from simulation.scenarios import list_scenarios, load_scenario

SCENARIOS = [info.path for info in list_scenarios()]
UNIT_INTERVAL = (
    "eigen_regie",
    "trust",
    "perceived_support",
    "rust",
    "willingness",
    "stramien_tolerance",
    "served",
)


def check_state(model: NetworkSupportModel, n_clients: int, n_initial_ties: int) -> None:
    c, t = model.clients, model.ties
    assert c.n == n_clients == len(model.client_agents)
    for name in UNIT_INTERVAL:
        values = getattr(c, name)
        assert not np.isnan(values).any(), name
        assert ((values >= 0) & (values <= 1)).all(), name
    assert not np.isnan(t.strength).any() and ((t.strength >= 0) & (t.strength <= 1)).all()
    assert not np.isnan(t.burden).any() and (t.burden >= 0).all()
    assert (t.threshold > 0).all()
    # naasten are conserved: only network building adds them, nobody disappears
    assert t.n == n_initial_ties + int(t.built.sum()) == len(model.naaste_agents)
    assert int(c.built_ties.sum()) == int(t.built.sum())
    assert set(np.unique(t.status)) <= {s.value for s in TieStatus}
    assert (t.status[t.member] == TieStatus.ACTIVE).all()
    # clients are in exactly one phase and one housing state
    assert set(np.unique(c.phase)) <= {p.value for p in Phase}
    assert set(np.unique(c.housing)) <= {h.value for h in Housing}
    # a group exists only in the group phase, and a formal one only under the stramien
    has_group = c.group_form != GroupForm.NONE
    assert (c.phase[has_group] == Phase.GROUP).all()
    if model.strategy.settings.format != "stramien":
        assert not (c.group_form == GroupForm.FORMAL).any()
    # a client who dropped out or is blocked has no group members
    out = np.isin(c.phase, (Phase.DROPPED_OUT, Phase.BLOCKED, Phase.NOT_OFFERED))
    assert not t.member[out[t.client]].any()
    assert (c.hours >= 0).all()
    assert (c.week_housed <= model.week).all()
    assert ((c.housing == Housing.SHELTER) | (c.week_housed >= 0)).all()


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("strategy", ["care_as_usual", "resource", "flexible"])
def test_state_stays_valid_every_week(scenario_path, strategy):
    scenario = apply_overrides(load_scenario(scenario_path), {"population.n_clients": 80})
    for seed in range(3):
        model = NetworkSupportModel(scenario, strategy, rng=seed)
        n_ties = model.ties.n
        for _ in range(104):
            model.step()
            check_state(model, 80, n_ties)


def test_outcomes_are_finite_and_shares_are_shares():
    from simulation.model.outcomes import OUTCOMES

    for strategy in ("care_as_usual", "resource", "flexible"):
        model = NetworkSupportModel(strategy=strategy, rng=11, n_clients=80).run(52)
        values = model.outcomes()
        assert set(values) == set(OUTCOMES)
        for name, value in values.items():
            assert np.isfinite(value), name
            if OUTCOMES[name].unit == "share":
                assert 0 <= value <= 1, name
        weekly = model.weekly_table()
        assert len(weekly) == 52
        assert not weekly.isna().any().any()


def test_extreme_but_valid_parameters_still_run():
    extremes = [
        {"population.n_clients": 1},
        {"population.share_no_naasten": 1.0},
        {"population.network_size_mean": 0.0},
        {"population.refusal_share": 1.0},
        {"population.willingness_mean": 1.0, "population.refusal_share": 0.0},
        {"professionals.network_hours_per_week": 0.0},
        {"housing.availability": 0.0},
        {"naasten.burden_recovery": 1.0, "naasten.withdraw_probability": 1.0},
        {"population.acquaintance_probability": 1.0, "population.network_size_mean": 30.0},
    ]
    for changes in extremes:
        for strategy in ("resource", "flexible"):
            scenario = apply_overrides(load_scenario("default"), {**changes, "weeks": 30})
            model = NetworkSupportModel(scenario, strategy, rng=2)
            n_clients, n_ties = model.clients.n, model.ties.n
            model.run()
            check_state(model, n_clients, n_ties)
