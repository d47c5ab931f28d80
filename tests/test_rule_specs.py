"""The weekly rules, one specification each: read a test's name as the rule, its body as an example.

Each test sets up the smallest state that shows the rule, calls the rule itself (not a whole week),
and checks what the rule promises. Chances are set to 0 or 1 where the rule draws, so an example
does not depend on luck. When you change a rule on purpose, change its specification here with it
(docs/students.md, section 3). The rules, by module and in the order of the week:

* `shelter.py`: taking in, caseloads, leaving, coming back, the register (steps 0, 8, 9)
* `process.py`: hours, offering support, asking naasten, activation, meetings (steps 1, 2)
* `rules.py`: support flows, naasten's burden and ties, clients' state, dropout (steps 3-5)
* `housing_market.py`: the queue, allocation, homes lost (step 6)
* `network_exits.py`: stays with naasten and homes through the network (step 7)
* `peer_pool.py`: matching new ties with the organisation's peers and volunteers
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import NetworkSupportModel, rules
from simulation.model.peer_pool import NOBODY_FREE, UNLIMITED
from simulation.model.state import (
    ExitRoute,
    GroupForm,
    Location,
    NoGroupReason,
    Phase,
    Relation,
    TieStatus,
)
from simulation.model.strategies import make_strategy
from tests.conftest import give_network, one_client_world, open_scenario

EVERY_RELATION = ("family", "friend", "peer", "other")


def people(n: int = 1, strategy: str = "flexible", seed: int = 1, **changes) -> NetworkSupportModel:
    """`n` clients in the shelter, each with about twelve naasten, a professional with time to spare,
    nobody dropping out, leaving or being housed unless a test says so."""
    world = one_client_world(**{"population.n_clients": n, **changes})
    return NetworkSupportModel(world, strategy, rng=seed)


def begin_week(model: NetworkSupportModel) -> None:
    """Start a week without running its rules: the week's random draws are ready."""
    model.week += 1
    model.streams.next_week(model.week, model.clients.key, model.ties.key)


def every_relation(path: str, value: float) -> dict[str, float]:
    return {f"{path}.{r}": value for r in EVERY_RELATION}


# --- shelter.py: places, caseloads, leaving, coming back, the register ------------------------------


def test_free_places_go_to_those_waiting_longest_before_newcomers():
    model = NetworkSupportModel(open_scenario(**{"shelter.arrivals_per_week": 0.0}), rng=1)
    waiting = model.shelter.arrive(3)
    model.clients.location_since[waiting] = [5, 2, 8]
    leaving = np.flatnonzero(model.clients.location == Location.SHELTER)[:2]
    model.shelter.move_out(leaving, ExitRoute.UNKNOWN)
    model.shelter.admit()
    assert list(model.clients.location[waiting]) == [Location.SHELTER, Location.SHELTER, Location.WAITING]


def test_newcomers_beyond_the_free_places_are_turned_away_under_turn_away():
    model = NetworkSupportModel(open_scenario(**{"shelter.when_full": "turn_away"}), rng=1)
    before = model.clients.n
    model.shelter.arrive_this_week(3, free=1)
    assert model.clients.n == before + 1
    assert model.flow.now["turned_away"] == 2 and model.flow.now["taken_in"] == 1
    assert model.shelter.next_uid == before + 3  # later arrivals keep their identities


def test_a_client_joins_the_least_loaded_caseload_and_waits_when_every_caseload_is_full():
    model = people(4, **{"professionals.caseload": 2, "shelter.mode": "open", "shelter.warmup_weeks": 0})
    c = model.clients
    assert sorted(c.professional) == [0, 0, 1, 1]
    newcomer = model.shelter.arrive(1)
    model.shelter.take_in(newcomer)
    assert c.professional[newcomer[0]] == -1  # every caseload is full: no professional yet
    model.shelter.move_out(np.flatnonzero(c.professional == 1)[:1], ExitRoute.UNKNOWN)
    model.shelter.assign_professionals(newcomer)
    assert c.professional[newcomer[0]] == 1


