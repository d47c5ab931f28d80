"""`snf run`: one simulation, its weekly series, its clients and a manifest."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from simulation.commands.common import check_strategies, prepare_out
from simulation.commands.options import EXIT_OK, add_scenario_options, scenario_from_args, seed
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


HELP = "one simulation: weekly.csv, clients.csv, manifest.json"
DESCRIPTION = "Run one simulation and write its weekly series, its clients and a manifest."


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_scenario_options(p)
    p.add_argument("--strategy", default="flexible", help="strategy name (see `snf strategies`)")
    p.add_argument("--seed", type=seed, default=1, help="seed that fixes every random draw (default 1)")
    p.add_argument("--out", type=Path, help="output folder (default results/run-SCENARIO-STRATEGY-seedN)")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    check_strategies([args.strategy], scenario)
    weeks = args.weeks or scenario.weeks
    out = args.out or Path("results") / f"run-{scenario.name}-{args.strategy}-seed{args.seed}"
    prepare_out(out)
    outcomes = run_single(scenario, source, args.strategy, args.seed, weeks, out)
    print(f"{args.strategy} on {scenario.name}, seed {args.seed}, {weeks} weeks -> {out}")
    for key in (
        "has_support_group",
        "formal_group",
        "perceived_support",
        "housed",
        "dropped_out",
        "professional_hours_per_client",
    ):
        print(f"  {key:32s} {outcomes[key]:.3f}")
    return EXIT_OK
