"""`snf compare`: paired replications of several strategies (common random numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simulation.analysis.effects import crn_narrowing, summarise
from simulation.commands.sweep import progress_bar
from simulation.experiments.io import write_csv, write_json
from simulation.experiments.runner import RunTask
from simulation.experiments.seeds import replication_seeds
from simulation.experiments.spec import Experiment, ExperimentSpec, resolve
from simulation.experiments.store import StoreError, load_sweep, require_sweep, sweep_lock
from simulation.experiments.sweep import run_sweep
from simulation.model.outcomes import HEADLINE_OUTCOMES
from simulation.model.parameters import ScenarioParams
from simulation.plots.compare import end_outcomes, support_group_over_time

#: outcomes shown in the printed table
TABLE_OUTCOMES = list(HEADLINE_OUTCOMES)


@dataclass
class Comparison:
    runs: pd.DataFrame
    weekly: pd.DataFrame
    summary: pd.DataFrame
    failures: list[dict]
    out: Path
    crn: pd.DataFrame


def comparison_experiment(
    scenario_ref: str,
    overrides: dict,
    strategies: list[str],
    reps: int,
    seed: int,
    weeks: int | None,
    name: str = "compare",
) -> Experiment:
    """A comparison is an experiment with one point: paired replications of the strategies."""
    spec = ExperimentSpec(
        name=name,
        description="paired replications of strategies (common random numbers)",
        scenario=scenario_ref,
        set=overrides,
        strategies=strategies,
        replications=reps,
        weeks=weeks,
        seed=seed,
    )
    return resolve(spec, source="snf compare")


def comparison_tasks(
    scenario: ScenarioParams, strategies: list[str], reps: int, seed: int, weeks: int
) -> list[RunTask]:
    """The runs of a comparison on an already loaded scenario (for tests and scripts)."""
    seeds = replication_seeds(seed, reps)
    return [
        RunTask(run_id=k, strategy=s, replication=r, seed=seeds[r], scenario=scenario, weeks=weeks)
        for k, (r, s) in enumerate((r, s) for r in range(reps) for s in strategies)
    ]


def compare(
    experiment: Experiment,
    jobs: int,
    out: Path,
    resume: bool = False,
    quiet: bool = False,
    lang: str = "en",
    interval: str = "t",
) -> Comparison:
    """Run (or resume) the comparison's sweep in `out`, then write its tables and figures, holding the
    folder's lock throughout so a second writer cannot replace the sweep under the tables."""
    if resume:
        require_sweep(out)
    with sweep_lock(out):
        try:
            return _compare_locked(experiment, jobs, out, resume, quiet, lang, interval)
        except OSError as e:  # the tables or figures: the runs are committed, --resume writes them
            raise StoreError(
                f"could not write {e.filename or out}: {e.strerror or e}; the runs are kept in {out}, "
                "so the same command with --resume writes the tables without running them again"
            ) from None


def _compare_locked(
    experiment: Experiment,
    jobs: int,
    out: Path,
    resume: bool,
    quiet: bool,
    lang: str,
    interval: str,
) -> Comparison:
    strategies = experiment.spec.strategies
    outcome = run_sweep(
        experiment,
        out,
        executor="processes" if jobs > 1 else "serial",
        workers=jobs,
        mode="resume" if resume else "replace",
        progress=progress_bar(quiet, "compare"),
    )
    sweep = load_sweep(out)
    order = {s: i for i, s in enumerate(strategies)}
    by_strategy = {"key": lambda c: c.map(order) if c.name == "strategy" else c, "kind": "stable"}
    runs = sweep.runs_long()[["run_id", "strategy", "replication", "seed", "outcome", "value"]]
    weekly = sweep.weekly.drop(columns=["run_id", "point_id", "seed"], errors="ignore")
    if len(weekly):
        weekly = weekly.sort_values(["strategy", "replication", "week"], **by_strategy).reset_index(drop=True)
    summary = summarise(runs, baseline=strategies[0], method=interval) if len(runs) else pd.DataFrame()
    crn = crn_narrowing(runs, strategies[0]) if len(runs) and len(strategies) > 1 else pd.DataFrame()

    write_csv(out / "runs.csv", runs)
    write_csv(out / "crn_narrowing.csv", crn)
    write_csv(out / "weekly.csv", weekly)
    write_csv(out / "summary.csv", summary)
    figures = []
    if len(weekly):
        figures.append(support_group_over_time(weekly, out / "support_group_over_time.png", lang).name)
        figures.append(end_outcomes(summary, experiment.weeks, out / "end_outcomes.png", lang).name)
    manifest = {
        **sweep.manifest,
        "kind": "compare",
        "scenario": sweep.manifest["experiment"]["scenario"],
        "strategies": sweep.manifest["experiment"]["strategies"],
        "baseline": strategies[0],
        "replications": experiment.spec.replications,
        "replication_seeds": experiment.seeds,
        "weeks": experiment.weeks,
        "jobs": jobs,
        "intervals": interval,
        "failures": outcome.failures,
        "files": [
            "runs.csv",
            "weekly.csv",
            "summary.csv",
            "crn_narrowing.csv",
            *figures,
            "design.parquet",
            "parts/",
        ],
    }
    write_json(out / "manifest.json", manifest)
    return Comparison(runs=runs, weekly=weekly, summary=summary, failures=outcome.failures, out=out, crn=crn)


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


def format_crn(crn: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """How much the pairing (common random numbers) narrowed each difference's interval."""
    outcomes = [o for o in (outcomes or TABLE_OUTCOMES) if o in set(crn["outcome"])]
    lines = ["common random numbers: width of the paired interval / width had the runs been independent"]
    for strategy in dict.fromkeys(crn["strategy"]):
        block = crn[(crn.strategy == strategy) & crn.outcome.isin(outcomes)].set_index("outcome")
        parts = [
            f"{o} {block.loc[o, 'width_ratio']:.2f}"
            for o in outcomes
            if pd.notna(block.loc[o, "width_ratio"])
        ]
        lines.append(f"  {strategy}: " + ", ".join(parts))
    return "\n".join(lines)