def test_leaving_the_shelter_is_an_exit_by_its_route_and_ends_network_support():
    model = people(1)
    c = model.clients
    c.phase[0] = Phase.BUILDING
    model.shelter.move_out(np.array([0]), ExitRoute.UNKNOWN)
    assert c.location[0] == Location.AWAY and c.exit_route[0] == ExitRoute.UNKNOWN and c.exits[0] == 1
    assert c.professional[0] == -1 and c.phase[0] == Phase.LEFT
    assert c.reason[0] == NoGroupReason.LEFT_BEFORE_GROUP


def test_someone_who_comes_back_waits_for_a_place_with_their_naasten():
    model = people(1)
    naasten = model.ties.n
    model.shelter.move_out(np.array([0]), ExitRoute.HOUSING_MARKET)
    model.shelter.come_back(np.array([0]))
    assert model.clients.location[0] == Location.WAITING and model.clients.returns[0] == 1
    assert model.ties.n == naasten


def test_clients_leave_for_an_unknown_destination_and_come_back_a_week_later_at_the_earliest():
    model = people(
        3, **{"shelter.leave_rate": 1.0, "shelter.leave_rust_protection": 0.0, "shelter.return_rate": 1.0}
    )
    begin_week(model)
    model.shelter.leave_and_return()
    assert (model.clients.location == Location.AWAY).all()  # away this week, not back yet
    begin_week(model)
    model.shelter.leave_and_return()
    assert (model.clients.location == Location.WAITING).all()


def test_rust_protects_against_leaving_for_an_unknown_destination():
    model = people(2, **{"shelter.leave_rate": 1.0, "shelter.leave_rust_protection": 1.0})
    model.clients.rust[:] = [0.0, 1.0]  # full rust: no chance of leaving at all
    begin_week(model)
    model.shelter.leave_and_return()
    assert list(model.clients.location) == [Location.AWAY, Location.SHELTER]


def test_the_register_records_each_clients_state_13_weeks_after_their_arrival():
    model = people(2)
    model.clients.arrival_week[:] = [0, 5]
    model.clients.group_form[0] = GroupForm.WHATSAPP
    model.week = 13
    model.shelter.register()
    assert list(model.clients.location_at[0]) == [Location.SHELTER, -1]
    assert list(model.clients.group_at[0]) == [1, -1]


def test_people_followed_long_enough_after_leaving_leave_the_model_at_the_next_clearing():
    model = NetworkSupportModel(open_scenario(**{"shelter.follow_up_weeks": 13}), rng=1)
    c = model.clients
    housed = np.flatnonzero(c.location == Location.SHELTER)[:2]
    uids = c.uid[housed].copy()
    model.shelter.move_out(housed, ExitRoute.HOUSING_MARKET)
    c.location_since[housed] = [0, 5]  # housed 13 and 8 weeks before the clearing
    model.week = 13
    model.shelter.register()
    assert uids[0] not in c.uid and uids[1] in model.clients.uid
    assert model.archive.n == 1


# --- process.py: the professionals' hours and the support process -----------------------------------


def test_when_the_hours_run_out_the_client_who_started_later_waits_and_gets_nothing():
    model = people(2, **{"professionals.network_hours_per_week": 3.0})
    c = model.clients
    c.support_since[:] = [4, 2]
    c.work_left[:] = 6.0  # both still mapping their network
    begin_week(model)
    model.process.spend_hours()
    assert list(c.served) == [0.0, 1.0]
    assert c.hours[:, 0].sum() == 0.0 and c.weeks_waiting[0] == 1 and c.work_left[0] == 6.0
    assert c.hours[:, 1].sum() == pytest.approx(3.0) and c.work_left[1] == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("strategy", "phase"), [("care_as_usual", Phase.NOT_OFFERED), ("resource", Phase.PREPARATION)]
)
def test_a_client_taken_in_is_offered_support_and_one_with_a_group_keeps_it(strategy, phase):
    model = people(2, strategy)
    c = model.clients
    c.group_form[0] = GroupForm.WHATSAPP
    model.process.offer(np.array([0, 1]))
    expected_with_group = Phase.GROUP if phase == Phase.PREPARATION else Phase.NOT_OFFERED
    assert list(c.phase) == [expected_with_group, phase]


