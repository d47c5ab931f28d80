"""The model layer: agents, strategies, rules and outcomes. It imports nothing from the layers
above it (experiments, analysis, plots, CLI), so it can be read on its own."""

from simulation.model.model import NetworkSupportModel
from simulation.model.parameters import ScenarioParams, StrategySettings
from simulation.model.strategies import Strategy, make_strategy, register_strategy

__all__ = [
    "NetworkSupportModel",
    "ScenarioParams",
    "Strategy",
    "StrategySettings",
    "make_strategy",
    "register_strategy",
]
