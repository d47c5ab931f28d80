"""The runs behind `snf validate`: every target and every pattern measured on the same seeds.

One *task* is a design point (the default, or one of the strict method's three causes removed),
a parameter draw (from a posterior, or the scenario's own values) and a replication seed. It runs
the strategies the point needs on that one seed (common random numbers: same arrivals, networks
and draws under every strategy, draw and point) and returns one row of numbers:

* at the default point, the model's value of every target of `calibration/targets.yaml`
  (`measure_target`), so held-out targets get a posterior-predictive interval and calibrated ones
  show their fit;
* at every point, the per-arrival shares behind the seed study's patterns (the funnel's reasons,
  a support group 26 weeks after arrival) as `strategy.outcome` columns;
* the measures the outcome registry does not have, defined here: the change in a client's
  perceived support from the week before their formal group's first meeting to 13 weeks later
  (measured on the same people, as De Jong et al. 2016 did around a network conference), and the
  standardised difference in eigen regie between flexible support and care as usual.

A task is a plain, picklable value, so tasks run in local processes as well as in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from simulation.calibration.targets import (
    Target,
    eigen_regie_d,
    measure_target,
    run_watched,
    strategies_needed,
    watchers_for,
)
from simulation.experiments.executors import process_context
from simulation.model import NetworkSupportModel
from simulation.model.outcomes import OUTCOMES
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.model.strategies import make_strategy
from simulation.scenarios import SCENARIO_DIR, read_yaml

#: the design points: the default, each cause of the strict method's failure removed on its own
#: (values from scenarios/large_networks.yaml), and all three removed
POINTS: tuple[str, ...] = (
    "default",
    "large_networks_only",
    "full_consent_only",
    "high_tolerance_only",
    "all_removed",
)
#: which keys of large_networks.yaml remove which cause (Social Network First? 2023)
CAUSES: dict[str, tuple[str, ...]] = {
    "large_networks_only": ("network_size_mean", "network_size_dispersion", "share_no_naasten"),
    "full_consent_only": ("refusal_share", "willingness_mean", "consent_by_relation"),
    "high_tolerance_only": ("stramien_tolerance_mean",),
}
#: strategies run at the points where a cause is removed (the patterns compare these two)
POINT_STRATEGIES: tuple[str, ...] = ("resource", "flexible")
#: per-arrival outcomes recorded per strategy at every point
ARRIVAL_OUTCOMES: tuple[str, ...] = (
    "formal_group_formed",
    "no_group_too_few_ties",
    "no_group_no_consent",
    "no_group_dropped_out",
    "no_group_left_before_group",
    "group_26w",
)
#: weeks after a formal group's first meeting at which perceived support is read again
SUPPORT_GAIN_WEEKS = 13


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def point_changes(large_networks: Path = SCENARIO_DIR / "large_networks.yaml") -> dict[str, dict[str, Any]]:
    """Each design point's parameter changes: none, one cause removed, all three removed."""
    data = read_yaml(large_networks) or {}
    removed = _flatten({"population": data.get("population", {})})
    points: dict[str, dict[str, Any]] = {"default": {}}
    for name, keys in CAUSES.items():
        points[name] = {k: v for k, v in removed.items() if k.split(".")[1] in keys}
    points["all_removed"] = removed
    return points


# --- measures the outcome registry does not have ------------------------------------------------


@dataclass
class GroupSupportGain:
    """Perceived support of each client the week before their formal group's first meeting and
    `weeks` later, for first meetings in the measured weeks (after the warm-up) that were followed
    that long. Watches a model week by week from outside; changes nothing in it."""

    weeks: int = SUPPORT_GAIN_WEEKS
    gains: list[float] = field(default_factory=list)
    _before: dict[int, float] = field(default_factory=dict)
    _formal: set[int] = field(default_factory=set)
    _due: dict[int, tuple[int, float]] = field(default_factory=dict)

    def watch(self, model: NetworkSupportModel) -> None:
        c = model.clients
        uid, ps = c.uid[: c.n], c.perceived_support[: c.n]
        formal = c.ever_formal[: c.n]
        now = dict(zip(uid.tolist(), ps.tolist(), strict=True))
        if model.week > model.shelter.warmup:
            for u in uid[formal].tolist():
                if u not in self._formal and u in self._before:
                    self._due[u] = (model.week + self.weeks, self._before[u])
        for u, (week, before) in list(self._due.items()):
            if week == model.week:
                if u in now:
                    self.gains.append(now[u] - before)
                del self._due[u]
        self._formal = set(uid[formal].tolist())
        self._before = now

    def mean(self) -> float:
        return float(np.mean(self.gains)) if self.gains else float("nan")


