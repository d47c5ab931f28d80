"""The peer_first strategy (simulation/model/library/peer_first.py). Read these as its specification."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.cli import main
from simulation.experiments.seeds import replication_seeds
from simulation.model import NetworkSupportModel, make_strategy
from simulation.model.library.peer_first import PeerFirst
from simulation.model.state import Relation, TieStatus
from simulation.model.strategies import strategy_names
from tests.conftest import give_network, one_client_world, small_model, small_scenario

CLIENT_TRAITS = (
    "professional",
    "refuses_all",
    "willingness",
    "stramien_tolerance",
    "trust",
    "eigen_regie",
    "rust",
    "perceived_support",
    "location",
)

#: the strategy's own rule, without the limits of the pool and of refusers' acceptance
UNLIMITED = {"mechanisms.peer_pool": False, "clients.refuser_accepts_new_tie": 1.0}


def active_consented_peer_ties_per_client(model: NetworkSupportModel) -> np.ndarray:
    t = model.ties
    peer = (t.relation == Relation.PEER) & (t.status == TieStatus.ACTIVE) & t.consent
    return np.bincount(t.client[peer], minlength=model.clients.n)


def share_with_a_peer_in_the_group(model: NetworkSupportModel) -> float:
    t = model.ties
    peer_member = t.member & (t.status == TieStatus.ACTIVE) & (t.relation == Relation.PEER)
    return float(np.mean(np.bincount(t.client[peer_member], minlength=model.clients.n) > 0))


# --- found by name ---------------------------------------------------------------------------


def test_peer_first_is_registered_by_name_with_flexibles_knobs_and_peer_only_building():
    assert "peer_first" in strategy_names()
    strategy = make_strategy("peer_first")
    assert isinstance(strategy, PeerFirst)
    assert strategy.description
    flexible = make_strategy("flexible").settings.model_dump(exclude={"description"})
    assert strategy.settings.model_dump(exclude={"description"}) == {**flexible, "built_tie_peer_share": 1.0}


# --- on_admission: an expert by experience for everyone without a peer ---------------------------


@pytest.mark.parametrize("seed", range(3))
def test_every_offered_client_starts_with_an_active_consented_peer_tie(seed):
    model = small_model("peer_first", seed, **UNLIMITED)  # taken in, before the first week
    assert model.clients.engaged.all()
    assert (active_consented_peer_ties_per_client(model) >= 1).all()


def test_introductions_are_limited_by_the_pool_and_by_refusers_who_decline_new_ties():
    model = small_model("peer_first", 1, **{"population.refusal_share": 0.5})
    introduced = np.bincount(model.ties.client[model.ties.built], minlength=model.clients.n)
    p = model.params.peers
    assert introduced.sum() <= p.experts_by_experience * p.clients_each  # the pool's experts are full
    assert introduced.sum() == p.experts_by_experience * p.clients_each  # 60 clients: more than room
    assert (introduced[~model.clients.accepts_new_ties] == 0).all()
    assert (~model.clients.accepts_new_ties).any()


@pytest.mark.parametrize("seed", range(3))
def test_only_clients_without_an_active_consented_peer_tie_are_introduced_to_an_expert(seed):
    before = active_consented_peer_ties_per_client(small_model("flexible", seed, **UNLIMITED)) > 0
    model = small_model("peer_first", seed, **UNLIMITED)
    introduced = np.bincount(model.ties.client[model.ties.built], minlength=model.clients.n)
    assert (introduced[before] == 0).all()
    assert (introduced[~before] == 1).all()
    assert (model.clients.built_ties == introduced).all()  # an introduction counts as a built tie


def test_no_introductions_when_the_network_building_mechanism_is_switched_off():
    model = small_model("peer_first", 1, **{"mechanisms.network_building": False})
    assert not model.ties.built.any()


def test_every_tie_built_later_is_with_a_peer_or_expert_by_experience():
    peer_first = small_model("peer_first", 2, **UNLIMITED).run(52)
    flexible = small_model("flexible", 2, **UNLIMITED).run(52)
    assert (peer_first.ties.relation[peer_first.ties.built] == Relation.PEER).all()
    assert (flexible.ties.relation[flexible.ties.built] != Relation.PEER).any()


# --- ask_priority: peers first ---------------------------------------------------------------


def first_asked(strategy: str, seed: int) -> Relation:
    """One client with three consented naasten: close family, a close friend and a weaker peer.
    Return the relation of the naaste asked in week 1."""
    world = one_client_world(**{"mechanisms.network_building": False, "mechanisms.network_activation": False})
    model = NetworkSupportModel(world, strategy, rng=seed)
    family, friend, peer = give_network(model, 0, [True, True, True])
    model.ties.relation[[family, friend, peer]] = [Relation.FAMILY, Relation.FRIEND, Relation.PEER]
    model.ties.strength[friend] = 0.8
    model.ties.strength[peer] = 0.3  # the peer is the weakest tie
    model.step()  # week 1: the light mapping is done and the first naaste is asked
    asked = model.ties.member | model.ties.declined  # asked = joined or said no
    assert asked.sum() == 1
    return Relation(model.ties.relation[asked][0])


@pytest.mark.parametrize("seed", range(5))
def test_peer_first_asks_a_peer_before_stronger_ties_of_another_relation(seed):
    assert first_asked("peer_first", seed) == Relation.PEER


@pytest.mark.parametrize("seed", range(5))
def test_flexible_asks_the_strongest_tie_first(seed):
    assert first_asked("flexible", seed) == Relation.FAMILY


def test_among_peers_and_among_the_others_the_strongest_is_asked_first():
    model = small_model("peer_first", 1)
    t = model.ties
    ties = np.arange(4)
    t.relation[ties] = [Relation.PEER, Relation.FAMILY, Relation.PEER, Relation.FRIEND]
    t.strength[ties] = [0.2, 0.9, 0.6, 0.4]
    priority = model.strategy.ask_priority(model, ties)
    assert list(ties[np.argsort(-priority)]) == [2, 0, 1, 3]  # strong peer, weak peer, family, friend


# --- common random numbers -------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_the_population_and_weekly_draws_are_those_of_flexible_with_the_same_seed(seed):
    from simulation.model.streams import ClientDraw, TieDraw

    flexible, peer_first = small_model("flexible", seed), small_model("peer_first", seed)
    for trait in CLIENT_TRAITS:
        assert np.array_equal(getattr(flexible.clients, trait), getattr(peer_first.clients, trait)), trait
    n = flexible.ties.n  # the initial naasten; the introduced experts come after them
    for column, _, _ in flexible.ties.COLUMNS:
        assert np.array_equal(getattr(flexible.ties, column), getattr(peer_first.ties, column)[:n]), column
    flexible.step()
    peer_first.step()
    for draw in ClientDraw:
        assert np.array_equal(flexible.streams.client[draw], peer_first.streams.client[draw])
    for draw in TieDraw:
        assert np.array_equal(flexible.streams.tie[draw][:n], peer_first.streams.tie[draw][:n])


# --- through the command line ----------------------------------------------------------------


@pytest.mark.slow
def test_peer_first_runs_through_snf_compare(scenario_dir, tmp_path):
    out = tmp_path / "cmp"
    args = ["compare", "--scenario", scenario_dir / "tiny.yaml", "--strategies", "flexible,peer_first"]
    args += ["--reps", 2, "--jobs", 2, "--out", out, "--quiet"]
    assert main([str(a) for a in args]) == 0
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary.strategy) == {"flexible", "peer_first"}
    built = summary.set_index(["strategy", "outcome"]).loc[("peer_first", "ties_built")]
    assert built["diff_vs_baseline"] > 0
    assert (out / "support_group_over_time.png").stat().st_size > 10_000


# --- what it changes: the default scenario, paired replications --------------------------------


@pytest.mark.slow
def test_on_the_default_scenario_more_clients_have_a_peer_in_their_group_than_under_flexible():
    """Five paired replications of the default world as a cohort (200 clients, 104 weeks), seeds as
    in `snf compare --seed 1`, with the pool's limit switched off (the strategy's own effect)."""
    peers, support = [], []
    for seed in replication_seeds(1, 5):
        world = small_scenario(**{"population.n_clients": 200, "weeks": 104, **UNLIMITED})
        flexible = NetworkSupportModel(world, "flexible", rng=seed, record_weekly=False).run()
        peer_first = NetworkSupportModel(world, "peer_first", rng=seed, record_weekly=False).run()
        peers.append(share_with_a_peer_in_the_group(peer_first) - share_with_a_peer_in_the_group(flexible))
        support.append(
            peer_first.clients.perceived_support.mean() - flexible.clients.perceived_support.mean()
        )
    assert min(peers) > 0.12  # at least 12 percentage points more, in every replication
    assert min(support) > 0  # and perceived support is higher in every replication
