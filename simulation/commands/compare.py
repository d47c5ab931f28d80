"""`snf compare`: paired replications of several strategies (common random numbers)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simulation.analysis.effects import summarise
from simulation.commands.common import progress
from simulation.experiments.executors import get_executor
from simulation.experiments.io import write_csv, write_json
from simulation.experiments.runner import RunTask
from simulation.experiments.seeds import replication_seeds
from simulation.model.parameters import ScenarioParams
from simulation.model.strategies import make_strategy
from simulation.plots.compare import end_outcomes, support_group_over_time
from simulation.provenance import manifest_base, now

#: outcomes shown in the printed table
TABLE_OUTCOMES = [
    "has_support_group",
    "formal_group",
    "perceived_support",
    "eigen_regie",
    "rust",
    "housed",
    "dropped_out",
    "naasten_withdrawn",
    "professional_hours_per_client",
]


@dataclass
class Comparison:
    runs: pd.DataFrame
    weekly: pd.DataFrame
    summary: pd.DataFrame
    failures: list[dict]
    out: Path


def comparison_tasks(
    scenario: ScenarioParams, strategies: list[str], reps: int, seed: int, weeks: int
) -> list[RunTask]:
    seeds = replication_seeds(seed, reps)
    tasks = []
    for rep, rep_seed in enumerate(seeds):
        for strategy in strategies:
            tasks.append(
                RunTask(
                    run_id=len(tasks),
                    strategy=strategy,
                    replication=rep,
                    seed=rep_seed,
                    scenario=scenario,
                    weeks=weeks,
                )
            )
    return tasks


def compare(
    scenario: ScenarioParams,
    scenario_source: str,
    strategies: list[str],
    reps: int,
    seed: int,
    jobs: int,
    weeks: int,
    out: Path,
    quiet: bool = False,
    lang: str = "en",
) -> Comparison:
    started = now()
    clock = time.perf_counter()
    tasks = comparison_tasks(scenario, strategies, reps, seed, weeks)
    executor = get_executor("processes" if jobs > 1 else "serial")
    run_rows: list[dict] = []
    weekly_frames: list[pd.DataFrame] = []
    failures: list[dict] = []
    for result in progress(executor(tasks, workers=jobs), len(tasks), "compare", quiet):
        ids = result.task.describe()
        if not result.ok:
            failures.append({**ids, "error": result.error})
            continue
        for outcome, value in result.outcomes.items():
            run_rows.append({**ids, "outcome": outcome, "value": value})
        weekly = result.weekly.copy()
        weekly.insert(0, "strategy", ids["strategy"])
        weekly.insert(1, "replication", ids["replication"])
        weekly_frames.append(weekly)

    order = {s: i for i, s in enumerate(strategies)}
    runs = pd.DataFrame(run_rows)
    if len(runs):
        runs = runs.sort_values(
            ["replication", "strategy"],
            key=lambda c: c.map(order) if c.name == "strategy" else c,
            kind="stable",
        ).reset_index(drop=True)
        runs = runs[["run_id", "strategy", "replication", "seed", "outcome", "value"]]
    weekly = pd.concat(weekly_frames, ignore_index=True) if weekly_frames else pd.DataFrame()
    if len(weekly):
        weekly = weekly.sort_values(
            ["strategy", "replication", "week"], key=lambda c: c.map(order) if c.name == "strategy" else c
        ).reset_index(drop=True)
    summary = summarise(runs, baseline=strategies[0]) if len(runs) else pd.DataFrame()

    write_csv(out / "runs.csv", runs)
    write_csv(out / "weekly.csv", weekly)
    write_csv(out / "summary.csv", summary)
    figures = []
    if len(weekly):
        figures.append(support_group_over_time(weekly, out / "support_group_over_time.png", lang).name)
        figures.append(end_outcomes(summary, weeks, out / "end_outcomes.png", lang).name)
    manifest = {
        **manifest_base(),
        "kind": "compare",
        "scenario_source": scenario_source,
        "scenario": scenario.model_dump(mode="json"),
        "strategies": {s: make_strategy(s, scenario).settings.model_dump(mode="json") for s in strategies},
        "baseline": strategies[0],
        "replications": reps,
        "root_seed": seed,
        "replication_seeds": replication_seeds(seed, reps),
        "weeks": weeks,
        "jobs": jobs,
        "started": started,
        "finished": now(),
        "seconds": round(time.perf_counter() - clock, 2),
        "runs": {"total": len(tasks), "ok": len(tasks) - len(failures), "failed": len(failures)},
        "failures": failures,
        "files": ["runs.csv", "weekly.csv", "summary.csv", *figures],
    }
    write_json(out / "manifest.json", manifest)
    return Comparison(runs=runs, weekly=weekly, summary=summary, failures=failures, out=out)


def _interval(mean: float, low: float, high: float, signed: bool = False) -> str:
    text = f"{mean:+.3f}" if signed else f"{mean:.3f}"
    return text if pd.isna(low) else f"{text} [{low:.3f}, {high:.3f}]"


def format_table(summary: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Mean [95% interval] per outcome and strategy, and the paired difference to the baseline."""
    outcomes = [o for o in (outcomes or TABLE_OUTCOMES) if o in set(summary["outcome"])]
    strategies = list(dict.fromkeys(summary["strategy"]))
    baseline = strategies[0]
    rows = summary.set_index(["outcome", "strategy"])
    table: dict[str, dict[str, str]] = {}
    for strategy in strategies:
        column = {}
        for outcome in outcomes:
            r = rows.loc[(outcome, strategy)]
            text = _interval(r["mean"], r["ci_low"], r["ci_high"])
            if strategy != baseline:
                diff = _interval(r["diff_vs_baseline"], r["diff_ci_low"], r["diff_ci_high"], True)
                text = f"{text}   diff {diff}"
            column[outcome] = text
        table[strategy] = column
    header = f"mean [95% interval]; diff = paired difference vs {baseline} [95% interval]"
    return header + "\n" + pd.DataFrame(table).to_string()
