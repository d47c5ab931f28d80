"""Each mechanism is a named switch; turning it off removes exactly its pathway."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.parameters import Mechanisms
from simulation.model.rules import dropout_hazard, readiness
from simulation.model.strategies import make_strategy
from tests.conftest import small_model, small_scenario

#: switched off, a pathway carries exactly nothing whatever the seed; two seeds show it is used when on
SEEDS = range(2)


def run(strategy: str, seed: int, **changes) -> NetworkSupportModel:
    return small_model(strategy, seed, **changes).run(80)


def test_the_six_mechanisms_of_the_brief_and_the_three_of_the_shelter_are_switches():
    assert set(Mechanisms.model_fields) == {
        "network_activation",
        "network_building",
        "eigen_regie",
        "format_fit",
        "perceived_support",
        "naaste_burden",
        "housing_market",
        "network_stays",
        "peer_pool",
    }


def test_network_activation_off_means_no_dormant_tie_comes_back():
    on = sum(run("flexible", s).ties.reactivations.sum() for s in SEEDS)
    off = sum(
        run("flexible", s, **{"mechanisms.network_activation": False}).ties.reactivations.sum() for s in SEEDS
    )
    assert on > 0
    assert off == 0


def test_network_building_off_means_no_new_ties():
    on = sum(run("flexible", s).ties.built.sum() for s in SEEDS)
    off = sum(run("flexible", s, **{"mechanisms.network_building": False}).ties.built.sum() for s in SEEDS)
    assert on > 0
    assert off == 0


def test_network_building_off_leaves_activation_working():
    reactivated = sum(
        run("flexible", s, **{"mechanisms.network_building": False}).ties.reactivations.sum() for s in SEEDS
    )
    assert reactivated > 0


def test_eigen_regie_off_freezes_eigen_regie_and_makes_direction_irrelevant():
    scenario = small_scenario(**{"mechanisms.eigen_regie": False})
    tables = []
    for direction in ("client_led", "professional_led"):
        strategy = make_strategy("flexible", scenario, overrides={"direction": direction})
        model = NetworkSupportModel(scenario, strategy, rng=3).run(80)
        np.testing.assert_array_equal(model.clients.eigen_regie, model.clients.eigen_regie_start)
        tables.append(model.client_table())
    assert tables[0].equals(tables[1])


def test_eigen_regie_on_lets_client_led_work_raise_eigen_regie_and_trust():
    scenario = small_scenario()
    result = {}
    for direction in ("client_led", "professional_led"):
        strategy = make_strategy("flexible", scenario, overrides={"direction": direction})
        model = NetworkSupportModel(scenario, strategy, rng=3).run(80)
        result[direction] = (model.clients.eigen_regie.mean(), model.clients.trust.mean())
    assert result["client_led"][0] > result["professional_led"][0]
    assert result["client_led"][1] > result["professional_led"][1]


@pytest.mark.parametrize("strategy", ["resource", "flexible"])
def test_format_fit_off_means_dropout_no_longer_depends_on_stramien_tolerance(strategy):
    def dropouts(tolerance: float, fit: bool) -> np.ndarray:
        model = run(
            strategy, 5, **{"population.stramien_tolerance_mean": tolerance, "mechanisms.format_fit": fit}
        )
        return model.client_table()["dropped_out"].to_numpy()

    np.testing.assert_array_equal(dropouts(0.1, False), dropouts(0.9, False))
    assert dropouts(0.1, True).sum() > dropouts(0.9, True).sum()


def test_format_fit_on_makes_the_stramien_riskier_for_low_tolerance_clients():
    model = small_model(
        "resource", 1, **{"professionals.network_hours_per_week": 40.0, "professionals.caseload": 10}
    )
    model.step()  # a week of preparation work for everyone: exposure to the format
    assert (model.clients.served > 0).all()
    hazard = dropout_hazard(model)
    tol = model.clients.stramien_tolerance
    low, high = tol < np.quantile(tol, 0.25), tol > np.quantile(tol, 0.75)
    assert hazard[low].mean() > hazard[high].mean()


def test_a_client_waiting_for_the_professional_is_not_exposed_to_the_format():
    """Waiting is its own state: no work this week, so no misfit dropout (only the base rate)."""
    model = small_model("resource", 1, **{"professionals.network_hours_per_week": 0.0})
    model.step()
    c = model.clients
    assert (c.requested > 0).all() and (c.served == 0).all() and (c.weeks_waiting == 1).all()
    pc = model.params.clients
    base = pc.base_dropout * (1 - pc.eigen_regie_dropout_protection * c.eigen_regie)
    np.testing.assert_allclose(dropout_hazard(model), base)


def test_perceived_support_off_cuts_support_out_of_readiness():
    for on in (True, False):
        model = small_model("flexible", 1, **{"mechanisms.perceived_support": on})
        model.run(5)
        before = readiness(model).copy()
        model.clients.perceived_support[:] = 1.0
        after = readiness(model)
        if on:
            assert (after > before).all()
        else:
            np.testing.assert_array_equal(after, before)


def test_perceived_support_off_makes_rust_and_housing_deaf_to_support():
    """With the pathway cut, a strategy that raises support cannot move rust through it."""
    changes = {"mechanisms.perceived_support": False, "mechanisms.eigen_regie": False}
    care = run("care_as_usual", 2, **changes)
    flexible = run("flexible", 2, **changes)
    assert flexible.clients.perceived_support.mean() > care.clients.perceived_support.mean() + 0.1
    # rust differs only through housing (which no longer depends on support either)
    same_housing = care.clients.location == flexible.clients.location
    assert same_housing.all()
    np.testing.assert_allclose(care.clients.rust, flexible.clients.rust)


def test_naaste_burden_off_means_nobody_withdraws_however_overloaded():
    model = run("flexible", 1, **{"mechanisms.naaste_burden": False, "naasten.practical_ask_rate": 1.0})
    assert (model.ties.burden > model.ties.threshold).any()
    assert not model.ties.ever_withdrew.any()
    on = run("flexible", 1, **{"naasten.practical_ask_rate": 1.0})
    assert on.ties.ever_withdrew.any()
