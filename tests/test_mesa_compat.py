"""The model as a Mesa user meets it: numpy parameter values, `rng` in every form Mesa accepts,
`model.datacollector`, `mesa.batch_run`, `agent.remove()`, and agents that do not step on their own."""

from __future__ import annotations

import gc

import mesa
import numpy as np
import pandas as pd
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.agents import Client, Naaste, Professional
from simulation.model.state import Location
from tests.conftest import open_scenario, small_scenario

#: a tiny open shelter: 20 places, 4 weeks of warm-up, 8 measured weeks (12 steps in all)
TINY = {"n_clients": 20, "warmup_weeks": 4, "weeks": 8, "arrivals_per_week": 1.0}


# --- parameters and seeds --------------------------------------------------------------------------


def test_numpy_parameter_values_give_the_same_run_as_plain_ones():
    plain = NetworkSupportModel(
        strategy="resource",
        rng=4,
        n_clients=30,
        refusal_share=0.3,
        network_building=False,
        warmup_weeks=10,
        weeks=10,
    )
    numpy = NetworkSupportModel(
        strategy=np.str_("resource"),
        rng=np.int64(4),
        n_clients=np.int64(30),
        refusal_share=np.float64(0.3),
        network_building=np.bool_(False),
        warmup_weeks=np.int32(10),
        weeks=np.arange(8, 12)[2],
    )
    assert numpy.params == plain.params
    assert type(numpy.params.population.n_clients) is int
    pd.testing.assert_frame_equal(numpy.run().client_table(), plain.run().client_table())


def test_a_numpy_value_out_of_range_is_refused_like_a_plain_one():
    with pytest.raises(ValueError, match="refusal_share"):
        NetworkSupportModel(rng=1, refusal_share=np.float64(1.5))


@pytest.mark.parametrize(
    "make_rng",
    [
        lambda: 7,
        lambda: np.int32(7),
        lambda: np.random.default_rng(7),
        lambda: np.random.SeedSequence(7),
        lambda: np.random.PCG64(7),
        lambda: [7, 8],
    ],
    ids=["int", "numpy-int", "Generator", "SeedSequence", "BitGenerator", "list"],
)
def test_every_kind_of_rng_fixes_the_run_and_records_the_seed_that_reproduces_it(make_rng):
    a = NetworkSupportModel(small_scenario(weeks=6), rng=make_rng()).run()
    b = NetworkSupportModel(small_scenario(weeks=6), rng=make_rng()).run()
    assert isinstance(a.seed, int) and a.seed >= 0 and a.seed == b.seed
    again = NetworkSupportModel(small_scenario(weeks=6), rng=a.seed).run()
    pd.testing.assert_frame_equal(a.client_table(), again.client_table())


def test_different_generators_give_different_seeds_and_no_rng_draws_a_fresh_recorded_one():
    children = np.random.SeedSequence(11).spawn(2)
    seeds = {NetworkSupportModel(small_scenario(), rng=child).seed for child in children}
    assert len(seeds) == 2
    fresh = NetworkSupportModel(small_scenario(weeks=6), rng=None).run()
    again = NetworkSupportModel(small_scenario(weeks=6), rng=fresh.seed).run()
    pd.testing.assert_frame_equal(fresh.client_table(), again.client_table())


def test_a_generator_keeps_common_random_numbers_across_strategies():
    """Two strategies given equal generators meet the same clients with the same networks."""
    runs = [
        NetworkSupportModel(open_scenario(), strategy, rng=np.random.default_rng(3)).run(30)
        for strategy in ("care_as_usual", "flexible")
    ]
    a, b = (m.arrivals_table().set_index("client").sort_index() for m in runs)
    assert runs[0].seed == runs[1].seed
    np.testing.assert_array_equal(a.index, b.index)
    for column in ("arrival_week", "willingness", "stramien_tolerance", "refuses_all", "accepts_new_ties"):
        np.testing.assert_array_equal(a[column], b[column])


@pytest.mark.parametrize("bad", [-1, 2.5, "7", True, [1, -2], object()])
def test_an_rng_mesa_would_not_accept_is_refused_with_what_is_allowed(bad):
    with pytest.raises(ValueError, match="Generator"):
        NetworkSupportModel(small_scenario(), rng=bad)


# --- the data collector and batch_run --------------------------------------------------------------


