"""The model behind the page: one open-shelter `NetworkSupportModel`, built from the page's controls.

The page rebuilds its model as `PageModel(**controls)` when Reset is pressed, so `PageModel`'s
keyword arguments are exactly the controls. It reads the chosen scenario file, puts the slider
values on top (a slider left at `None` keeps the scenario's own value), and builds the simulation,
unless that would make the page slow (more than `MAX_CLIENTS` places) or the settings are invalid.
Then it keeps `sim = None` and a `problem` the page shows instead of a model.

Everything the page shows is read here, in one place and under one lock (`PageModel.lock`), so a
week that is being simulated in the play thread is never drawn half-done: `status()` for the
status card, `history()` for the live plot, `present()` for the network view. These are read-only
views of the model; the model itself knows nothing of the page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from mesa import Model

from simulation.model import NetworkSupportModel
from simulation.model.outcomes import weekly_outcomes
from simulation.model.parameters import ParameterError, ScenarioParams
from simulation.model.state import ExitRoute, GroupForm, Location, Phase
from simulation.model.strategies import strategy_names
from simulation.scenarios import ScenarioError, list_scenarios, load_scenario

#: the most places the page builds; larger shelters belong on the command line
MAX_CLIENTS = 2000
#: weeks in a year of the run ("this year" on the status card)
YEAR = 52

#: slider name -> dotted parameter path it sets
SLIDER_PARAMETERS: dict[str, str] = {
    "n_clients": "population.n_clients",
    "arrivals_per_week": "shelter.arrivals_per_week",
    "homes_per_week": "housing.homes_per_week",
    "network_size_mean": "population.network_size_mean",
    "refusal_share": "population.refusal_share",
    "stramien_tolerance_mean": "population.stramien_tolerance_mean",
    "network_hours_per_week": "professionals.network_hours_per_week",
}
#: sliders that take whole numbers
WHOLE_SLIDERS = frozenset({"n_clients"})

#: exit routes in the order the page lists and draws them
ROUTES: tuple[ExitRoute, ...] = (
    ExitRoute.HOUSING_MARKET,
    ExitRoute.NETWORK_HOME,
    ExitRoute.NAASTE_STAY,
    ExitRoute.CARE,
    ExitRoute.UNKNOWN,
)
#: the support outcomes among the shelter's clients the page shows (weekly outcomes of the model)
SUPPORT_OUTCOMES: tuple[str, ...] = ("has_support_group", "formal_group", "dropped_out")


def route_key(route: ExitRoute) -> str:
    """`exits_housing_market` etc.: the column of the model's weekly flow counts."""
    return f"exits_{route.name.lower()}"


@dataclass(frozen=True)
class Problem:
    """Why no model was built: a key of `words.PAGE_WORDS` and the values to fill in."""

    key: str
    values: dict[str, Any]


# The sidebar asks about the scenario files at every redraw; they are read once per process
# (a scenario file edited while the page runs is seen after a restart of `snf app`).


@lru_cache(maxsize=1)
def _scenario_list() -> tuple[tuple[str, str], ...]:
    return tuple((info.path.stem, info.description) for info in list_scenarios())


@lru_cache(maxsize=64)
def _scenario(name: str) -> ScenarioParams | None:
    try:
        return load_scenario(name)
    except (ScenarioError, ParameterError):
        return None


def scenario_names() -> list[str]:
    """The scenario files in scenarios/, by file name without `.yaml`."""
    return [name for name, _ in _scenario_list()]


def scenario_description(name: str) -> str:
    return dict(_scenario_list()).get(name, "")


def strategies_in(scenario_name: str) -> list[str]:
    """The strategies a scenario offers: the registered ones and those its file defines."""
    return strategy_names(_scenario(scenario_name))


def scenario_base(scenario_name: str, strategy: str) -> str | None:
    """The registered strategy a scenario-defined strategy starts from (None for a registered one)."""
    params = _scenario(scenario_name)
    if strategy in strategy_names() or params is None:
        return None
    block = params.strategies.get(strategy)
    return block.base if block is not None else None


