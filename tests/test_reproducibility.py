"""One seed fixes everything; strategies with the same seed share population and draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model import NetworkSupportModel
from simulation.model.state import TieState
from tests.conftest import open_scenario, small_scenario

STRATEGIES = ("care_as_usual", "resource", "flexible")


def test_the_same_seed_gives_identical_tables():
    for strategy in STRATEGIES:
        a = NetworkSupportModel(small_scenario(), strategy, rng=42).run()
        b = NetworkSupportModel(small_scenario(), strategy, rng=42).run()
        pd.testing.assert_frame_equal(a.weekly_table(), b.weekly_table())
        pd.testing.assert_frame_equal(a.client_table(), b.client_table())
        # NaN (an age nobody reached) is not equal to itself: compare as series, NaN matching NaN
        pd.testing.assert_series_equal(pd.Series(a.outcomes()), pd.Series(b.outcomes()))


def test_different_seeds_give_different_runs():
    a = NetworkSupportModel(small_scenario(), "flexible", rng=1).run()
    b = NetworkSupportModel(small_scenario(), "flexible", rng=2).run()
    assert not a.client_table().equals(b.client_table())


def test_a_run_without_a_seed_records_the_one_it_drew():
    a = NetworkSupportModel(small_scenario(), "flexible")
    b = NetworkSupportModel(small_scenario(), "flexible", rng=a.seed)
    a.run()
    b.run()
    assert a.client_table().equals(b.client_table())


def test_every_strategy_starts_from_the_identical_population():
    models = [NetworkSupportModel(open_scenario(), s, rng=7) for s in STRATEGIES]
    first = models[0]
    for other in models[1:]:
        for name in (
            "uid",
            "refuses_all",
            "accepts_new_ties",
            "willingness",
            "stramien_tolerance",
            "eigen_regie",
            "trust",
            "rust",
            "perceived_support",
            "professional",
        ):
            np.testing.assert_array_equal(getattr(first.clients, name), getattr(other.clients, name))
        n = first.ties.n - int(first.ties.built.sum())
        for name, _, _ in TieState.COLUMNS:
            a, b = getattr(first.ties, name), getattr(other.ties, name)
            np.testing.assert_array_equal(a[~first.ties.built], b[~other.ties.built][:n])


def test_every_strategy_meets_the_same_arrivals_with_the_same_traits_and_networks():
    models = [NetworkSupportModel(open_scenario(), s, rng=8).run() for s in STRATEGIES]
    tables = [m.arrivals_table().set_index("client").sort_index() for m in models]
    arrivals = [m.flow.table()["arrivals"].to_numpy() for m in models]
    for other, weekly in zip(tables[1:], arrivals[1:], strict=True):
        np.testing.assert_array_equal(weekly, arrivals[0])
        common = tables[0].index.intersection(other.index)
        assert len(common) == len(tables[0]) == len(other)  # the same people, nobody more or less
        for column in ("arrival_week", "refuses_all", "willingness", "stramien_tolerance"):
            np.testing.assert_array_equal(tables[0].loc[common, column], other.loc[common, column])
        own = tables[0].naasten - tables[0].ties_built  # the network they arrived with
        np.testing.assert_array_equal(own.loc[common], (other.naasten - other.ties_built).loc[common])


def test_a_clients_draws_are_keyed_to_the_client_not_to_a_row():
    """The same person draws the same numbers under every strategy, wherever their row is."""
    from simulation.model.streams import ClientDraw

    models = [NetworkSupportModel(open_scenario(), s, rng=9) for s in STRATEGIES]
    for _ in range(40):
        for m in models:
            m.step()
        reference = models[0]
        for m in models[1:]:
            common, ra, rb = np.intersect1d(reference.clients.uid, m.clients.uid, return_indices=True)
            assert len(common) > 0
            for draw in ClientDraw:
                np.testing.assert_array_equal(reference.streams.client[draw][ra], m.streams.client[draw][rb])


def test_removing_one_client_moves_nobody_elses_draws():
    from simulation.model.streams import ClientDraw, TieDraw

    a = NetworkSupportModel(open_scenario(), "flexible", rng=10)
    b = NetworkSupportModel(open_scenario(), "flexible", rng=10)
    b.client_agents[3].remove()
    assert b.clients.n == a.clients.n - 1 and b.archive.n == 1
    for m in (a, b):
        m.step()
    common, ra, rb = np.intersect1d(a.clients.uid, b.clients.uid, return_indices=True)
    assert len(common) == b.clients.n
    for draw in ClientDraw:
        np.testing.assert_array_equal(a.streams.client[draw][ra], b.streams.client[draw][rb])
    _common_ties, ta, tb = np.intersect1d(a.ties.key, b.ties.key, return_indices=True)
    for draw in TieDraw:
        np.testing.assert_array_equal(a.streams.tie[draw][ta], b.streams.tie[draw][tb])


def test_housing_draws_are_shared_so_identical_readiness_gives_identical_housing():
    """Under care as usual nothing differs between two runs but the strategy name."""
    from simulation.model.strategies import make_strategy

    scenario = small_scenario()
    a = NetworkSupportModel(scenario, "care_as_usual", rng=5).run()
    twin = make_strategy("care_as_usual", scenario)
    twin.name = "twin"
    b = NetworkSupportModel(scenario, twin, rng=5).run()
    np.testing.assert_array_equal(a.clients.week_housed, b.clients.week_housed)


def test_a_parameter_change_changes_only_its_own_attribute_in_the_population():
    low = NetworkSupportModel(small_scenario(**{"population.stramien_tolerance_mean": 0.2}), rng=3)
    high = NetworkSupportModel(small_scenario(**{"population.stramien_tolerance_mean": 0.8}), rng=3)
    assert (high.clients.stramien_tolerance > low.clients.stramien_tolerance).all()
    np.testing.assert_array_equal(low.clients.willingness, high.clients.willingness)
    np.testing.assert_array_equal(low.ties.strength, high.ties.strength)


def test_seeds_are_validated():
    import pytest

    for bad in (-1, 1.5, "7", True, np.bool_(True)):
        with pytest.raises(ValueError, match="seed"):
            NetworkSupportModel(small_scenario(), rng=bad)


def test_rng_as_mesa_accepts_it_fixes_the_run_and_is_recorded():
    """An int, a numpy integer, a Generator or a SeedSequence: the run's seed is derived and recorded."""
    by_int = NetworkSupportModel(small_scenario(), rng=np.int64(5))
    assert by_int.seed == 5
    for make in (lambda: np.random.default_rng(3), lambda: np.random.SeedSequence(3)):
        a = NetworkSupportModel(small_scenario(), rng=make()).run()
        b = NetworkSupportModel(small_scenario(), rng=make()).run()
        assert a.seed == b.seed
        pd.testing.assert_frame_equal(a.client_table(), b.client_table())
        c = NetworkSupportModel(small_scenario(), rng=a.seed).run()
        pd.testing.assert_frame_equal(a.client_table(), c.client_table())
