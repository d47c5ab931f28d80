"""`snf run`: one simulation, its weekly series, its clients and a manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from simulation.experiments.io import write_csv, write_json
from simulation.experiments.runner import RunTask, build_model
from simulation.model.parameters import ScenarioParams
from simulation.provenance import manifest_base, now


def run_single(
    scenario: ScenarioParams,
    scenario_source: str,
    strategy: str,
    seed: int,
    weeks: int,
    out: Path,
) -> dict[str, Any]:
    """Run one model and write weekly.csv, clients.csv and manifest.json into `out`."""
    started = now()
    clock = time.perf_counter()
    task = RunTask(run_id=0, strategy=strategy, replication=0, seed=seed, scenario=scenario, weeks=weeks)
    model = build_model(task)
    model.run()
    outcomes = model.outcomes()
    write_csv(out / "weekly.csv", model.weekly_table())
    write_csv(out / "clients.csv", model.client_table())
    manifest = {
        **manifest_base(),
        "kind": "run",
        "scenario_source": scenario_source,
        "scenario": scenario.model_dump(mode="json"),
        "strategy": {"name": strategy, "settings": model.strategy.settings.model_dump(mode="json")},
        "seed": seed,
        "weeks": weeks,
        "started": started,
        "finished": now(),
        "seconds": round(time.perf_counter() - clock, 3),
        "outcomes": outcomes,
        "files": ["weekly.csv", "clients.csv"],
    }
    write_json(out / "manifest.json", manifest)
    return outcomes