def test_a_naaste_with_room_joins_one_without_room_or_withdrawn_says_no_and_is_not_asked_again():
    model = people(1, **{"naasten.join_probability": 1.0})
    t = model.ties
    willing, full, withdrawn = give_network(model, 0, [True, True, True])
    t.burden[full] = t.threshold[full]  # no room left: a sure no
    t.status[withdrawn] = TieStatus.WITHDRAWN
    begin_week(model)
    model.process.ask_to_join(np.array([willing, full, withdrawn]))
    assert list(t.member[[willing, full, withdrawn]]) == [True, False, False]
    assert list(t.declined[[willing, full, withdrawn]]) == [False, True, True]
    assert not model.process.candidates()[[full, withdrawn]].any()


def test_consented_dormant_ties_come_back_only_with_the_professionals_time():
    world = one_client_world(**{"population.n_clients": 2})
    strategy = make_strategy("flexible", world, overrides={"activation_rate": 1.0})
    model = NetworkSupportModel(world, strategy, rng=1)
    t, c = model.ties, model.clients
    ties = [give_network(model, i, [True, True]) for i in range(2)]
    for mine in ties:
        t.status[mine] = TieStatus.DORMANT
        t.consent[mine[1]] = False
        t.strength[mine] = 0.6  # chance (0.5 + 0.6) x 1: sure to come back if served
    c.phase[:] = Phase.BUILDING
    c.served[:] = [1.0, 0.0]
    begin_week(model)
    model.process.activate_dormant_ties()
    assert t.status[ties[0][0]] == TieStatus.ACTIVE and t.reactivations[ties[0][0]] == 1
    assert t.status[ties[0][1]] == TieStatus.DORMANT  # no consent: not contacted
    assert (t.status[ties[1]] == TieStatus.DORMANT).all()  # no professional time this week


def test_a_formal_group_with_no_active_member_left_falls_apart():
    model = people(1, "resource")
    c, t = model.clients, model.ties
    member = give_network(model, 0, [True])[0]
    c.phase[0], c.group_form[0] = Phase.GROUP, GroupForm.FORMAL
    t.member[member] = True
    t.status[member] = TieStatus.WITHDRAWN
    begin_week(model)
    model.process.hold_meetings()
    assert c.group_form[0] == GroupForm.NONE and not t.member.any()
    assert c.phase[0] == Phase.BLOCKED  # resource cannot find new naasten: nothing can change


# --- rules.py: support, naasten, clients, dropout ---------------------------------------------------


def test_support_flows_over_active_ties_by_strength_and_the_room_left_under_the_burden():
    model = people(1, **every_relation("naasten.contact_rate", 1.0), **{"naasten.practical_ask_rate": 0.0})
    t = model.ties
    strong, half, full, dormant = give_network(model, 0, [True] * 4)
    t.strength[half] = 0.5
    t.burden[full] = t.threshold[full]
    t.status[dormant] = TieStatus.DORMANT
    begin_week(model)
    rules.support_flows(model)
    per_contact = model.params.naasten.support_per_contact
    assert model.clients.received_support[0] == pytest.approx(1.5 * per_contact)
    assert list(t.contacted[[strong, half, full, dormant]]) == [True, True, True, False]
    assert t.asked[full] == model.params.naasten.burden_contact  # asked, whether or not they can give


def test_burden_fades_by_the_recovery_rate_and_grows_by_what_is_asked():
    model = people(1)
    t = model.ties
    tie = give_network(model, 0, [True])[0]
    t.burden[tie], t.asked[tie] = 2.0, 0.5
    begin_week(model)
    rules.naasten_update(model)
    assert t.burden[tie] == pytest.approx(2.0 * (1 - model.params.naasten.burden_recovery) + 0.5)


def test_a_naaste_above_the_burden_threshold_withdraws_and_leaves_the_group_one_below_stays():
    model = people(1, **{"naasten.withdraw_probability": 1.0})
    t = model.ties
    over, under = give_network(model, 0, [True, True])
    t.member[[over, under]] = True
    t.threshold[[over, under]] = 2.0
    kept = 1 - model.params.naasten.burden_recovery  # this week's burden: what is left of last week's
    t.burden[over], t.burden[under] = 2.1 / kept, 1.9 / kept
    t.contacted[[over, under]] = True
    begin_week(model)
    rules.naasten_update(model)
    assert t.status[over] == TieStatus.WITHDRAWN and not t.member[over] and t.ever_withdrew[over]
    assert t.status[under] == TieStatus.ACTIVE and t.member[under]


