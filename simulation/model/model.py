"""The network-support model: setup, the order of a week, and what is measured.

A week, in this order (the brief's schedule, with the shelter as a flow around it):

0. the shelter takes in: people waiting and new arrivals fill free places (`shelter.admit`);
1. professionals spend their network hours on their clients (`process.spend_hours`);
2. strategy actions: phases advance, consent is asked or grows, ties are activated or built,
   naasten are asked to join, meetings are held (`process.act`);
3. support flows over active ties (`rules.support_flows`);
4. naasten: burden grows and recovers, the overloaded withdraw, ties weaken (`rules.naasten_update`);
5. clients: perceived support, trust, eigen regie, rust, dropout (`rules.clients_update`);
6. housing: clients become ready and join the queue, homes are allocated, homes are lost
   (`housing_market.HousingMarket.step`);
7. the network as a way out: stays with naasten break down or begin, naasten lead to homes
   (`network_exits.NetworkExits.step`);
8. on to care, leaving for an unknown destination, coming back, giving up waiting
   (`shelter.leave_and_return`);
9. the register: states at fixed weeks after arrival, and those no longer followed leave the model
   (`shelter.register`).

Run it: `NetworkSupportModel(strategy="resource", rng=1).run()`, or step by step with
`model.step()` / `model.run_for(weeks)`. The open shelter runs `shelter.warmup_weeks` first, then
the scenario's `weeks`, which are the weeks measured.
"""

from __future__ import annotations

import gc
from functools import partial
from itertools import compress
from typing import Any

import numpy as np
import pandas as pd
from mesa import Model
from mesa.datacollection import DataCollector
from scipy.special import gammaincinv

from simulation.model import rules
from simulation.model.agents import Client, Naaste, Professional
from simulation.model.housing_market import HousingMarket
from simulation.model.network_exits import NetworkExits
from simulation.model.outcomes import OUTCOMES, client_table, measured_arrivals, weekly_outcomes
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.model.peer_pool import NOBODY_FREE, PeerPool
from simulation.model.population import tie_keys
from simulation.model.process import SupportProcess
from simulation.model.shelter import Archive, FlowCounts, Shelter
from simulation.model.state import BUILT_SLOT, ClientState, TieState, TieStatus
from simulation.model.strategies import Strategy, make_strategy
from simulation.model.streams import RandomStreams

#: the naasten of a client who has none (shared: the rows of a client are never changed in place)
_NO_TIES = np.zeros(0, dtype=np.int64)
_NO_TIES.flags.writeable = False


class AgentIds:
    """The Mesa unique_ids of a kind of agent in row order (ascending: agents are made in row
    order and rows keep their order). New agents' are kept as chunks and joined when read, so
    adding a week's arrivals does not copy the whole array."""

    def __init__(self) -> None:
        self._chunks: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]

    def add(self, agents: list[Any]) -> None:
        self._chunks.append(np.fromiter((a.unique_id for a in agents), dtype=np.int64, count=len(agents)))

    def array(self) -> np.ndarray:
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0]

    def keep(self, mask: np.ndarray) -> None:
        self._chunks = [self.array()[mask]]


def fresh_seed() -> int:
    """A seed from the operating system's entropy, for runs started without one (it is recorded)."""
    return int(np.random.SeedSequence().generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def derive_seed(rng: Any) -> int:
    """The run's integer seed from what Mesa accepts as `rng`: an int, a numpy Generator or bit
    generator (one number is drawn from it), a SeedSequence or a sequence of ints (one number is
    generated from it), or None (a fresh seed). Common random numbers key every draw to this one
    integer, so it is what a run records (`model.seed`): the same integer gives the same run."""
    if rng is None:
        return fresh_seed()
    if isinstance(rng, np.random.BitGenerator):
        rng = np.random.Generator(rng)
    if isinstance(rng, np.random.Generator):
        return int(rng.integers(0, 2**63 - 1))
    if isinstance(rng, (list, tuple)) and rng and all(_is_seed_int(x) for x in rng):
        rng = np.random.SeedSequence([int(x) for x in rng])
    if isinstance(rng, np.random.SeedSequence):
        return int(rng.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
    if not _is_seed_int(rng):
        raise ValueError(
            "rng must be a non-negative integer seed, a numpy Generator, BitGenerator or SeedSequence, "
            f"a sequence of such integers, or None; got {rng!r}"
        )
    return int(rng)


def _is_seed_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)) and value >= 0


