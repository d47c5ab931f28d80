"""One simulation run as a pure function of its task: parameters, strategy and seed in, tables out.

A run that raises is returned as a failed result with its traceback, never lost, so a sweep can go on.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from simulation.model import NetworkSupportModel
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.model.strategies import make_strategy
from simulation.provenance import code_fingerprint


@dataclass(frozen=True)
class RunTask:
    """Everything one run depends on."""

    run_id: int
    strategy: str
    replication: int
    seed: int
    scenario: ScenarioParams
    weeks: int
    point_id: int = 0
    point: dict[str, Any] = field(default_factory=dict)  # parameter changes of the design point
    strategy_overrides: dict[str, Any] = field(default_factory=dict)  # knob changes
    record_weekly: bool = True
    record_clients: bool = False
    code: str = ""  # fingerprint of the code that planned the run; a worker must match it

    def describe(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "point_id": self.point_id,
            "strategy": self.strategy,
            "replication": self.replication,
            "seed": self.seed,
        }


@dataclass
class RunResult:
    task: RunTask
    ok: bool
    outcomes: dict[str, float] = field(default_factory=dict)
    weekly: pd.DataFrame | None = None
    clients: pd.DataFrame | None = None
    error: str = ""
    seconds: float = 0.0
    code_mismatch: bool = False  # the worker runs other code than the sweep was planned with


def build_model(task: RunTask) -> NetworkSupportModel:
    scenario = apply_overrides(task.scenario, task.point) if task.point else task.scenario
    if scenario.weeks != task.weeks:  # the weeks measured; the open shelter warms up first
        scenario = apply_overrides(scenario, {"weeks": task.weeks})
    strategy = make_strategy(task.strategy, scenario, overrides=task.strategy_overrides or None)
    return NetworkSupportModel(scenario, strategy, rng=task.seed, record_weekly=task.record_weekly)


def execute(task: RunTask) -> RunResult:
    """Run one task; failures are caught and reported with their traceback."""
    start = time.perf_counter()
    try:
        if task.code and task.code != code_fingerprint():
            return RunResult(
                task=task,
                ok=False,
                code_mismatch=True,
                error=f"this worker runs different code (fingerprint {code_fingerprint()}) than the sweep "
                f"was planned with ({task.code}); install the same version of the project on every worker",
            )
        model = build_model(task)
        model.run()
        result = RunResult(task=task, ok=True, outcomes=model.outcomes())
        if task.record_weekly:
            result.weekly = model.weekly_table()
        if task.record_clients:
            result.clients = model.measured_clients_table()
    except Exception:
        result = RunResult(task=task, ok=False, error=traceback.format_exc())
    result.seconds = time.perf_counter() - start
    return result
