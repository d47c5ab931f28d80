"""The model's rules, one behaviour per test. Read these as the specification."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import NetworkSupportModel
from simulation.model.state import GroupForm, NoGroupReason, Phase, TieStatus, Willing
from simulation.model.strategies import Strategy, make_strategy, registered_strategies
from tests.conftest import give_network, one_client_world, open_scenario, small_model


def test_a_client_who_refuses_all_contact_never_gets_a_formal_group_under_resource():
    for seed in range(5):  # about 30 refusers each
        model = small_model(
            "resource", seed, **{"population.refusal_share": 0.5, "population.network_size_mean": 10.0}
        )
        model.run(104)
        refusers = model.clients.refuses_all
        assert refusers.any()
        assert not model.clients.ever_formal[refusers].any()
        assert (model.clients.willing[refusers] != Willing.YES).all()


def test_a_refuser_with_a_large_network_is_blocked_for_lack_of_consent():
    world = one_client_world()
    model = NetworkSupportModel(world, "resource", rng=3)
    model.clients.refuses_all[0] = True
    give_network(model, 0, [False] * 4)
    model.run(40)
    assert model.clients.phase[0] == Phase.BLOCKED
    assert model.no_group_reasons()[0] == NoGroupReason.NO_CONSENT


@pytest.mark.parametrize("seed", range(5))
def test_minimum_group_size_three_with_one_consented_tie_forms_no_formal_group(seed):
    from simulation.model.strategies import make_strategy

    world = one_client_world()
    strategy = make_strategy("resource", world, overrides={"min_group_size": 3})
    model = NetworkSupportModel(world, strategy, rng=seed)
    give_network(model, 0, [True, False, False, False])
    model.run(104)
    assert not model.clients.ever_formal[0]
    assert model.no_group_reasons()[0] == NoGroupReason.NO_CONSENT


@pytest.mark.parametrize("seed", range(5))
def test_flexible_forms_a_group_with_a_single_naaste(seed):
    world = one_client_world(
        **{
            "naasten.join_probability": 1.0,
            "mechanisms.network_building": False,
            "mechanisms.network_activation": False,
        }
    )
    model = NetworkSupportModel(world, "flexible", rng=seed)
    used = give_network(model, 0, [True, False, False, False])
    model.clients.consent_closed[0] = True  # no other naaste will ever be allowed
    model.run(12)
    assert model.clients.group_form[0] == GroupForm.SINGLE_NAASTE
    assert model.ties.member[used[0]]
    assert model.ties.member.sum() == 1


def test_an_overloaded_naaste_withdraws_and_leaves_the_group():
    world = one_client_world(**{"naasten.withdraw_probability": 1.0})
    model = NetworkSupportModel(world, "flexible", rng=1)
    used = give_network(model, 0, [True, True])
    model.ties.member[used] = True
    model.ties.threshold[used[0]] = 0.5
    model.ties.burden[used[0]] = 5.0  # far past the threshold
    model.step()
    assert model.ties.status[used[0]] == TieStatus.WITHDRAWN
    assert not model.ties.member[used[0]]
    assert model.ties.ever_withdrew[used[0]]
    assert model.ties.status[used[1]] == TieStatus.ACTIVE


def test_a_withdrawn_naaste_becomes_dormant_once_the_burden_has_faded():
    world = one_client_world(**{"naasten.withdraw_probability": 1.0, "naasten.practical_ask_rate": 0.0})
    model = NetworkSupportModel(world, "care_as_usual", rng=1)
    used = give_network(model, 0, [True])
    model.ties.threshold[used] = 1.0
    model.ties.burden[used] = 3.0
    model.step()
    assert model.ties.status[used[0]] == TieStatus.WITHDRAWN
    model.run_for(20)
    assert model.ties.status[used[0]] == TieStatus.DORMANT


def test_a_formal_meeting_weighs_more_on_a_naaste_than_a_message():
    model = small_model()
    p = model.params.naasten
    assert p.burden_meeting > p.burden_contact > p.burden_message


def test_care_as_usual_does_no_network_work():
    model = small_model("care_as_usual", 2)
    model.run(52)
    c = model.clients
    assert (c.phase == Phase.NOT_OFFERED).all()
    assert c.hours.sum() == 0
    assert (c.group_form == GroupForm.NONE).all()
    assert not model.ties.member.any()
    assert (model.no_group_reasons() == NoGroupReason.NOT_OFFERED).all()


def test_every_client_without_a_formal_group_has_a_reason():
    model = small_model("resource", 4)
    model.run(104)
    reasons = model.no_group_reasons()
    formal = model.clients.group_form == GroupForm.FORMAL
    assert (reasons[formal] == NoGroupReason.NONE).all()
    assert (reasons[~formal] != NoGroupReason.NONE).all()
    table = model.client_table()
    taken_in = table.weeks_in_shelter > 0
    assert set(table.loc[~table.formal_group & taken_in, "no_group_reason"]) <= {
        "too_few_ties",
        "no_consent",
        "dropped_out",
        "in_progress",
        "left_before_group",
    }
    # people still waiting outside for a place have not been offered network support yet
    assert set(table.loc[~taken_in, "no_group_reason"]) <= {"not_offered", "left_before_group"}


def test_stramien_groups_meet_on_the_fixed_interval():
    world = one_client_world(**{"naasten.join_probability": 1.0})
    model = NetworkSupportModel(world, "resource", rng=5)
    give_network(model, 0, [True, True, True])
    model.run(104)
    c = model.clients
    assert c.ever_formal[0]
    start = c.formal_start_week[0]
    interval = model.strategy.settings.meeting_interval_weeks
    expected = 1 + (104 - start) // interval
    assert abs(int(c.meetings_held[0]) - expected) <= 1


def test_the_client_chooses_the_form_one_naaste_or_a_chat_group():
    world = one_client_world(**{"naasten.join_probability": 1.0, "mechanisms.network_building": False})
    model = NetworkSupportModel(world, "flexible", rng=2)
    give_network(model, 0, [True, True, True])
    model.run(40)
    assert model.clients.group_form[0] == GroupForm.WHATSAPP
    assert model.process.member_count()[0] >= 2


def test_housing_readiness_rises_with_rust_eigen_regie_and_perceived_support():
    from simulation.model.rules import readiness

    model = small_model()
    c = model.clients
    low = readiness(model).copy()
    c.rust += 0.1
    c.eigen_regie += 0.1
    c.perceived_support += 0.1
    assert (readiness(model) > low).all()


def test_support_lowers_the_chance_of_relapse():
    h = small_model().params.housing
    with_support = h.relapse_rate * (1 - h.relapse_support_protection * 1.0)
    assert with_support < h.relapse_rate


def test_consent_grows_with_trust_only_when_the_rule_allows_it():
    grown = {}
    for strategy in ("resource", "flexible"):
        model = small_model(strategy, 7, **{"population.refusal_share": 0.0})
        start = model.ties.consent.copy()
        model.run(52)
        n0 = len(start)
        grown[strategy] = int((model.ties.consent[:n0] & ~start).sum())
    assert grown["resource"] == 0
    assert grown["flexible"] > 0


def test_a_professional_with_no_hours_moves_nobody_forward():
    model = small_model("resource", 1, **{"professionals.network_hours_per_week": 0.0})
    model.run(30)
    assert (model.clients.phase[model.clients.engaged] == Phase.PREPARATION).all()
    assert model.clients.hours.sum() == 0


def test_a_tighter_caseload_budget_slows_the_stramien():
    fast = small_model("resource", 3, **{"professionals.network_hours_per_week": 20.0})
    slow = small_model("resource", 3, **{"professionals.network_hours_per_week": 3.0})
    fast.run(20)
    slow.run(20)
    assert (fast.clients.phase != Phase.PREPARATION).sum() > (slow.clients.phase != Phase.PREPARATION).sum()


def test_up_front_consent_is_asked_once_and_recorded_as_the_funnel_willingness():
    model = small_model("resource", 2)
    model.run(52)
    asked = model.clients.willing != Willing.NOT_ASKED
    assert asked.sum() > 0.6 * model.clients.n
    # closed for good within a stay; a client who comes back is asked again by a new professional
    first_stay = model.clients.returns == 0
    assert model.clients.consent_closed[asked & first_stay].all()


def test_groups_only_have_members_who_are_active():
    model = small_model("flexible", 9)
    for _ in range(60):
        model.step()
        t = model.ties
        assert (t.status[t.member] == TieStatus.ACTIVE).all()


def test_parameter_changes_by_name_reach_the_model():
    model = NetworkSupportModel(n_clients=17, refusal_share=1.0, rng=1)
    assert model.clients.n == 17
    assert model.clients.refuses_all.all()
    assert np.all(model.clients.willingness == 0)


def test_a_group_reflects_the_members_it_has_left_at_the_end_of_every_week():
    """Withdrawals and drift happen after the group is updated; the form is settled again after."""
    from simulation.model.state import GroupForm, TieStatus

    for strategy in ("flexible", "resource"):
        model = small_model(strategy, 3, **{"naasten.practical_ask_rate": 0.6})
        for _ in range(80):
            model.step()
            t, c = model.ties, model.clients
            members = np.bincount(t.client[t.member & (t.status == TieStatus.ACTIVE)], minlength=c.n)
            assert (members[c.group_form != GroupForm.NONE] >= 1).all()
            assert (c.group_form[members == 0] == GroupForm.NONE).all()
            if strategy == "flexible":
                assert (c.group_form[members == 1] != GroupForm.WHATSAPP).all()


def test_a_naaste_who_withdrew_does_not_join_until_recovered():
    world = one_client_world(**{"naasten.join_probability": 1.0})
    model = NetworkSupportModel(world, "flexible", rng=1)
    used = give_network(model, 0, [True, True])
    model.ties.status[used[0]] = TieStatus.WITHDRAWN
    model.ties.burden[used[0]] = 0.9 * model.ties.threshold[used[0]]  # below overload, not recovered
    joined = model.process.ask_to_join(used)
    assert list(joined) == [used[1]]
    assert model.ties.status[used[0]] == TieStatus.WITHDRAWN


def test_a_stramien_restart_only_nominates_consented_naasten():
    """Clients who were building go back to the interviews with naasten who allow contact."""
    from simulation.model.state import Phase
    from simulation.model.strategies import make_strategy

    scenario = one_client_world()
    strategy = make_strategy(
        "resource",
        scenario,
        overrides={"consent_rule": "per_tie_growing", "network_building": "activate_and_build"},
    )
    model = NetworkSupportModel(scenario, strategy, rng=2)
    used = give_network(model, 0, [False, False, False, True, True])
    model.ties.strength[used[3:]] = 0.2  # the consented ones are the weakest: nominate must not skip them
    model.clients.phase[0] = Phase.BUILDING
    model.process.restart_when_ready()
    nominated = np.flatnonzero(model.ties.nominated)
    assert set(nominated) == set(used[3:])
    assert model.clients.phase[0] == Phase.INVESTMENT


def test_a_client_with_nobody_left_to_ask_and_no_way_to_find_anyone_is_blocked():
    """Client-paced support with named ties only and consent asked once: once every candidate has
    declined, nothing can change, so the client stops (instead of being coached for ever)."""
    from simulation.model.state import NoGroupReason, Phase
    from simulation.model.strategies import make_strategy

    scenario = one_client_world(**{"naasten.join_probability": 0.0})
    strategy = make_strategy(
        "flexible", scenario, overrides={"consent_rule": "up_front", "network_building": "named_only"}
    )
    model = NetworkSupportModel(scenario, strategy, rng=4)
    give_network(model, 0, [True, True])
    model.run(30)
    assert model.clients.phase[0] == Phase.BLOCKED
    assert model.no_group_reasons()[0] == NoGroupReason.TOO_FEW_TIES


def test_a_minimum_group_larger_than_the_most_nominees_is_refused():
    import pytest
    from pydantic import ValidationError

    from simulation.model.strategies import make_strategy

    with pytest.raises(ValidationError, match="must not exceed max_nominees"):
        make_strategy("flexible", overrides={"min_group_size": 7})


class _SameNomination(Strategy):
    """Nominates exactly as `Strategy.nominate`, but as an override: the model then finishes
    preparation client by client instead of for everyone at once."""

    def nominate(self, model: NetworkSupportModel, client: int, eligible: np.ndarray) -> np.ndarray:
        return super().nominate(model, client, eligible)


@pytest.mark.parametrize("strategy", ["resource", "flexible"])
def test_finishing_preparation_for_everyone_at_once_matches_client_by_client(strategy):
    runs = []
    for make in (
        lambda s: make_strategy(s, open_scenario()),
        lambda s: _SameNomination(s, registered_strategies()[s]),
    ):
        model = NetworkSupportModel(open_scenario(), make(strategy), rng=4)
        model.run(60)
        runs.append(model)
    at_once, one_by_one = runs
    c, d = at_once.clients, one_by_one.clients
    assert np.count_nonzero(c.phase != Phase.PREPARATION) > 50  # many finished preparation
    for name in ("phase", "reason", "willing", "consent_closed", "work_left", "group_form"):
        assert np.array_equal(getattr(c, name), getattr(d, name)), name
    for name in ("member", "nominated", "consent", "status"):
        assert np.array_equal(getattr(at_once.ties, name), getattr(one_by_one.ties, name)), name
