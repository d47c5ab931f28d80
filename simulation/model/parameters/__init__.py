"""All model parameters, typed, each with a default, a unit, a range and its evidence; one module per section.

Modules: `base` (param, Section), `population`, `naasten`, `professionals`, `clients`, `flow` (housing,
shelter, network exits, peers), `strategies` (mechanisms, knobs), `scenario`, `paths`, `errors`, `overrides`.

A scenario file (YAML) is validated against `ScenarioParams`: an unknown key, a wrong type or a value
out of range is refused. `docs/parameters.md` is generated from these classes.
"""

from simulation.model.parameters.base import PerRelation, RelationMix, Section, param, per_relation
from simulation.model.parameters.clients import ClientParams
from simulation.model.parameters.errors import (
    EXCERPT,
    ParameterError,
    describe_validation_error,
    excerpt,
    listing,
    shorten,
)
from simulation.model.parameters.flow import (
    AllocationRule,
    HousingParams,
    NetworkExitParams,
    PeerParams,
    ShelterMode,
    ShelterParams,
    WhenFull,
)
from simulation.model.parameters.naasten import NaastenParams
from simulation.model.parameters.overrides import apply_overrides, resolve_key, set_dotted, validate_scenario
from simulation.model.parameters.paths import (
    evidence_of,
    flat_parameter_index,
    parameter_paths,
    walk_parameters,
)
from simulation.model.parameters.population import PopulationParams
from simulation.model.parameters.professionals import ProfessionalParams
from simulation.model.parameters.scenario import ScenarioParams
from simulation.model.parameters.strategies import (
    ConsentRule,
    Direction,
    Format,
    Mechanisms,
    NetworkBuilding,
    StrategyBlock,
    StrategySettings,
)

__all__ = [
    "EXCERPT",
    "AllocationRule",
    "ClientParams",
    "ConsentRule",
    "Direction",
    "Format",
    "HousingParams",
    "Mechanisms",
    "NaastenParams",
    "NetworkBuilding",
    "NetworkExitParams",
    "ParameterError",
    "PeerParams",
    "PerRelation",
    "PopulationParams",
    "ProfessionalParams",
    "RelationMix",
    "ScenarioParams",
    "Section",
    "ShelterMode",
    "ShelterParams",
    "StrategyBlock",
    "StrategySettings",
    "WhenFull",
    "apply_overrides",
    "describe_validation_error",
    "evidence_of",
    "excerpt",
    "flat_parameter_index",
    "listing",
    "param",
    "parameter_paths",
    "per_relation",
    "resolve_key",
    "set_dotted",
    "shorten",
    "validate_scenario",
    "walk_parameters",
]
