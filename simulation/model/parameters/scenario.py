"""`ScenarioParams`: a complete scenario, one field per section."""

from __future__ import annotations

from pydantic import Field

from simulation.model.parameters.base import A, Section, param
from simulation.model.parameters.clients import ClientParams
from simulation.model.parameters.flow import HousingParams, NetworkExitParams, PeerParams, ShelterParams
from simulation.model.parameters.naasten import NaastenParams
from simulation.model.parameters.population import PopulationParams
from simulation.model.parameters.professionals import ProfessionalParams
from simulation.model.parameters.strategies import Mechanisms, StrategyBlock


class ScenarioParams(Section):
    """A complete scenario: the world the strategies are tried in."""

    name: str = Field("default", description="short name of the scenario")
    description: str = Field("", description="one line saying what the scenario is for")
    weeks: int = param(
        104,
        "weeks to simulate and measure (one step is one week); the open shelter runs its warm-up first",
        evidence=A,
        unit="weeks",
        ge=1,
        le=5200,
    )
    population: PopulationParams = PopulationParams()
    naasten: NaastenParams = NaastenParams()
    professionals: ProfessionalParams = ProfessionalParams()
    clients: ClientParams = ClientParams()
    housing: HousingParams = HousingParams()
    shelter: ShelterParams = ShelterParams()
    network_exits: NetworkExitParams = NetworkExitParams()
    peers: PeerParams = PeerParams()
    mechanisms: Mechanisms = Mechanisms()
    strategies: dict[str, StrategyBlock] = Field(
        default_factory=dict,
        description="extra strategies: name -> {base: registered strategy, knob: value, ...}",
    )
