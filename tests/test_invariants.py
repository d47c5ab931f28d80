"""Invariants that hold in every week of every run, over many seeds and all scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.outcomes import SNAPSHOT_OUTCOMES
from simulation.model.parameters import apply_overrides
from simulation.model.state import HOUSED_LOCATIONS, GroupForm, Location, Phase, TieStatus
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


def check_state(model: NetworkSupportModel) -> None:
    c, t = model.clients, model.ties
    assert c.n == len(model.client_agents) and t.n == len(model.naaste_agents)
    assert [a.index for a in model.client_agents] == list(range(c.n))
    assert np.array_equal(np.sort(c.uid), c.uid) and len(np.unique(c.uid)) == c.n  # identities in order
    for name in UNIT_INTERVAL:
        values = getattr(c, name)
        assert not np.isnan(values).any(), name
        assert ((values >= 0) & (values <= 1)).all(), name
    assert not np.isnan(t.strength).any() and ((t.strength >= 0) & (t.strength <= 1)).all()
    assert not np.isnan(t.burden).any() and (t.burden >= 0).all()
    assert (t.threshold > 0).all()
    assert ((t.client >= 0) & (t.client < c.n)).all()
    for i in range(0, c.n, max(c.n // 7, 1)):
        assert (t.client[model.ties_of(i)] == i).all()
    assert int(c.built_ties.sum()) >= int(t.built.sum())  # built ties of clients who left the model go too
    assert set(np.unique(t.status)) <= {s.value for s in TieStatus}
    assert (t.status[t.member] == TieStatus.ACTIVE).all()
    assert set(np.unique(c.phase)) <= {p.value for p in Phase}
    assert set(np.unique(c.location)) <= {loc.value for loc in Location}
    # the shelter never holds more than its places
    assert np.count_nonzero(c.location == Location.SHELTER) <= model.shelter.places
    # network support happens in the shelter; a group outside it is the client's own
    engaged = c.engaged
    assert (c.location[engaged] == Location.SHELTER).all()
    has_group = c.group_form != GroupForm.NONE
    assert np.isin(c.phase[has_group], (Phase.GROUP, Phase.LEFT)).all()
    if model.strategy.settings.format != "stramien":
        assert not (c.group_form == GroupForm.FORMAL).any()
    out = np.isin(c.phase, (Phase.DROPPED_OUT, Phase.BLOCKED, Phase.NOT_OFFERED))
    assert not t.member[out[t.client]].any()
    assert (c.hours >= 0).all()
    assert (c.week_housed <= model.week).all()
    housed = np.isin(c.location, [int(x) for x in HOUSED_LOCATIONS])
    assert (c.week_housed[housed] >= 0).all()
    # a stay has exactly one host, who is hosting
    staying = np.flatnonzero(c.location == Location.NAASTE_STAY)
    assert (c.host[staying] >= 0).all()
    hosts = model.tie_rows(c.host[staying])
    assert (t.gid[hosts] == c.host[staying]).all() and t.hosting[hosts].all()
    assert int(t.hosting.sum()) == len(staying)
    assert (c.host[c.location != Location.NAASTE_STAY] == -1).all()
    # the pool's places in use are the matched ties
    if model.pool.on:
        load = np.bincount(t.pool_member[t.pool_member >= 0], minlength=len(model.pool.load))
        assert np.array_equal(load, model.pool.load) and (model.pool.load <= model.pool.limit).all()


@pytest.mark.parametrize("scenario_path", SCENARIOS, ids=lambda p: p.stem)
@pytest.mark.parametrize("strategy", ["care_as_usual", "resource", "flexible"])
def test_state_stays_valid_every_week(scenario_path, strategy):
    scenario = apply_overrides(
        load_scenario(scenario_path), {"population.n_clients": 60, "shelter.follow_up_weeks": 26}
    )
    for seed in range(2):
        model = NetworkSupportModel(scenario, strategy, rng=seed)
        check_state(model)
        for _ in range(90):
            model.step()
            check_state(model)


def test_outcomes_are_finite_and_shares_are_shares():
    from simulation.model.outcomes import OUTCOMES

    for strategy in ("care_as_usual", "resource", "flexible"):
        model = NetworkSupportModel(
            strategy=strategy, rng=11, n_clients=80, weeks=52, **{"shelter.warmup_weeks": 26}
        )
        model.run()
        values = model.outcomes()
        assert set(values) == set(OUTCOMES)
        for name, value in values.items():
            if name in SNAPSHOT_OUTCOMES and np.isnan(value):
                continue  # nobody followed that long (checked below): missing, not zero
            assert np.isfinite(value), name
            if OUTCOMES[name].unit == "share":
                assert 0 <= value <= 1, name
        # 52 weeks with 26 of warm-up: nobody is followed 52 weeks, so those outcomes are missing
        assert np.isnan(values["housed_52w"]) and values["followed_52w"] == 0
        assert np.isfinite(values["housed_13w"]) and np.isfinite(values["group_26w"])
        weekly = model.weekly_table()
        assert len(weekly) == 52 and weekly["week"].tolist() == list(range(1, 53))
        assert not weekly.isna().any().any()


def test_extreme_but_valid_parameters_still_run():
    extremes = [
        {"population.n_clients": 1},
        {"population.share_no_naasten": 1.0},
        {"population.network_size_mean": 0.0},
        {"population.refusal_share": 1.0},
        {"population.willingness_mean": 1.0, "population.refusal_share": 0.0},
        {"professionals.network_hours_per_week": 0.0},
        {"housing.homes_per_week": 0.0},
        {"housing.homes_per_week": 50.0, "shelter.arrivals_per_week": 50.0},
        {"shelter.arrivals_per_week": 0.0},
        {"shelter.when_full": "turn_away", "shelter.arrivals_per_week": 20.0},
        {"shelter.leave_rate": 1.0, "shelter.return_rate": 1.0},
        {"peers.experts_by_experience": 0, "peers.volunteers": 0},
        {"network_exits.stay_offer_rate": 1.0, "network_exits.home_lead_rate": 1.0},
        {"naasten.burden_recovery": 1.0, "naasten.withdraw_probability": 1.0},
        {"population.acquaintance_probability": 1.0, "population.network_size_mean": 30.0},
        {"shelter.mode": "cohort"},
    ]
    for changes in extremes:
        for strategy in ("resource", "flexible", "peer_first"):
            scenario = apply_overrides(
                load_scenario("default"),
                {"population.n_clients": 40, **changes, "weeks": 30, "shelter.warmup_weeks": 10},
            )
            model = NetworkSupportModel(scenario, strategy, rng=2)
            for _ in range(40):
                model.step()
            check_state(model)
            outcomes = model.outcomes()
            assert all(np.isfinite(v) for k, v in outcomes.items() if k not in SNAPSHOT_OUTCOMES), changes
