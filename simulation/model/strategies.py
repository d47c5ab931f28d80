"""Strategies: named settings of the same knobs, found by name in a registry.

`resource` (the strict Resource stramien) and `flexible` (netwerkondersteuning) differ only in the
values of five knobs - minimum group size, consent rule, format, network building, direction - so
the gap between them can be taken apart knob by knob. `care_as_usual` does no network work.

Add a strategy without touching the model core:

* as settings: a block under `strategies:` in a scenario file, `{base: flexible, min_group_size: 2}`;
* as behaviour: a small subclass of `Strategy` that overrides a hook, registered with
  `@register_strategy("name", settings=...)` (see `docs/students.md`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from pydantic import ValidationError

from simulation.model.parameters import (
    ParameterError,
    ScenarioParams,
    StrategyBlock,
    StrategySettings,
    describe_validation_error,
)

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel

#: the knobs that separate strict from flexible, in the order the brief lists them
KNOBS: tuple[str, ...] = (
    "min_group_size",
    "consent_rule",
    "format",
    "network_building",
    "direction",
)


class Strategy:
    """A strategy: knob settings, plus hooks a subclass may override for new behaviour.

    The hooks are called by the support process at events (not every week for every client), so a
    hook written per client in plain Python costs little.
    """

    default_settings: ClassVar[StrategySettings] = StrategySettings()

    def __init__(self, name: str, settings: StrategySettings) -> None:
        self.name = name
        self.settings = settings

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"

    @property
    def description(self) -> str:
        return self.settings.description

    def on_start(self, model: NetworkSupportModel) -> None:
        """Called once when the model is set up, before the shelter fills."""

    def on_admission(self, model: NetworkSupportModel, clients: np.ndarray) -> None:
        """Called when clients are taken into the shelter (at the start, on arrival, on return),
        after they have been offered network support; `clients` are their rows."""

    def nominate(self, model: NetworkSupportModel, client: int, eligible: np.ndarray) -> np.ndarray:
        """Which eligible naasten the client nominates: the strongest, up to `max_nominees`."""
        order = np.argsort(-model.ties.strength[eligible], kind="stable")
        return eligible[order][: self.settings.max_nominees]

    def ask_priority(self, model: NetworkSupportModel, ties: np.ndarray) -> np.ndarray:
        """How eagerly each candidate naaste is asked to join (higher first): tie strength."""
        return model.ties.strength[ties]


class _Registered:
    def __init__(self, cls: type[Strategy], settings: StrategySettings) -> None:
        self.cls = cls
        self.settings = settings


_REGISTRY: dict[str, _Registered] = {}


def register_strategy(
    name: str, settings: StrategySettings, cls: type[Strategy] | None = None
) -> Callable[[type[Strategy]], type[Strategy]]:
    """Register a strategy by name; use as a decorator on a `Strategy` subclass or call with `cls`."""

    def decorate(strategy_cls: type[Strategy]) -> type[Strategy]:
        if name in _REGISTRY:
            raise ValueError(f"a strategy named {name!r} is already registered")
        if not (isinstance(strategy_cls, type) and issubclass(strategy_cls, Strategy)):
            raise TypeError(f"{strategy_cls!r} is not a Strategy subclass")
        _REGISTRY[name] = _Registered(strategy_cls, settings)
        return strategy_cls

    if cls is not None:
        decorate(cls)
    return decorate


def registered_strategies() -> dict[str, StrategySettings]:
    """Name -> default settings of every registered strategy."""
    return {name: reg.settings for name, reg in _REGISTRY.items()}


def strategy_names(scenario: ScenarioParams | None = None) -> list[str]:
    """Registered strategies, then those the scenario defines."""
    names = list(_REGISTRY)
    if scenario is not None:
        names += [n for n in scenario.strategies if n not in _REGISTRY]
    return names


def block_settings(block: StrategyBlock) -> tuple[str, StrategySettings]:
    """The base name and the full settings of a scenario's strategy block."""
    if block.base not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise KeyError(f"unknown base strategy {block.base!r}; registered: {known}")
    base = _REGISTRY[block.base].settings
    changes = {k: getattr(block, k) for k in block.model_fields_set if k != "base"}
    try:
        return block.base, StrategySettings.model_validate({**base.model_dump(), **changes})
    except ValidationError as e:
        raise ParameterError(describe_validation_error(e, StrategySettings)) from None


def make_strategy(
    name: str,
    scenario: ScenarioParams | None = None,
    overrides: dict | None = None,
) -> Strategy:
    """Build the named strategy, from the registry or the scenario's own blocks.

    `overrides` changes knob values on top (used by the bottleneck decomposition); it is checked
    against the schema like a scenario file.
    """
    if scenario is not None and name in scenario.strategies:
        base, settings = block_settings(scenario.strategies[name])
        cls = _REGISTRY[base].cls
    elif name in _REGISTRY:
        cls, settings = _REGISTRY[name].cls, _REGISTRY[name].settings
    else:
        known = ", ".join(strategy_names(scenario))
        raise KeyError(f"unknown strategy {name!r}; available: {known}")
    if overrides:
        settings = StrategySettings.model_validate({**settings.model_dump(), **overrides})
    return cls(name, settings)


# --- the three strategies of the brief ------------------------------------------------------

register_strategy(
    "care_as_usual",
    StrategySettings(
        description="Care as usual: case management without any network work.",
        offers_network_support=False,
    ),
    cls=Strategy,
)

register_strategy(
    "resource",
    StrategySettings(
        description=(
            "Strict Resource method: a formal steungroep of at least two naasten, consent asked "
            "up front, the six-phase stramien with quarterly meetings, professional-led."
        ),
        min_group_size=2,
        consent_rule="up_front",
        format="stramien",
        network_building="named_only",
        direction="professional_led",
    ),
    cls=Strategy,
)

register_strategy(
    "flexible",
    StrategySettings(
        description=(
            "Flexible netwerkondersteuning: support in any form (one naaste, a WhatsApp group), "
            "consent per tie that grows with trust, reactivating and building ties, client-led."
        ),
        min_group_size=1,
        consent_rule="per_tie_growing",
        format="client_paced",
        network_building="activate_and_build",
        direction="client_led",
    ),
    cls=Strategy,
)


def _load_library() -> None:
    """Import every strategy module in `simulation/model/library/` (they register themselves)."""
    import importlib
    import pkgutil

    from simulation.model import library

    for module in pkgutil.iter_modules(library.__path__):
        importlib.import_module(f"{library.__name__}.{module.name}")


_load_library()
