"""The network-support model: setup, the order of a week, and what is measured.

A week, in this order (the brief's schedule):

1. professionals spend their network hours on their clients (`process.spend_hours`);
2. strategy actions: phases advance, consent is asked or grows, ties are activated or built,
   naasten are asked to join, meetings are held (`process.act`);
3. support flows over active ties (`rules.support_flows`);
4. naasten: burden grows and recovers, the overloaded withdraw, ties weaken (`rules.naasten_update`);
5. clients: perceived support, trust, eigen regie, rust, dropout (`rules.clients_update`);
6. housing: moving in and relapse (`rules.housing_update`).

Run it: `NetworkSupportModel(strategy="resource", rng=1).run()`, or step by step with
`model.step()` / `model.run_for(weeks)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from mesa import Model
from scipy.special import gammaincinv

from simulation.model import rules
from simulation.model.agents import Client, Naaste, Professional
from simulation.model.outcomes import OUTCOMES, client_table, weekly_outcomes
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.model.population import draw_population
from simulation.model.process import SupportProcess
from simulation.model.state import TieStatus
from simulation.model.strategies import Strategy, make_strategy
from simulation.model.streams import RandomStreams


def fresh_seed() -> int:
    """A seed from the operating system's entropy, for runs started without one (it is recorded)."""
    return int(np.random.SeedSequence().generate_state(1)[0])


class NetworkSupportModel(Model):
    """Clients in a shelter, their naasten and professionals, under one network-support strategy.

    Args:
        scenario: the world (population, naasten, professionals, ...); defaults to `ScenarioParams()`.
        strategy: a registered or scenario-defined strategy name, or a `Strategy` object.
        rng: the seed that fixes every random draw; `None` draws one (see `model.seed`).
        record_weekly: keep the weekly outcome series (switch off for the fastest sweeps).
        **params: parameter changes on top of the scenario, by name (`n_clients=50`) or dotted
            path (`**{"population.n_clients": 50}`), validated like a scenario file.
    """

    def __init__(
        self,
        scenario: ScenarioParams | None = None,
        strategy: str | Strategy = "flexible",
        *,
        rng: int | None = None,
        record_weekly: bool = True,
        **params: Any,
    ) -> None:
        seed = fresh_seed() if rng is None else rng
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"rng must be a non-negative integer seed, got {rng!r}")
        super().__init__(rng=int(seed))
        self.seed = int(seed)
        scenario = scenario if scenario is not None else ScenarioParams()
        self.params: ScenarioParams = apply_overrides(scenario, params) if params else scenario
        self.strategy: Strategy = (
            strategy if isinstance(strategy, Strategy) else make_strategy(strategy, self.params)
        )
        self.week = 0
        self.record_weekly = record_weekly
        self._weekly_rows: list[tuple[float, ...]] = []

        self.clients, self.ties, self.acquaintances = draw_population(self.params, self.seed)
        self.streams = RandomStreams(self.seed, self.clients.n, self.ties.n)
        self._ties_of: list[np.ndarray] = np.split(
            np.arange(self.ties.n), np.cumsum(np.bincount(self.ties.client, minlength=self.clients.n))[:-1]
        )
        self.n_professionals = int(self.clients.professional.max()) + 1 if self.clients.n else 0
        self.client_agents = [Client(self, i) for i in range(self.clients.n)]
        self.naaste_agents = [Naaste(self, j) for j in range(self.ties.n)]
        self.professional_agents = [Professional(self, k) for k in range(self.n_professionals)]

        start = rules.expected_weekly_support(self)
        has_group = np.zeros(self.clients.n)
        pc = self.params.clients
        self.clients.perceived_support[:] = rules.perceived_support_target(
            start, has_group, pc.support_scale, pc.group_support_weight
        )
        self.clients.perceived_support_start[:] = self.clients.perceived_support

        self.process = SupportProcess(self)
        self.process.start()
        self.strategy.on_start(self)
        self._final_reasons: np.ndarray | None = None

    # --- the week -------------------------------------------------------------------------------

    def step(self) -> None:
        """One week."""
        self.week += 1
        self._final_reasons = None
        self.streams.next_week(self.ties.n)
        self.process.spend_hours()  # 1. professionals spend their network hours
        self.process.act()  # 2. strategy actions
        rules.support_flows(self)  # 3. support flows over active ties
        rules.naasten_update(self)  # 4. naasten: burden, withdrawal, weakening
        self.process.settle_groups()  #    groups follow the members they have left
        rules.clients_update(self)  # 5. clients: support, trust, eigen regie, rust, dropout
        rules.housing_update(self)  # 6. housing and relapse
        if self.record_weekly:
            self._weekly_rows.append(tuple(o(self) for o in weekly_outcomes()))
        if self.week >= self.params.weeks:
            self.running = False

    def run(self, weeks: int | None = None) -> NetworkSupportModel:
        """Run for `weeks` (default: the scenario's horizon) and return the model."""
        self.run_for(self.params.weeks if weeks is None else weeks)
        return self

    # --- helpers the process and the agents use --------------------------------------------------

    def ties_of(self, client: int) -> np.ndarray:
        """Indices of the client's naasten."""
        return self._ties_of[client]

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
        known = self.acquaintances.of(tie)
        if len(known):
            self.ties.bridged[known] = True

    def add_built_ties(
        self,
        clients: np.ndarray,
        *,
        relation: np.ndarray,
        strength: np.ndarray,
        threshold_quantile: np.ndarray,
    ) -> np.ndarray:
        """New ties made by network building, one per listed client. The client chose to meet
        this person, so the tie is active and consented from the start."""
        nb = self.params.naasten
        shape = nb.overload_threshold_shape
        q = np.clip(threshold_quantile, 1e-9, 1 - 1e-9)
        threshold = gammaincinv(shape, q) * (nb.overload_threshold_mean / shape)
        new = self.ties.add(
            len(clients),
            client=clients,
            relation=relation,
            status=TieStatus.ACTIVE,
            strength=strength,
            threshold=threshold,
            consent=True,
            built=True,
        )
        self.streams.add_ties(len(new))
        for client, j in zip(clients, new, strict=True):
            self._ties_of[client] = np.append(self._ties_of[client], j)
            self.naaste_agents.append(Naaste(self, int(j)))
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
        """One row per simulated week with the weekly outcomes."""
        columns = [o.name for o in weekly_outcomes()]
        table = pd.DataFrame(self._weekly_rows, columns=columns)
        table.insert(0, "week", np.arange(1, len(table) + 1))
        return table

    def client_table(self) -> pd.DataFrame:
        """One row per client."""
        return client_table(self)