def test_a_withdrawn_naaste_becomes_dormant_only_once_the_burden_is_below_the_recovery_level():
    model = people(1, **{"naasten.withdrawn_recovery_level": 0.5})
    t = model.ties
    rested, tired = give_network(model, 0, [True, True])
    t.status[[rested, tired]] = TieStatus.WITHDRAWN
    t.threshold[[rested, tired]] = 2.0
    kept = 1 - model.params.naasten.burden_recovery
    t.burden[rested], t.burden[tired] = 0.9 / kept, 1.1 / kept  # below and above 0.5 x 2.0 this week
    begin_week(model)
    rules.naasten_update(model)
    assert t.status[rested] == TieStatus.DORMANT and t.status[tired] == TieStatus.WITHDRAWN


def test_contact_strengthens_a_tie_and_without_contact_it_weakens_until_the_naaste_drifts_away():
    model = people(1)
    p = model.params.naasten
    t = model.ties
    seen, unseen, fading = give_network(model, 0, [True, True, True])
    t.strength[[seen, unseen]] = 0.5
    t.strength[fading] = p.dormant_threshold + p.strength_decay / 2
    t.member[fading] = True
    t.contacted[seen] = True
    begin_week(model)
    rules.naasten_update(model)
    assert t.strength[seen] == pytest.approx(0.5 + p.strength_gain * 0.5)
    assert t.strength[unseen] == pytest.approx(0.5 - p.strength_decay)
    assert t.status[unseen] == TieStatus.ACTIVE
    assert t.status[fading] == TieStatus.DORMANT and not t.member[fading]


def test_perceived_support_rises_with_support_received_and_with_having_a_group():
    model = people(3)
    c = model.clients
    c.perceived_support[:] = 0.2
    c.received_support[:] = [3.0, 0.0, 0.0]
    c.group_form[:] = [GroupForm.NONE, GroupForm.NONE, GroupForm.SINGLE_NAASTE]
    begin_week(model)
    rules.clients_update(model)
    received, nothing, group = c.perceived_support
    assert received > 0.2 > nothing and group > nothing


def test_trust_grows_with_the_share_of_the_professionals_time_the_client_got():
    model = people(3)
    c = model.clients
    c.trust[:] = 0.4
    c.served[:] = [1.0, 0.5, 0.0]
    begin_week(model)
    rules.clients_update(model)
    assert c.trust[0] > c.trust[1] > c.trust[2] == 0.4


@pytest.mark.parametrize(("strategy", "grows_without_group"), [("resource", False), ("flexible", True)])
def test_eigen_regie_grows_with_a_group_and_with_client_led_work(strategy, grows_without_group):
    model = people(2, strategy)
    c = model.clients
    c.eigen_regie[:] = 0.3
    c.served[:] = 1.0
    c.group_form[:] = [GroupForm.NONE, GroupForm.WHATSAPP]
    begin_week(model)
    rules.clients_update(model)
    assert (c.eigen_regie[0] > 0.3) == grows_without_group
    assert c.eigen_regie[1] > c.eigen_regie[0]


def test_rust_follows_perceived_support_and_a_home():
    model = people(3)
    c = model.clients
    c.rust[:] = c.rust_start[:] = 0.3
    c.perceived_support_start[:] = 0.3
    c.perceived_support[:] = [0.3, 0.9, 0.3]
    c.location[2] = Location.HOUSED
    begin_week(model)
    rules.clients_update(model)
    assert c.rust[1] > c.rust[0] and c.rust[2] > c.rust[0]


def test_the_stramien_raises_dropout_for_clients_who_tolerate_it_poorly_and_eigen_regie_lowers_it():
    changes = {"clients.base_dropout": 0.002, "clients.misfit_dropout": 0.02}
    hazards = {}
    for strategy in ("resource", "flexible"):
        model = people(3, strategy, **changes)
        c = model.clients
        c.stramien_tolerance[:] = [0.1, 0.9, 0.1]
        c.eigen_regie[:] = [0.0, 0.0, 1.0]
        c.served[:] = 1.0  # a full week of the format
        hazards[strategy] = rules.dropout_hazard(model)
    low, high, low_with_eigen_regie = hazards["resource"]
    assert low > high == pytest.approx(0.002) and low_with_eigen_regie < low
    assert hazards["flexible"][0] < low  # the client-paced format is less rigid