def plain_value(value: Any) -> Any:
    """Numpy numbers and booleans as plain Python values (EMA Workbench and np.arange grids pass them)."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    return value


def location_name(client: Client) -> str:
    return client.location.name.lower()


def phase_name(client: Client) -> str:
    return client.phase.name.lower()


def group_form_name(client: Client) -> str:
    return client.group_form.name.lower()


#: what `record_agents=True` keeps of each client every week: attributes of `Client`, categories by name
CLIENT_REPORTERS: dict[str, Any] = {
    "uid": "uid",
    "location": location_name,
    "phase": phase_name,
    "group_form": group_form_name,
    "perceived_support": "perceived_support",
    "trust": "trust",
    "eigen_regie": "eigen_regie",
    "rust": "rust",
}

#: model reporters that are not outcomes: the run's seed, so a row of `mesa.batch_run` can be re-run
RUN_REPORTERS: tuple[str, ...] = ("seed",)


def outcome_now(name: str, model: NetworkSupportModel) -> float:
    """A weekly outcome's value now (a reporter by name, so the collector pickles)."""
    return OUTCOMES[name].fn(model)


def make_datacollector(*, agents: bool) -> DataCollector:
    """Mesa's DataCollector with the weekly outcomes (and the run's seed); with `agents`, each
    client's state too. Reporters are plain functions and attribute names, so a model pickles."""
    model_reporters: dict[str, Any] = {o.name: partial(outcome_now, o.name) for o in weekly_outcomes()}
    model_reporters.update({name: name for name in RUN_REPORTERS})
    agent_reporters = {Client: dict(CLIENT_REPORTERS)} if agents else None
    return DataCollector(model_reporters=model_reporters, agenttype_reporters=agent_reporters)