def slider_values(params: ScenarioParams) -> dict[str, int | float]:
    """Slider name -> the value the parameters hold."""
    used: dict[str, int | float] = {}
    for name, path in SLIDER_PARAMETERS.items():
        section, key = path.split(".")
        used[name] = getattr(getattr(params, section), key)
    return used


def scenario_values(scenario_name: str) -> dict[str, int | float]:
    """The scenario file's own slider values (where the sliders go when the scenario is chosen)."""
    return slider_values(_scenario(scenario_name) or ScenarioParams())


#: the page's starting controls: the default scenario with its own values
DEFAULTS: dict[str, Any] = {
    "scenario_name": "default",
    "strategy": "flexible",
    **scenario_values("default"),
    "rng": 1,
}


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


@dataclass(frozen=True)
class ShelterStatus:
    """What the status card shows, read from the model at one week."""

    week: int
    horizon: int
    warmup: int
    places: int
    present: int
    waiting: int
    year: int  # the year of the run the week falls in (1 = weeks 1-52)
    year_start: int  # first week of that year
    exits_this_year: dict[str, int]  # route name (housing_market, ...) -> exits so far this year
    homes_this_year: int
    support: dict[str, float] = field(default_factory=dict)  # SUPPORT_OUTCOMES among those present

    @property
    def occupancy(self) -> float:
        return self.present / self.places if self.places else 0.0

    @property
    def warming_up(self) -> bool:
        return self.week <= self.warmup

    @property
    def exits_total(self) -> int:
        return sum(self.exits_this_year.values())