def test_a_client_who_drops_out_loses_the_group_and_its_members():
    model = people(1, **{"clients.base_dropout": 1.0})
    c, t = model.clients, model.ties
    member = give_network(model, 0, [True])[0]
    c.phase[0], c.group_form[0] = Phase.GROUP, GroupForm.SINGLE_NAASTE
    t.member[member] = True
    begin_week(model)
    rules.drop_out(model)
    assert c.phase[0] == Phase.DROPPED_OUT and c.reason[0] == NoGroupReason.DROPPED_OUT
    assert c.group_form[0] == GroupForm.NONE and not t.member[member]


# --- housing_market.py: the queue, allocation, homes lost -------------------------------------------


def housing(n: int, **changes) -> NetworkSupportModel:
    """`n` clients and a housing market with scarce homes."""
    return people(n, **{"mechanisms.housing_market": True, **changes})


def test_only_clients_in_the_shelter_or_staying_with_a_naaste_join_the_housing_queue():
    model = housing(4, **{"housing.rate_at_zero_readiness": 1.0, "housing.rate_at_full_readiness": 1.0})
    c = model.clients
    c.location[:] = [Location.SHELTER, Location.NAASTE_STAY, Location.HOUSED, Location.AWAY]
    begin_week(model)
    model.market.join_queue()
    assert list(c.queued_week >= 0) == [True, True, False, False]


def test_readiness_raises_the_weekly_chance_of_joining_the_queue():
    model = housing(2, **{"housing.rate_at_zero_readiness": 0.01, "housing.rate_at_full_readiness": 0.05})
    c = model.clients
    c.rust[:], c.eigen_regie[:], c.perceived_support[:] = [0.1, 0.9], [0.1, 0.9], [0.1, 0.9]
    low, high = model.market.ready_rate()
    h = model.params.housing
    assert h.rate_at_zero_readiness < low < high < h.rate_at_full_readiness


@pytest.mark.parametrize(("allocation", "winner"), [("waiting_time", 1), ("readiness", 2)])
def test_the_allocation_rule_decides_who_gets_the_home(allocation, winner):
    model = housing(3, **{"housing.allocation": allocation, "housing.homes_per_week": 1.0})
    c = model.clients
    c.queued_week[:] = [5, 2, 8]
    c.rust[:] = [0.2, 0.1, 0.9]  # the last joined the queue last but is the most ready
    begin_week(model)
    model.market.allocate()
    housed = np.flatnonzero(c.location == Location.HOUSED)
    assert list(housed) == [winner]
    assert c.exit_route[winner] == ExitRoute.HOUSING_MARKET and c.week_housed[winner] == model.week


def test_half_a_home_a_week_is_one_home_every_other_week():
    model = housing(1, **{"housing.homes_per_week": 0.5})
    assert [model.market.homes_this_week() for _ in range(6)] == [0, 1, 0, 1, 0, 1]


def test_without_scarce_homes_everyone_in_the_queue_is_housed_at_once():
    model = people(3, **{"mechanisms.housing_market": False, "housing.homes_per_week": 0.1})
    model.clients.queued_week[:] = [1, 1, -1]
    begin_week(model)
    model.market.allocate()
    assert list(model.clients.location == Location.HOUSED) == [True, True, False]


def test_a_home_can_be_lost_from_the_week_after_moving_in_and_the_client_returns_to_the_waiting_list():
    model = housing(2, **{"housing.relapse_rate": 1.0, "housing.relapse_support_protection": 0.0})
    c = model.clients
    begin_week(model)
    model.shelter.move_out(np.array([0, 1]), ExitRoute.HOUSING_MARKET)
    c.location_since[0] = model.week - 1  # moved in last week
    model.market.lose_homes()
    assert list(c.location) == [Location.WAITING, Location.HOUSED] and c.relapses[0] == 1


# --- network_exits.py: stays with naasten, homes through the network --------------------------------


def staying_with(model: NetworkSupportModel, client: int, tie: int) -> None:
    model.shelter.move_out(np.array([client]), ExitRoute.NAASTE_STAY)
    model.clients.host[client] = model.ties.gid[tie]
    model.ties.hosting[tie] = True


