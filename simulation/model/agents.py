"""The agents: clients, naasten and professionals.

Each agent is a Mesa agent whose state is a row in the model's columns (`model.clients`,
`model.ties`), so `client.trust = 0.5` and `model.clients.trust[client.index] = 0.5` are the same
thing. The weekly rules (`rules.py`, `process.py`) update the columns for everyone at once; the
agent objects are how you look at, or change, one person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mesa import Agent

from simulation.model.state import GroupForm, Housing, Phase, Relation, TieStatus

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
        value = getattr(getattr(agent.model, self.table), self.name)[agent.index]
        return self.kind(value) if self.kind is not None else value.item()

    def __set__(self, agent: Any, value: Any) -> None:
        getattr(getattr(agent.model, self.table), self.name)[agent.index] = value


class Client(Agent):
    """A person in a shelter, with informal ties to naasten."""

    model: NetworkSupportModel

    refuses_all = Column("clients", bool)
    willingness = Column("clients")
    stramien_tolerance = Column("clients")
    eigen_regie = Column("clients")
    trust = Column("clients")
    perceived_support = Column("clients")
    rust = Column("clients")
    phase = Column("clients", Phase)
    group_form = Column("clients", GroupForm)
    housing = Column("clients", Housing)

    def __init__(self, model: NetworkSupportModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def naasten(self) -> list[Naaste]:
        """All of this client's naasten, active or not."""
        return [self.model.naaste_agents[j] for j in self.model.ties_of(self.index)]

    @property
    def support_group(self) -> list[Naaste]:
        """The naasten in this client's support group."""
        return [n for n in self.naasten if n.member]

    @property
    def professional(self) -> Professional:
        return self.model.professional_agents[self.model.clients.professional[self.index]]

    @property
    def engaged(self) -> bool:
        """Taking part in network support (not dropped out, not blocked, offered)."""
        return Phase.PREPARATION <= self.phase <= Phase.GROUP

    def __repr__(self) -> str:
        return f"Client({self.index}, phase={self.phase.name}, group={self.group_form.name})"


class Naaste(Agent):
    """A member of a client's informal network: family, friend, peer or volunteer."""

    model: NetworkSupportModel

    relation = Column("ties", Relation)
    status = Column("ties", TieStatus)
    strength = Column("ties")
    burden = Column("ties")
    threshold = Column("ties")
    consent = Column("ties", bool)
    member = Column("ties", bool)
    built = Column("ties", bool)

    def __init__(self, model: NetworkSupportModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def client(self) -> Client:
        return self.model.client_agents[self.model.ties.client[self.index]]

    @property
    def overloaded(self) -> bool:
        return self.burden > self.threshold

    def __repr__(self) -> str:
        return f"Naaste({self.index}, {self.relation.name}, {self.status.name})"


class Professional(Agent):
    """A netwerkondersteuner with a caseload and weekly hours for network work."""

    model: NetworkSupportModel

    def __init__(self, model: NetworkSupportModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def caseload(self) -> list[Client]:
        return [
            self.model.client_agents[i] for i in (self.model.clients.professional == self.index).nonzero()[0]
        ]

    def hours_spent(self) -> float:
        """Network hours spent so far on this professional's caseload."""
        mine = self.model.clients.professional == self.index
        return float(self.model.clients.hours[:, mine].sum())
