"""The agents: clients, naasten and professionals.

Each agent is a Mesa agent whose state is a row in the model's columns (`model.clients`,
`model.ties`), so `client.trust = 0.5` and `model.clients.trust[client.index] = 0.5` are the same
thing. The weekly rules (`rules.py`, `process.py`, `shelter.py`, ...) update the columns for everyone
at once; the agent objects are how you look at, or change, one person.

Where a Mesa user would trip:

* agents have no `step()`: the model's week is a fixed order of rules over all clients at once
  (see `model.py`). A subclass that defines `step()` is refused when it is defined, and
  `model.agents.do("step")` raises; change a rule module, or a strategy hook (`strategies.py`,
  `docs/students.md`), instead.
* `client.remove()` takes the client out of the simulation: their record goes to the archive,
  their shelter place and caseload place are free, their naasten leave with them.
  `naaste.remove()` takes the naaste out of the client's network (a stay with them ends).
  Professionals cannot be removed (the team follows from the scenario).
* rows close up, so an agent's `index` can change from week to week: keep the agent object, not
  the index. An agent that has left the model (removed, or no longer followed) raises an error
  when read, rather than showing someone else's row.

An agent finds its row by its Mesa `unique_id` in the model's array of them in row order
(`model.client_ids`, `model.naaste_ids`: ascending, as agents are made in row order and rows
keep their order), looked up only when the rows have changed since it last looked. So
the quarterly clearing of the register does not renumber the million agents that stay (a Python
loop that cost about 3% of a national-scale run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from mesa import Agent

from simulation.model.state import GroupForm, Location, Phase, Relation, TieStatus

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


class Column:
    """An agent attribute stored in a model column: `table` is 'clients' or 'ties'."""

    def __init__(self, table: str, kind: type | None = None) -> None:
        self.table = table
        self.kind = kind
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, agent: Any, owner: type | None = None) -> Any:
        if agent is None:
            return self
        value = getattr(getattr(agent.model, self.table), self.name)[agent.row]
        return self.kind(value) if self.kind is not None else value.item()

    def __set__(self, agent: Any, value: Any) -> None:
        getattr(getattr(agent.model, self.table), self.name)[agent.row] = value


class _ColumnAgent(Agent):
    """A Mesa agent that is a row of the model's columns; the model's rules act, not the agent."""

    model: NetworkSupportModel

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            raise TypeError(
                f"{cls.__name__}.step() would never be called: this model's week is a fixed order of "
                "rules applied to all clients and naasten at once (NetworkSupportModel.step in "
                "simulation/model/model.py). Write new behaviour in a rule module (rules.py, process.py, "
                "shelter.py, housing_market.py, network_exits.py, peer_pool.py) or as a strategy hook "
                "(on_start, on_admission, nominate, ask_priority in strategies.py); see docs/students.md, "
                "section 7"
            )

    #: the model's `AgentIds` of this kind of agent: their Mesa `unique_id`s in row order (None:
    #: the agent's index never changes)
    ROW_IDS: str | None = None

    def __init__(self, model: NetworkSupportModel, index: int) -> None:
        super().__init__(model)
        self._index = index
        # the rows' layout when `_index` was last right; -1: never looked up again (left the
        # model, or an agent whose index does not change)
        self._layout = model.row_layout if self.ROW_IDS is not None else -1

    @property
    def index(self) -> int:
        """The agent's row in the model's columns now (-1 once it has left the model)."""
        if self._layout != self.model.row_layout and self._layout >= 0 and self.ROW_IDS is not None:
            ids = getattr(self.model, self.ROW_IDS).array()
            i = int(np.searchsorted(ids, self.unique_id))
            self._index = i if i < len(ids) and ids[i] == self.unique_id else -1
            self._layout = self.model.row_layout if self._index >= 0 else -1
        return self._index

    @property
    def row(self) -> int:
        """The agent's row in the model's columns now; an error once the agent has left the model
        (its row then belongs to someone else)."""
        index = self.index
        if index < 0:
            raise RuntimeError(
                f"{type(self).__name__} {self.unique_id} has left the model (removed, or no longer "
                "followed); a client's record is in model.arrivals_table()"
            )
        return index

    def step(self) -> None:
        """Agents do not act on their own here: `model.step()` runs the week's rules for everyone."""
        raise TypeError(
            f"{type(self).__name__} agents have no step of their own: call model.step(), which applies "
            "the week's rules (simulation/model/model.py) to all clients and naasten at once"
        )

    def deregister(self) -> None:
        """Leave Mesa's registry of the model's agents; the row is gone, so the index is too."""
        Agent.remove(self)
        self._index = self._layout = -1