class NetworkSupportModel(Model):
    """Clients in a shelter, their naasten and professionals, under one network-support strategy.

    Args:
        scenario: the world (population, naasten, professionals, shelter, ...); defaults to
            `ScenarioParams()`.
        strategy: a registered or scenario-defined strategy name, or a `Strategy` object.
        rng: the seed that fixes every random draw: an int, a numpy Generator or SeedSequence (a
            seed is drawn from it), or None for a fresh one; `model.seed` records it.
        record_weekly: keep the weekly outcome series in `model.datacollector` (switch off for the
            fastest sweeps).
        record_agents: also keep each client's state every week, as Mesa agent reporters
            (`model.datacollector.get_agenttype_vars_dataframe(Client)`; `mesa.batch_run` then
            returns one row per client). Off by default: it makes a run several times slower.
        **params: parameter changes on top of the scenario, by name (`n_clients=50`) or dotted
            path (`**{"population.n_clients": 50}`), validated like a scenario file; numpy values
            are accepted.
    """

    def __init__(
        self,
        scenario: ScenarioParams | None = None,
        strategy: str | Strategy = "flexible",
        *,
        rng: Any = None,
        record_weekly: bool = True,
        record_agents: bool = False,
        **params: Any,
    ) -> None:
        seed = derive_seed(rng)
        super().__init__(rng=seed)
        self.seed = seed
        scenario = scenario if scenario is not None else ScenarioParams()
        changes = {k: plain_value(v) for k, v in params.items()}
        self.params: ScenarioParams = apply_overrides(scenario, changes) if changes else scenario
        self.strategy: Strategy = (
            strategy if isinstance(strategy, Strategy) else make_strategy(plain_value(strategy), self.params)
        )
        self.week = 0
        self.record_weekly = bool(plain_value(record_weekly)) or bool(plain_value(record_agents))
        self.datacollector = make_datacollector(agents=bool(plain_value(record_agents)))

        self.clients = ClientState(capacity=self.params.population.n_clients * 2)
        self.ties = TieState(capacity=self.params.population.n_clients * 14)
        # each client's naasten (rows): built lazily from the sorted rows after rows close up
        self._ties_of: list[np.ndarray | None] = []
        self._ties_order = np.zeros(0, dtype=np.int64)
        self._ties_bounds: list[int] = [0]
        self._next_gid = 0
        self.row_layout = 0  # counts the times rows closed up (agents look up their row again)
        self.client_agents: list[Client] = []
        self.naaste_agents: list[Naaste] = []
        # the agents' Mesa unique_ids in row order: how an agent finds its row (agents.py)
        self.client_ids = AgentIds()
        self.naaste_ids = AgentIds()
        self.streams = RandomStreams(seed)

        self.shelter = Shelter(self)
        self.professional_agents = [Professional(self, k) for k in range(self.shelter.n_professionals)]
        self.flow = FlowCounts()
        self.archive = Archive()
        self.process = SupportProcess(self)
        self.market = HousingMarket(self)
        self.network_exits = NetworkExits(self)
        self.pool = PeerPool(self)
        self._final_reasons: np.ndarray | None = None
        self._outcome_memo: dict[str, Any] | None = None  # while the weekly outcomes are collected

        self.strategy.on_start(self)
        self.shelter.fill()

    # --- the week -------------------------------------------------------------------------------

    @property
    def horizon(self) -> int:
        """Weeks in a whole run: the warm-up (open shelter) and the measured weeks."""
        return self.shelter.warmup + self.params.weeks

    @property
    def measuring(self) -> bool:
        """Whether this week counts for the outcomes per shelter and year (after the warm-up)."""
        return self.week > self.shelter.warmup

    def step(self) -> None:
        """One week."""
        self.week += 1
        self._final_reasons = None
        self.shelter.admit()  # 0. arrivals and people waiting take free places
        self.streams.next_week(self.week, self.clients.key, self.ties.key)
        self.process.spend_hours()  # 1. professionals spend their network hours
        self.process.act()  # 2. strategy actions
        rules.support_flows(self)  # 3. support flows over active ties
        rules.naasten_update(self)  # 4. naasten: burden, withdrawal, weakening
        self.process.settle_groups()  #    groups follow the members they have left
        rules.clients_update(self)  # 5. clients: support, trust, eigen regie, rust, dropout
        self.market.step()  # 6. housing: ready, allocated, lost
        self.network_exits.step()  # 7. stays with naasten, homes through the network
        self.pool.release_ended_matches()  #    peers and volunteers whose match ended are free again
        self.shelter.leave_and_return()  # 8. on to care, unknown destinations, coming back, giving up
        self.shelter.register()  # 9. states at fixed ages; those no longer followed leave
        if self.record_weekly:
            # nothing changes while the week's outcomes are read, so what several of them look
            # up (the naasten of the clients in the shelter) is found once
            self._outcome_memo = {}
            try:
                self.datacollector.collect(self)
            finally:
                self._outcome_memo = None
        if self.week >= self.horizon:
            self.running = False

    def run(self, weeks: int | None = None) -> NetworkSupportModel:
        """Run for `weeks` (default: the whole horizon, warm-up included) and return the model.

        Python's cyclic garbage collector is paused while it runs (and switched back on after, if
        it was on). A run makes no reference cycles: everything it drops is freed by reference
        counting the moment it is dropped (a whole run leaves no cyclic garbage). But every Mesa
        agent is an object the collector tracks, and each of its periodic full passes walks all
        of them: with a million naasten alive that was 8% of a national-scale run, for nothing.
        `model.step()` leaves the collector alone."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.run_for(self.horizon - self.week if weeks is None else weeks)
        finally:
            if collecting:
                gc.enable()
        return self

    # --- people coming in and going out -----------------------------------------------------------

    def add_clients(self, columns: dict[str, np.ndarray], ties: dict[str, np.ndarray]) -> np.ndarray:
        """Add arriving clients (and their naasten, whose `client` is a position among the arrivals)."""
        rows = self.clients.add(len(columns["uid"]), **columns)
        self.streams.add_clients(self.clients.key[rows])
        self._ties_of.extend([_NO_TIES] * len(rows))  # never changed in place: one empty array will do
        agents = [Client(self, i) for i in rows.tolist()]
        self.client_agents.extend(agents)
        self.client_ids.add(agents)
        if len(ties["client"]):
            owner = rows[ties["client"]]
            self._add_ties(len(owner), {**ties, "client": owner})
        start = rules.expected_weekly_support(self, rows)
        pc = self.params.clients
        support = rules.perceived_support_target(
            start, np.zeros(len(rows)), pc.support_scale, pc.group_support_weight
        )
        self.clients.perceived_support[rows] = support
        self.clients.perceived_support_start[rows] = support
        return rows

    def _add_ties(self, count: int, columns: dict[str, Any]) -> np.ndarray:
        gids = np.arange(self._next_gid, self._next_gid + count, dtype=np.int64)
        self._next_gid += count
        new = self.ties.add(count, gid=gids, **columns)
        self.streams.add_ties(self.ties.key[new])
        owner = self.ties.client[new]
        order = np.argsort(owner, kind="stable")
        grouped, owners = new[order], owner[order]
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if count else np.zeros(0, int)
        ends = [*starts[1:].tolist(), count]
        for client, start, end in zip(owners[starts].tolist(), starts.tolist(), ends, strict=True):
            self._ties_of[client] = np.concatenate([self.ties_of(client), grouped[start:end]])
        agents = [Naaste(self, j) for j in new.tolist()]
        self.naaste_agents.extend(agents)
        self.naaste_ids.add(agents)
        return new

    def remove_clients(self, rows: np.ndarray, why: str) -> None:
        """Take clients out of the model (no longer followed, or removed by hand): their record goes
        to the archive, their rows and naasten are dropped, and everyone else's rows close up."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return
        self.archive.add(client_table(self, rows), why)
        self.pool.release_clients(rows)
        keep_clients = np.ones(self.clients.n, dtype=bool)
        keep_clients[rows] = False
        keep_ties = keep_clients[self.ties.client]
        self._close_up(keep_clients, keep_ties)

    def remove_ties(self, ties: np.ndarray) -> None:
        """Take naasten out of the model (removed by hand): a client staying with one of them goes
        back to the shelter's waiting list, a match with the pool is freed."""
        ties = np.asarray(ties, dtype=np.int64)
        if len(ties) == 0:
            return
        hosting = ties[self.ties.hosting[ties]]
        if len(hosting):
            self.shelter.come_back(self.ties.client[hosting])
        self.pool.release_ties(ties)
        keep_ties = np.ones(self.ties.n, dtype=bool)
        keep_ties[ties] = False
        self._close_up(np.ones(self.clients.n, dtype=bool), keep_ties)

    def _close_up(self, keep_clients: np.ndarray, keep_ties: np.ndarray) -> None:
        for j in np.flatnonzero(~keep_ties).tolist():
            Naaste.deregister(self.naaste_agents[j])
        for i in np.flatnonzero(~keep_clients).tolist():
            Client.deregister(self.client_agents[i])
        self.naaste_agents = list(compress(self.naaste_agents, keep_ties.tolist()))
        self.client_agents = list(compress(self.client_agents, keep_clients.tolist()))
        self.naaste_ids.keep(keep_ties)
        self.client_ids.keep(keep_clients)
        new_client = self.clients.keep(keep_clients)
        self.ties.keep(keep_ties)
        self.ties.client = new_client[self.ties.client]
        self.row_layout += 1  # agents find their new rows by identity when next read
        self._rebuild_ties_of()
        self._final_reasons = None

    def _rebuild_ties_of(self) -> None:
        """Sort the naasten by client; each client's rows are cut out when first asked for (most
        clients, followed after leaving, are never asked: cutting all of them up front was a tenth
        of a second per clearing at national scale)."""
        owner = self.ties.client
        self._ties_order = np.argsort(owner, kind="stable")
        counts = np.bincount(owner, minlength=self.clients.n)
        self._ties_bounds = np.concatenate([[0], np.cumsum(counts)]).tolist()
        self._ties_of = [None] * self.clients.n

    # --- helpers the process, the rule modules and the agents use -----------------------------------

    def ties_of(self, client: int) -> np.ndarray:
        """Rows of the client's naasten."""
        ties = self._ties_of[client]
        if ties is None:
            bounds = self._ties_bounds
            ties = self._ties_of[client] = self._ties_order[bounds[client] : bounds[client + 1]]
        return ties

    def tie_rows(self, gids: np.ndarray) -> np.ndarray:
        """Rows of naasten by identity (identities grow with the rows, so a search finds them)."""
        return np.searchsorted(self.ties.gid, np.asarray(gids, dtype=np.int64))

    def reactivate(self, ties: np.ndarray) -> None:
        """Dormant ties come back into contact, at least at the strength of a renewed tie."""
        if len(ties) == 0:
            return
        t = self.ties
        t.status[ties] = TieStatus.ACTIVE
        t.reactivations[ties] += 1
        t.strength[ties] = np.maximum(t.strength[ties], self.params.naasten.reactivated_strength)

    def bridge_acquaintances(self, tie: int) -> None:
        """A new group member makes the naasten they know easier to reach."""
        from simulation.model.population import knows_each_other

        t = self.ties
        if t.built[tie]:
            return
        client = int(t.client[tie])
        others = self.ties_of(client)
        others = others[(others != tie) & ~t.built[others]]
        if len(others) == 0:
            return
        known = knows_each_other(
            self.seed,
            int(self.clients.uid[client]),
            np.full(len(others), t.slot[tie]),
            t.slot[others],
            self.params.population.acquaintance_probability,
        )
        t.bridged[others[known]] = True

    def add_built_ties(
        self,
        clients: np.ndarray,
        *,
        relation: np.ndarray,
        strength: np.ndarray,
        threshold_quantile: np.ndarray,
    ) -> np.ndarray:
        """New ties made by network building, one per listed client. The client chose to meet
        this person, so the tie is active and consented from the start. With the peer pool on,
        each needs a free place with a peer or volunteer; clients without one get no tie."""
        clients = np.asarray(clients, dtype=np.int64)
        relation = np.asarray(relation)
        matched = self.pool.match(clients, relation)
        ok = matched != NOBODY_FREE
        if not ok.all():
            clients, relation = clients[ok], relation[ok]
            strength, threshold_quantile = np.asarray(strength)[ok], np.asarray(threshold_quantile)[ok]
            matched = matched[ok]
        if len(clients) == 0:
            return np.zeros(0, dtype=np.int64)
        nb = self.params.naasten
        shape = nb.overload_threshold_shape
        q = np.clip(threshold_quantile, 1e-9, 1 - 1e-9)
        threshold = gammaincinv(shape, q) * (nb.overload_threshold_mean / shape)
        slot = BUILT_SLOT + self.clients.built_ties[clients]
        new = self._add_ties(
            len(clients),
            {
                "client": clients,
                "slot": slot,
                "key": tie_keys(self.clients.key[clients], slot),
                "relation": relation,
                "status": TieStatus.ACTIVE,
                "strength": strength,
                "threshold": threshold,
                "consent": True,
                "built": True,
                "pool_member": matched,
                "pool_since": self.week,
            },
        )
        self.clients.built_ties[clients] += 1
        return new

    # --- measurement -----------------------------------------------------------------------------

    def no_group_reasons(self) -> np.ndarray:
        """Why each client has no formal group now (cached until the next step)."""
        if self._final_reasons is None:
            self._final_reasons = self.process.diagnose()
        return self._final_reasons

    def outcomes(self) -> dict[str, float]:
        """Every registered outcome, now."""
        return {name: o(self) for name, o in OUTCOMES.items()}

    def weekly_table(self) -> pd.DataFrame:
        """One row per measured week with the weekly outcomes (from `model.datacollector`): `week`
        counts from the end of the warm-up (the cohort: from arrival), `model_week` is the week of
        the run."""
        table = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        table = table.drop(columns=[c for c in RUN_REPORTERS if c in table.columns])
        model_week = np.arange(1, len(table) + 1)
        table.insert(0, "week", model_week - self.shelter.warmup)
        table.insert(1, "model_week", model_week)
        return table[table["week"] >= 1].reset_index(drop=True)

    def client_table(self) -> pd.DataFrame:
        """One row per client in the model now."""
        return client_table(self)

    def measured_clients_table(self) -> pd.DataFrame:
        """One row per client the outcomes are about: everyone who arrived after the warm-up
        (the cohort: everyone), those who left included, as they are now."""
        return measured_arrivals(self)

    def arrivals_table(self) -> pd.DataFrame:
        """One row per client who ever arrived: those who left the model (archived) and those in it."""
        return self.archive.with_current(client_table(self))