class PageModel(Model):
    """One simulation run as the page shows it; its arguments are the page's controls.

    Args:
        scenario_name: a scenario file in scenarios/ (without `.yaml`).
        strategy: a registered strategy, or one the scenario defines.
        n_clients, arrivals_per_week, homes_per_week, network_size_mean, refusal_share,
        stramien_tolerance_mean, network_hours_per_week: the sliders (see `SLIDER_PARAMETERS`);
            None keeps the scenario's own value.
        rng: the seed of the simulation (a whole number; text from an input box is read).
    """

    def __init__(
        self,
        scenario_name: str = DEFAULTS["scenario_name"],
        strategy: str = DEFAULTS["strategy"],
        n_clients: int | None = None,
        arrivals_per_week: float | None = None,
        homes_per_week: float | None = None,
        network_size_mean: float | None = None,
        refusal_share: float | None = None,
        stramien_tolerance_mean: float | None = None,
        network_hours_per_week: float | None = None,
        rng: int | str = DEFAULTS["rng"],
    ) -> None:
        seed = parse_seed(rng)
        super().__init__(rng=seed if seed is not None else 0)
        self.scenario_name = scenario_name
        self.strategy_name = strategy
        given = {
            "n_clients": n_clients,
            "arrivals_per_week": arrivals_per_week,
            "homes_per_week": homes_per_week,
            "network_size_mean": network_size_mean,
            "refusal_share": refusal_share,
            "stramien_tolerance_mean": stramien_tolerance_mean,
            "network_hours_per_week": network_hours_per_week,
        }
        self.sliders: dict[str, int | float] = {
            k: (int(v) if k in WHOLE_SLIDERS else float(v)) for k, v in given.items() if v is not None
        }
        self.seed_text = str(rng)
        self.sim: NetworkSupportModel | None = None
        self.params: ScenarioParams | None = None
        self.problem: Problem | None = None
        self.start_row: dict[str, float] = {}
        #: held while a week is simulated and while the page reads the model
        self.lock = threading.RLock()
        #: held by the thread that plays the model, so that only one ever does
        self.player = threading.Lock()

        if seed is None:
            self.problem = Problem("bad_seed", {"value": rng})
        else:
            self.problem = self._build(seed)
        if self.sim is None:
            self.running = False

    def _build(self, seed: int) -> Problem | None:
        changes = {SLIDER_PARAMETERS[k]: v for k, v in self.sliders.items()}
        try:
            params = load_scenario(self.scenario_name, changes or None)
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

    # --- the controls it was built with ----------------------------------------------------------

    def controls(self) -> dict[str, Any]:
        """The controls this model stands for (the sliders at the values in use), to compare with
        what the sidebar holds now: any difference means "changed - press Reset"."""
        used = self.in_use() or {**DEFAULTS, **self.sliders}
        return {
            "scenario_name": self.scenario_name,
            "strategy": self.strategy_name,
            **{k: used[k] for k in SLIDER_PARAMETERS},
            "rng": self.seed_text,
        }

    def in_use(self) -> dict[str, int | float]:
        """Slider name -> the value the simulation uses (the slider's, or the scenario's own)."""
        return slider_values(self.params) if self.params is not None else {}

    # --- what the page reads ---------------------------------------------------------------------

    @property
    def week(self) -> int:
        """The simulated week (0 before the first step), warm-up included."""
        return self.sim.week if self.sim is not None else 0

    @property
    def weeks(self) -> int:
        """Weeks in the whole run: the warm-up and the measured weeks."""
        return self.sim.horizon if self.sim is not None else 0

    @property
    def warmup(self) -> int:
        return self.sim.shelter.warmup if self.sim is not None else 0

    def present(self) -> np.ndarray:
        """Rows of the clients in the shelter now, in order of arrival."""
        assert self.sim is not None
        return np.flatnonzero(self.sim.clients.location == Location.SHELTER)

    def status(self) -> ShelterStatus:
        """The status card's numbers at this week."""
        sim = self.sim
        assert sim is not None
        with self.lock:
            week = sim.week
            year = max(1, -(-week // YEAR))
            year_start = (year - 1) * YEAR + 1
            this_year = sim.flow.weeks[year_start:]  # the flow's list holds week 0, 1, ...
            c = sim.clients
            rows = self.present()
            support = {
                "has_support_group": _share(c.group_form[rows] != GroupForm.NONE),
                "formal_group": _share(c.group_form[rows] == GroupForm.FORMAL),
                "dropped_out": _share(c.phase[rows] == Phase.DROPPED_OUT),
            }
            return ShelterStatus(
                week=week,
                horizon=sim.horizon,
                warmup=sim.shelter.warmup,
                places=sim.shelter.places,
                present=len(rows),
                waiting=int(np.count_nonzero(c.location == Location.WAITING)),
                year=year,
                year_start=year_start,
                exits_this_year={
                    r.name.lower(): int(sum(w[route_key(r)] for w in this_year)) for r in ROUTES
                },
                homes_this_year=int(sum(w["homes_allocated"] for w in this_year)),
                support=support,
            )

    def history(self) -> pd.DataFrame:
        """One row per week from week 0 (the start): people in the shelter and waiting, exits so
        far by route (cumulative, warm-up included) and the support outcomes among those present."""
        columns = ["week", "in_shelter", "waiting_for_place", *map(route_key, ROUTES), *SUPPORT_OUTCOMES]
        if self.sim is None:
            return pd.DataFrame(columns=columns)
        with self.lock:
            flow = list(self.sim.flow.weeks)
            weekly = {k: list(self.sim.datacollector.model_vars[k]) for k in SUPPORT_OUTCOMES}
        n = min(len(flow), len(weekly[SUPPORT_OUTCOMES[0]]) + 1)
        table: dict[str, np.ndarray] = {"week": np.arange(n)}
        for name in ("in_shelter", "waiting_for_place"):
            table[name] = np.array([w[name] for w in flow[:n]], dtype=float)
        for route in ROUTES:
            table[route_key(route)] = np.cumsum([w[route_key(route)] for w in flow[:n]])
        for name in SUPPORT_OUTCOMES:
            table[name] = np.array([self.start_row[name], *weekly[name]][:n], dtype=float)
        return pd.DataFrame(table, columns=columns)

    # --- the week --------------------------------------------------------------------------------

    def step(self) -> None:
        """One week of the simulation (nothing if no model was built, or the run is over)."""
        if self.sim is None or not self.sim.running:
            self.running = False
            return
        with self.lock:
            self.sim.step()
        self.running = self.sim.running

    def advance(self, weeks: int) -> int:
        """Up to `weeks` weeks (fewer if the run ends first); returns how many were simulated."""
        done = 0
        while done < weeks and self.running and self.sim is not None:
            self.step()
            done += 1
        return done


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask) / len(mask)) if len(mask) else 0.0