def test_the_datacollector_holds_one_row_per_week_with_the_weekly_outcomes_and_the_seed():
    from simulation.model.outcomes import weekly_outcomes

    model = NetworkSupportModel(strategy="flexible", rng=2, **TINY).run()
    table = model.datacollector.get_model_vars_dataframe()
    assert len(table) == model.horizon == 12
    assert {o.name for o in weekly_outcomes()} <= set(table.columns)
    assert (table["seed"] == 2).all()
    last = table.iloc[-1]
    for o in weekly_outcomes():
        assert last[o.name] == pytest.approx(o(model), nan_ok=True)
    assert "seed" not in model.weekly_table().columns  # the project's weekly table holds outcomes only


def test_agent_reporters_on_request_record_each_clients_state_every_week():
    model = NetworkSupportModel(strategy="flexible", rng=2, record_agents=True, **TINY).run()
    agents = model.datacollector.get_agenttype_vars_dataframe(Client)
    last = agents.xs(model.horizon, level="Step")
    assert len(last) == model.clients.n
    client = model.client_agents[3]
    row = last.loc[client.unique_id]
    assert row["uid"] == client.uid and row["location"] == client.location.name.lower()
    assert row["trust"] == client.trust
    assert set(agents.index.get_level_values("Step")) == set(range(1, model.horizon + 1))
    plain = NetworkSupportModel(strategy="flexible", rng=2, **TINY)
    assert not plain.datacollector.agenttype_reporters  # off by default: runs stay fast


def test_batch_run_with_numpy_values_returns_the_outcomes_of_each_run():
    results = mesa.batch_run(
        NetworkSupportModel,
        parameters={
            "strategy": "resource",
            "n_clients": np.arange(20, 41, 20),
            "refusal_share": np.float64(0.3),
            "network_building": np.bool_(False),
            "warmup_weeks": np.int64(4),
            "weeks": np.int64(8),
            "arrivals_per_week": np.float64(1.0),
        },
        rng=[1, 2],
        max_steps=100,
        number_processes=1,
        display_progress=False,
    )
    assert len(results) == 4  # two sizes, two seeds: one row per run
    row = next(r for r in results if r["n_clients"] == 40 and r["seed"] == 2)
    assert row["Step"] == 12  # the run stopped at its horizon, before max_steps
    direct = NetworkSupportModel(
        strategy="resource", rng=2, n_clients=40, refusal_share=0.3, network_building=False,
        warmup_weeks=4, weeks=8, arrivals_per_week=1.0,
    ).run()  # fmt: skip
    for name, value in direct.datacollector.get_model_vars_dataframe().iloc[-1].items():
        assert row[name] == pytest.approx(value, nan_ok=True), name


def test_batch_run_with_iterations_draws_fresh_seeds_and_records_them():
    with pytest.warns(DeprecationWarning, match="iterations"):  # Mesa's own warning: rng= is current
        results = mesa.batch_run(
            NetworkSupportModel,
            parameters={"n_clients": np.int64(20), "warmup_weeks": 2, "weeks": 4},
            iterations=2,
            max_steps=50,
            number_processes=1,
            display_progress=False,
        )
    assert len(results) == 2 and results[0]["seed"] != results[1]["seed"]
    again = NetworkSupportModel(rng=results[1]["seed"], n_clients=20, warmup_weeks=2, weeks=4).run()
    assert again.outcomes()["has_support_group"] == pytest.approx(results[1]["has_support_group"])


# --- agents: remove() and step() -------------------------------------------------------------------


def in_shelter_with_naasten(model: NetworkSupportModel) -> Client:
    c = model.clients
    rows = np.flatnonzero((c.location == Location.SHELTER) & (c.professional >= 0))
    return next(model.client_agents[i] for i in rows if len(model.ties_of(int(i))) >= 2)


def test_removing_a_client_frees_their_place_caseload_and_naasten():
    model = NetworkSupportModel(open_scenario(), "flexible", rng=5).run(20)
    client = in_shelter_with_naasten(model)
    uid, naasten, professional = client.uid, client.naasten, client.professional
    occupied = int(np.count_nonzero(model.clients.location == Location.SHELTER))
    caseload = len(professional.caseload)
    n_clients, n_ties, n_agents = model.clients.n, model.ties.n, len(model.agents)

    client.remove()

    assert model.clients.n == n_clients - 1 and uid not in model.clients.uid
    assert np.count_nonzero(model.clients.location == Location.SHELTER) == occupied - 1
    assert len(professional.caseload) == caseload - 1
    assert model.ties.n == n_ties - len(naasten)
    assert len(model.agents) == n_agents - 1 - len(naasten)
    assert client not in model.agents and not any(n in model.agents for n in naasten)
    assert model.arrivals_table().query("client == @uid").left_model.item() == "removed"
    # everyone else's agent still reads their own row
    for i, agent in enumerate(model.client_agents):
        assert agent.index == i and agent.uid == model.clients.uid[i]
    for j, naaste in enumerate(model.naaste_agents):
        assert naaste.index == j and naaste.client.uid == model.clients.uid[model.ties.client[j]]