@pytest.mark.parametrize("breakdown", [0.0, 1.0])
def test_a_stay_breaks_down_when_the_host_is_overloaded_by_chance_and_always_when_out_of_contact(breakdown):
    model = people(3, **{"network_exits.stay_breakdown_probability": breakdown})
    c, t = model.clients, model.ties
    hosts = [give_network(model, i, [True])[0] for i in range(3)]
    for i, host in enumerate(hosts):
        staying_with(model, i, host)
    t.burden[hosts[1]] = 2 * t.threshold[hosts[1]]  # overloaded
    t.status[hosts[2]] = TieStatus.DORMANT  # out of contact
    begin_week(model)
    model.network_exits.break_down()
    overloaded_back = Location.WAITING if breakdown == 1.0 else Location.NAASTE_STAY
    assert list(c.location) == [Location.NAASTE_STAY, overloaded_back, Location.WAITING]
    assert c.host[2] == -1 and not t.hosting[hosts[2]]


def test_an_active_naaste_can_lead_a_ready_client_to_a_home_outside_the_queue():
    model = people(2, **{"network_exits.home_lead_rate": 1.0})
    c = model.clients
    for i in range(2):
        give_network(model, i, [True])
    c.rust[:] = c.eigen_regie[:] = c.perceived_support[:] = [1.0, 0.0]  # readiness 1 and 0
    begin_week(model)
    model.network_exits.lead_to_homes()
    assert list(c.location) == [Location.NETWORK_HOME, Location.SHELTER]
    assert c.exit_route[0] == ExitRoute.NETWORK_HOME and model.flow.now["homes_allocated"] == 0


def test_the_strongest_naaste_who_offers_hosts_and_peers_made_by_building_never_offer():
    offers = every_relation("network_exits.stay_offer_by_relation", 1.0)
    model = people(1, **{"network_exits.stay_offer_rate": 1.0, **offers})
    t = model.ties
    built, strongest, weaker = give_network(model, 0, [True, True, True])
    t.built[built] = True
    t.strength[weaker] = 0.9
    begin_week(model)
    model.network_exits.offer_stays()
    assert model.clients.location[0] == Location.NAASTE_STAY
    assert model.clients.host[0] == t.gid[strongest] and list(np.flatnonzero(t.hosting)) == [strongest]


# --- peer_pool.py: the organisation's peers and volunteers ------------------------------------------


def pool(**changes) -> NetworkSupportModel:
    """One expert by experience and two volunteers, each matched with one client at a time."""
    peers = {"peers.experts_by_experience": 1, "peers.volunteers": 2, "peers.clients_each": 1}
    return people(4, **{**peers, **changes})


def test_a_new_tie_goes_to_the_least_loaded_pool_member_of_the_wanted_kind_while_one_is_free():
    model = pool()
    wanted = np.array([Relation.PEER, Relation.PEER, Relation.OTHER, Relation.OTHER])
    matched = model.pool.match(np.arange(4), wanted)
    assert list(matched) == [0, NOBODY_FREE, 1, 2]
    assert model.pool.free_places == 0


def test_a_match_ends_when_the_tie_is_no_longer_active_or_has_run_its_weeks():
    model = pool(**{"peers.match_weeks": 10})
    t = model.ties
    begin_week(model)
    new = model.add_built_ties(
        np.array([0, 1]),
        relation=np.array([Relation.OTHER, Relation.OTHER]),
        strength=np.array([0.5, 0.5]),
        threshold_quantile=np.array([0.5, 0.5]),
    )
    assert list(t.pool_member[new]) == [1, 2]
    t.status[new[0]] = TieStatus.DORMANT
    model.pool.release_ended_matches()
    assert list(t.pool_member[new]) == [-1, 2]
    model.week += 10
    model.pool.release_ended_matches()
    assert t.pool_member[new[1]] == -1 and model.pool.free_places == 3


def test_with_the_pool_switched_off_every_new_tie_finds_someone():
    model = pool(**{"mechanisms.peer_pool": False})
    matched = model.pool.match(np.arange(4), np.full(4, Relation.PEER))
    assert (matched == UNLIMITED).all()
