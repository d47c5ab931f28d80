"""The model behind the page: one `NetworkSupportModel`, built from the page's controls.

SolaraViz rebuilds its model as `type(model)(**controls)` when Reset is pressed, so the page needs
a model class whose keyword arguments are exactly the controls: `PageModel`. It reads the chosen
scenario file, puts the slider values on top (unless the override is switched off), and builds the
simulation, unless that would make the page slow (more than `MAX_CLIENTS` clients) or the settings
are invalid. Then it keeps `sim = None` and a `problem` the page shows instead of a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from mesa import Model

from simulation.model import NetworkSupportModel
from simulation.model.outcomes import weekly_outcomes
from simulation.model.parameters import ParameterError, ScenarioParams
from simulation.model.strategies import strategy_names
from simulation.scenarios import ScenarioError, list_scenarios, load_scenario

#: the most clients the page builds; larger populations belong on the command line
MAX_CLIENTS = 2000

#: slider name -> dotted parameter path it sets
SLIDER_PARAMETERS: dict[str, str] = {
    "n_clients": "population.n_clients",
    "network_size_mean": "population.network_size_mean",
    "refusal_share": "population.refusal_share",
    "stramien_tolerance_mean": "population.stramien_tolerance_mean",
    "network_hours_per_week": "professionals.network_hours_per_week",
}

#: the page's starting controls: the default scenario's own values
DEFAULTS: dict[str, Any] = {
    "scenario_name": "default",
    "strategy": "flexible",
    "use_sliders": True,
    "n_clients": 200,
    "network_size_mean": 6.0,
    "refusal_share": 0.22,
    "stramien_tolerance_mean": 0.45,
    "network_hours_per_week": 6.0,
    "rng": 1,
}


@dataclass(frozen=True)
class Problem:
    """Why no model was built: a key of `words.PAGE_WORDS` and the values to fill in."""

    key: str
    values: dict[str, Any]


def scenario_names() -> list[str]:
    """The scenario files in scenarios/, by file name without `.yaml`."""
    return [info.path.stem for info in list_scenarios()]


def all_strategy_names() -> list[str]:
    """Registered strategies, then any that a scenario file defines."""
    names = strategy_names()
    for name in scenario_names():
        try:
            names += [s for s in strategy_names(load_scenario(name)) if s not in names]
        except ScenarioError:
            continue
    return names


def parse_seed(value: Any) -> int | None:
    """A seed from a control (an int, or the text of an input box); None if it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value) if value >= 0 else None
    try:
        seed = int(str(value).strip())
    except ValueError:
        return None
    return seed if seed >= 0 else None


class PageModel(Model):
    """One simulation run as the page shows it; its arguments are the page's controls.

    Args:
        scenario_name: a scenario file in scenarios/ (without `.yaml`).
        strategy: a registered strategy, or one the scenario defines.
        use_sliders: put the slider values below on top of the scenario (else the scenario's own).
        n_clients, network_size_mean, refusal_share, stramien_tolerance_mean,
        network_hours_per_week: the sliders (see `SLIDER_PARAMETERS`).
        rng: the seed of the simulation (a whole number; text from an input box is read).
    """

    def __init__(
        self,
        scenario_name: str = DEFAULTS["scenario_name"],
        strategy: str = DEFAULTS["strategy"],
        use_sliders: bool = DEFAULTS["use_sliders"],
        n_clients: int = DEFAULTS["n_clients"],
        network_size_mean: float = DEFAULTS["network_size_mean"],
        refusal_share: float = DEFAULTS["refusal_share"],
        stramien_tolerance_mean: float = DEFAULTS["stramien_tolerance_mean"],
        network_hours_per_week: float = DEFAULTS["network_hours_per_week"],
        rng: int | str = DEFAULTS["rng"],
    ) -> None:
        seed = parse_seed(rng)
        super().__init__(rng=seed if seed is not None else 0)
        self.scenario_name = scenario_name
        self.strategy_name = strategy
        self.use_sliders = bool(use_sliders)
        self.sliders: dict[str, Any] = {
            "n_clients": int(n_clients),
            "network_size_mean": float(network_size_mean),
            "refusal_share": float(refusal_share),
            "stramien_tolerance_mean": float(stramien_tolerance_mean),
            "network_hours_per_week": float(network_hours_per_week),
        }
        self.sim: NetworkSupportModel | None = None
        self.params: ScenarioParams | None = None
        self.problem: Problem | None = None
        self.start_row: dict[str, float] = {}

        if seed is None:
            self.problem = Problem("bad_seed", {"value": rng})
        else:
            self.problem = self._build(seed)
        if self.sim is None:
            self.running = False

    def _build(self, seed: int) -> Problem | None:
        changes = {SLIDER_PARAMETERS[k]: v for k, v in self.sliders.items()} if self.use_sliders else None
        try:
            params = load_scenario(self.scenario_name, changes)
        except (ScenarioError, ParameterError) as e:
            return Problem("bad_settings", {"message": str(e)})
        self.params = params
        n = params.population.n_clients
        if n > MAX_CLIENTS:
            return Problem("too_many", {"n": n, "limit": MAX_CLIENTS, "n_plain": str(n)})
        known = strategy_names(params)
        if self.strategy_name not in known:
            return Problem(
                "bad_strategy",
                {"strategy": self.strategy_name, "scenario": self.scenario_name, "known": ", ".join(known)},
            )
        self.sim = NetworkSupportModel(params, self.strategy_name, rng=seed)
        self.start_row = {o.name: o(self.sim) for o in weekly_outcomes()}
        return None

    # --- what the page reads ---------------------------------------------------------------------

    @property
    def week(self) -> int:
        """The simulated week (0 before the first step)."""
        return self.sim.week if self.sim is not None else 0

    @property
    def weeks(self) -> int:
        """The scenario's horizon in weeks."""
        return self.params.weeks if self.params is not None else 0

    def weekly_frame(self) -> pd.DataFrame:
        """The weekly outcomes from week 0 (the start) to now, one row per week."""
        if self.sim is None:
            return pd.DataFrame(columns=["week", *(o.name for o in weekly_outcomes())])
        start = pd.DataFrame([{"week": 0, **self.start_row}])
        table = self.sim.weekly_table()
        return start if table.empty else pd.concat([start, table], ignore_index=True)

    def in_use(self) -> dict[str, int | float]:
        """Slider name -> the value the simulation uses (the slider's, or the scenario's own)."""
        if self.params is None:
            return {}
        used = {}
        for name, path in SLIDER_PARAMETERS.items():
            section, field = path.split(".")
            used[name] = getattr(getattr(self.params, section), field)
        return used

    # --- the week --------------------------------------------------------------------------------

    def step(self) -> None:
        """One week of the simulation (nothing if no model was built)."""
        if self.sim is None:
            self.running = False
            return
        self.sim.step()
        self.running = self.sim.running