def test_a_removed_client_cannot_be_read_or_removed_again():
    model = NetworkSupportModel(open_scenario(), "flexible", rng=5)
    client = model.client_agents[0]
    client.remove()
    with pytest.raises(RuntimeError, match="left the model"):
        _ = client.trust
    with pytest.raises(RuntimeError, match="left the model"):
        client.remove()
    assert "left the model" in repr(client)


def test_the_place_of_a_removed_client_is_taken_the_next_week_and_the_run_goes_on():
    scenario = open_scenario(**{"shelter.arrivals_per_week": 3.0})
    model = NetworkSupportModel(scenario, "resource", rng=6).run(10)
    c = model.clients
    assert np.count_nonzero(c.location == Location.WAITING) > 0  # people are waiting for a place
    in_shelter_with_naasten(model).remove()
    model.step()
    week = model.flow.weeks[-1]
    exits = sum(v for k, v in week.items() if k.startswith("exits_"))
    assert week["in_shelter"] + exits == model.shelter.places  # full at the week's start, then exits
    model.run(30)
    twin = NetworkSupportModel(scenario, "resource", rng=6).run(41)
    removed, kept = model.outcomes(), twin.outcomes()
    assert [name for name, v in removed.items() if np.isnan(v)] == [
        name for name, v in kept.items() if np.isnan(v)
    ]
    assert model.clients.n + model.archive.n == twin.clients.n + twin.archive.n  # nobody lost


def test_removing_a_host_ends_the_stay_and_sends_the_client_back_to_the_waiting_list():
    model = NetworkSupportModel(open_scenario(), "flexible", rng=1)
    for _ in range(60):
        model.step()
        if model.ties.hosting.any():
            break
    host = model.naaste_agents[int(np.flatnonzero(model.ties.hosting)[0])]
    guest = host.client
    assert guest.location == Location.NAASTE_STAY
    host.remove()
    assert guest.location == Location.WAITING and model.clients.host[guest.index] == -1
    staying = np.count_nonzero(model.clients.location == Location.NAASTE_STAY)
    assert np.count_nonzero(model.ties.hosting) == staying  # every stay still has its host
    model.run(5)
    assert np.count_nonzero(model.ties.hosting) == np.count_nonzero(
        model.clients.location == Location.NAASTE_STAY
    )


def test_a_professional_cannot_be_removed_and_says_what_to_change_instead():
    model = NetworkSupportModel(small_scenario(), rng=1)
    with pytest.raises(NotImplementedError, match="caseload"):
        model.professional_agents[0].remove()


@pytest.mark.parametrize("agent_class", [Client, Naaste, Professional])
def test_a_subclass_with_its_own_step_is_refused_with_a_pointer_to_the_rules(agent_class):
    with pytest.raises(TypeError, match=r"never be called.*rule module.*strategy hook.*students\.md"):

        class Stepping(agent_class):
            def step(self) -> None:
                pass


def test_stepping_the_agents_mesa_style_says_to_step_the_model():
    model = NetworkSupportModel(small_scenario(), rng=1)
    with pytest.raises(TypeError, match=r"model\.step\(\)"):
        model.agents.shuffle_do("step")


def test_a_model_pickles_mid_run_and_the_copy_goes_on_exactly_like_the_original():
    import pickle

    model = NetworkSupportModel(strategy="flexible", rng=3, **TINY).run(6)
    copy = pickle.loads(pickle.dumps(model))
    model.run()
    copy.run()
    pd.testing.assert_frame_equal(model.client_table(), copy.client_table())
    pd.testing.assert_frame_equal(model.weekly_table(), copy.weekly_table())


@pytest.mark.parametrize("collecting", [True, False])
def test_run_pauses_the_garbage_collector_and_leaves_no_cycles_behind(collecting):
    """`model.run()` pauses Python's cyclic collector, which is safe only if a run makes no
    reference cycles; afterwards the collector is as it was."""
    model = NetworkSupportModel(open_scenario(), "flexible", rng=3)
    gc.collect()
    was = gc.isenabled()
    try:
        gc.enable() if collecting else gc.disable()
        model.run(30)
        assert gc.isenabled() is collecting
        gc.disable()
        assert gc.collect() == 0  # nothing the run dropped was left for the collector
    finally:
        gc.enable() if was else gc.disable()