class Client(_ColumnAgent):
    """A person in a shelter, with informal ties to naasten."""

    ROW_IDS = "client_ids"

    refuses_all = Column("clients", bool)
    willingness = Column("clients")
    stramien_tolerance = Column("clients")
    eigen_regie = Column("clients")
    trust = Column("clients")
    perceived_support = Column("clients")
    rust = Column("clients")
    phase = Column("clients", Phase)
    group_form = Column("clients", GroupForm)
    location = Column("clients", Location)
    uid = Column("clients")
    arrival_week = Column("clients")

    def remove(self) -> None:
        """Take this client out of the simulation: their record goes to the model's archive."""
        self.model.remove_clients(np.array([self.row]), "removed")

    @property
    def naasten(self) -> list[Naaste]:
        """All of this client's naasten, active or not."""
        return [self.model.naaste_agents[j] for j in self.model.ties_of(self.row)]

    @property
    def support_group(self) -> list[Naaste]:
        """The naasten in this client's support group."""
        return [n for n in self.naasten if n.member]

    @property
    def professional(self) -> Professional | None:
        """The client's professional, or None outside the shelter (or when no caseload had room)."""
        k = int(self.model.clients.professional[self.row])
        return self.model.professional_agents[k] if k >= 0 else None

    @property
    def engaged(self) -> bool:
        """Taking part in network support (not dropped out, not blocked, offered)."""
        return Phase.PREPARATION <= self.phase <= Phase.GROUP

    def __repr__(self) -> str:
        if self.index < 0:
            return f"Client(agent {self.unique_id}, left the model)"
        return (
            f"Client(uid={self.uid}, {self.location.name}, phase={self.phase.name}, "
            f"group={self.group_form.name})"
        )


class Naaste(_ColumnAgent):
    """A member of a client's informal network: family, friend, peer or volunteer."""

    ROW_IDS = "naaste_ids"

    relation = Column("ties", Relation)
    status = Column("ties", TieStatus)
    strength = Column("ties")
    burden = Column("ties")
    threshold = Column("ties")
    consent = Column("ties", bool)
    member = Column("ties", bool)
    built = Column("ties", bool)
    hosting = Column("ties", bool)

    def remove(self) -> None:
        """Take this naaste out of the client's network (a stay with them ends)."""
        self.model.remove_ties(np.array([self.row]))

    @property
    def client(self) -> Client:
        return self.model.client_agents[self.model.ties.client[self.row]]

    @property
    def overloaded(self) -> bool:
        return self.burden > self.threshold

    def __repr__(self) -> str:
        if self.index < 0:
            return f"Naaste(agent {self.unique_id}, left the model)"
        return f"Naaste({self.index}, {self.relation.name}, {self.status.name})"


class Professional(_ColumnAgent):
    """A netwerkondersteuner with a caseload and weekly hours for network work."""

    def remove(self) -> None:
        raise NotImplementedError(
            "the team of professionals is fixed by the scenario (one per professionals.caseload places); "
            "change population.n_clients or professionals.caseload instead of removing one"
        )

    @property
    def caseload(self) -> list[Client]:
        return [
            self.model.client_agents[i] for i in (self.model.clients.professional == self.index).nonzero()[0]
        ]

    def hours_spent(self) -> float:
        """Network hours spent so far on this professional's caseload."""
        mine = self.model.clients.professional == self.index
        return float(self.model.clients.hours[:, mine].sum())
