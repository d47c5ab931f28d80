"""`snf compare`: paired replications of several strategies (common random numbers)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.effects import crn_narrowing, summarise
from simulation.calibration.posterior import load_posterior, posterior_effects
from simulation.commands.sweep import progress_bar
from simulation.experiments.io import write_csv, write_json
from simulation.experiments.runner import RunTask
from simulation.experiments.seeds import replication_seeds
from simulation.experiments.spec import Experiment, ExperimentSpec, resolve
from simulation.experiments.store import load_sweep
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
    posterior: pd.DataFrame | None = None  # over posterior draws: intervals with parameter uncertainty


def comparison_experiment(
    scenario_ref: str,
    overrides: dict,
    strategies: list[str],
    reps: int,
    seed: int,
    weeks: int | None,
    name: str = "compare",
    points: list[dict] | None = None,
) -> Experiment:
    """A comparison is an experiment with one point: paired replications of the strategies; with
    `points` (posterior draws) every draw is run with the same replication seeds."""
    design = {"design": {"type": "points", "points": points}} if points else {}
    spec = ExperimentSpec(
        name=name,
        description="paired replications of strategies (common random numbers)",
        scenario=scenario_ref,
        set=overrides,
        strategies=strategies,
        replications=reps,
        weeks=weeks,
        seed=seed,
        **design,
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
    """Run (or resume) the comparison's sweep in `out`, then write its tables and figures."""
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
    runs = sweep.runs_long()[["run_id", "point_id", "strategy", "replication", "seed", "outcome", "value"]]
    weekly = sweep.weekly
    posterior = None
    if experiment.n_points > 1:  # posterior draws: each (draw, replication) counts as a replication
        runs = runs.dropna(subset=["value"])  # outcomes at ages no run reached (e.g. housed_130w)
        posterior = posterior_effects(runs, strategies[0])
        write_csv(out / "posterior_summary.csv", posterior)
        reps = experiment.spec.replications
        runs = runs.assign(replication=runs["point_id"] * reps + runs["replication"])
        if len(weekly):
            weekly = weekly.assign(replication=weekly["point_id"] * reps + weekly["replication"])
    runs = runs.drop(columns="point_id")
    weekly = weekly.drop(columns=["run_id", "point_id", "seed"], errors="ignore")
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
    if posterior is not None:
        manifest["posterior_draws"] = experiment.n_points  # the folder is in the command
        manifest["files"].append("posterior_summary.csv")
    write_json(out / "manifest.json", manifest)
    return Comparison(
        runs=runs,
        weekly=weekly,
        summary=summary,
        failures=outcome.failures,
        out=out,
        crn=crn,
        posterior=posterior,
    )


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


# --- posterior draws (snf compare --posterior DIR --draws N) ------------------------------------


def posterior_points(folder: Path | None, draws: int) -> list[dict] | None:
    """The first `draws` draws of a posterior as design points (None without a posterior)."""
    if folder is None:
        return None
    if draws < 1:
        raise ValueError("--draws must be at least 1")
    return load_posterior(folder).sample(draws)


def format_posterior(table: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Mean, the 95% interval over posterior draws (parameter uncertainty) and the share of the
    variance of one run that comes from the parameters rather than simulation noise."""
    outcomes = [o for o in (outcomes or TABLE_OUTCOMES) if o in set(table["outcome"])]
    lines = [
        "over posterior draws: mean [95% interval of the expected value over the parameters]; "
        "param share = share of a run's variance from parameter uncertainty (the rest: simulation noise)"
    ]
    rows = table[table["outcome"].isin(outcomes)]
    rows = rows.sort_values("outcome", key=lambda c: c.map(outcomes.index), kind="stable")
    for _, r in rows.iterrows():
        mean = _interval(r["mean"], r["param_low"], r["param_high"])
        text = f"  {r['strategy']:>14s}  {r['outcome']:32s} {mean}"
        text += f"  param share {r['parameter_share']:.2f}"
        if pd.notna(r.get("diff_mean", np.nan)):
            diff = _interval(r["diff_mean"], r["diff_param_low"], r["diff_param_high"], True)
            text += f"   diff {diff}  param share {r['diff_parameter_share']:.2f}"
        lines.append(text)
    return "\n".join(lines)