# --- one task -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One design point x parameter draw x replication: everything a worker needs, picklable."""

    point: str
    draw: int
    replication: int
    seed: int
    scenario: str  # scenario file
    draw_changes: tuple[tuple[str, float], ...]
    overrides: tuple[tuple[str, Any], ...]  # --set changes, applied after the draw
    changes: tuple[tuple[str, Any], ...]  # the point's changes, applied last
    weeks: int
    targets: tuple[Target, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.point}/{self.draw}/{self.replication}"


@lru_cache(maxsize=8)
def _base(scenario: str) -> ScenarioParams:
    from simulation.scenarios import load_scenario

    return load_scenario(scenario)


def task_scenario(task: Task) -> ScenarioParams:
    """The scenario file, then the draw, then the user's changes, then the point's, then the weeks."""
    scenario = _base(task.scenario)
    for changes in (dict(task.draw_changes), dict(task.overrides), dict(task.changes)):
        if changes:
            scenario = apply_overrides(scenario, changes)
    return apply_overrides(scenario, {"weeks": task.weeks})


def run_task(task: Task) -> dict[str, Any]:
    """Run the task's strategies on its seed; return its row of measurements."""
    scenario = task_scenario(task)
    needed = strategies_needed(list(task.targets)) if task.point == "default" else []
    strategies = list(dict.fromkeys([*needed, *POINT_STRATEGIES]))
    runs: dict[str, NetworkSupportModel] = {}
    gain = GroupSupportGain()
    watched: dict[str, float] = {}
    for name in strategies:
        model = NetworkSupportModel(
            scenario, make_strategy(name, scenario), rng=task.seed, record_weekly=False
        )
        watchers = watchers_for(list(task.targets), name)
        extra = [gain] if name == "resource" else []
        run_watched(model, *extra, *watchers.values())
        watched.update({key: w.value() for key, w in watchers.items()})
        runs[name] = model
    row: dict[str, Any] = {
        "task": task.id,
        "point": task.point,
        "draw": task.draw,
        "replication": task.replication,
        "seed": task.seed,
    }
    for name, model in runs.items():
        for outcome in (*ARRIVAL_OUTCOMES, "active_ties"):
            row[f"{name}.{outcome}"] = float(OUTCOMES[outcome](model))
    row["resource.support_gain_after_group"] = gain.mean()
    row["resource.groups_followed"] = float(len(gain.gains))
    if task.point == "default":
        if "care_as_usual" in runs:
            row["flexible.eigen_regie_d"] = eigen_regie_d(runs["flexible"], runs["care_as_usual"])
        for target in task.targets:
            row[f"target.{target.key}"] = float(measure_target(target, runs, watched))
    return row


def make_tasks(
    scenario: str,
    overrides: dict[str, Any],
    targets: Iterable[Target],
    weeks: int,
    draws: list[dict[str, float]],
    seeds: list[int],
    points: dict[str, dict[str, Any]] | None = None,
) -> list[Task]:
    """Every point x draw x replication; the same replication seeds for every point and draw."""
    points = point_changes() if points is None else points
    targets = tuple(targets)
    return [
        Task(
            point=point,
            draw=d,
            replication=r,
            seed=seed,
            scenario=scenario,
            draw_changes=tuple(sorted(draw.items())),
            overrides=tuple(sorted(overrides.items())),
            changes=tuple(sorted(changes.items())),
            weeks=weeks,
            targets=targets if point == "default" else (),
        )
        for d, draw in enumerate(draws)
        for r, seed in enumerate(seeds)
        for point, changes in points.items()
    ]


def execute(tasks: list[Task], workers: int = 1) -> Iterator[dict[str, Any]]:
    """Run tasks in this process (workers = 1) or in local processes started clean (not forked from
    a threaded parent); rows in finishing order."""
    if workers <= 1:
        for task in tasks:
            yield run_task(task)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=process_context()) as pool:
        futures = [pool.submit(run_task, task) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


RowCallback = Callable[[dict[str, Any]], None]
