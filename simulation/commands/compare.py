"""`snf compare`: paired replications of several strategies (common random numbers)."""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.draws import posterior_effects
from simulation.analysis.effects import crn_narrowing, summarise
from simulation.commands.common import check_strategies, prepare_out
from simulation.commands.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_posterior_options,
    add_scenario_options,
    cross_posterior,
    positive_int,
    scenario_from_args,
    seed,
    split_names,
)
from simulation.commands.sweep import progress_bar
from simulation.experiments.io import file_digests, write_csv, write_json
from simulation.experiments.runner import RunTask
from simulation.experiments.seeds import replication_seeds
from simulation.experiments.spec import Experiment, RecordSpec, experiment_spec, resolve
from simulation.experiments.store import StoreError, Sweep, load_sweep, require_sweep, sweep_lock
from simulation.experiments.sweep import run_sweep
from simulation.model.outcomes import HEADLINE_OUTCOMES, OUTCOMES
from simulation.model.parameters import ScenarioParams
from simulation.plots.compare import end_outcomes, support_group_over_time
from simulation.scenarios import parse_set_options

#: outcomes shown in the printed table
TABLE_OUTCOMES = [
    *HEADLINE_OUTCOMES,
    "exits_per_year",
    "homes_allocated_per_year",
    "hours_used_per_client_year",
]


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
) -> Experiment:
    """A comparison is an experiment with one point: paired replications of the strategies (crossed
    with posterior draws by `with_draws`, every draw on the same replication seeds)."""
    spec = experiment_spec(
        dict(
            name=name,
            description="paired replications of strategies (common random numbers)",
            scenario=scenario_ref,
            set=overrides,
            strategies=strategies,
            replications=reps,
            weeks=weeks,
            seed=seed,
            record=RecordSpec(clients=True),  # per-client rows: time to housing, effects by subgroup
        ),
        "snf compare",
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
    runs = sweep.runs_long()[["run_id", "point_id", "strategy", "replication", "seed", "outcome", "value"]]
    weekly = sweep.weekly
    posterior = None
    if experiment.posterior:  # posterior draws: each (draw, replication) counts as a replication
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
    clients = client_rows(sweep)
    if len(clients):
        write_csv(out / "clients.csv", clients)
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
        "tables": file_digests(out, ["runs.csv", "weekly.csv", "summary.csv", "crn_narrowing.csv"]),
        "files": [
            "runs.csv",
            "weekly.csv",
            "summary.csv",
            "crn_narrowing.csv",
            *(["clients.csv"] if len(clients) else []),
            *figures,
            "design.parquet",
            "parts/",
        ],
    }
    if experiment.posterior:
        manifest.update(experiment.posterior_record())
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


def client_rows(sweep: Sweep) -> pd.DataFrame:
    """One row per measured arrival and run (strategy, replication), paired by `client` across
    strategies through common random numbers."""
    if sweep.clients.empty:
        return pd.DataFrame()
    return sweep.clients.drop(columns=["point_id", "seed"], errors="ignore")


#: width of the printed tables (a terminal of 100 columns)
WIDTH = 100


def _cell(outcome: str, mean: float, low: float, high: float, signed: bool = False) -> str:
    """A value and its interval, compact: shares in percent (differences in points), hours with one
    decimal, scores and counts of naasten with two."""
    unit = OUTCOMES[outcome].unit if outcome in OUTCOMES else ""
    scale, digits, suffix = (
        (100.0, 0, "%") if unit == "share" else (1.0, 2 if unit in ("0-1", "naasten", "ties") else 1, "")
    )
    if unit.endswith("/year") or unit == "clients":
        digits = 0
    if signed and unit == "share":
        suffix = "pp"
    sign = "+" if signed else ""

    def f(v: float, first: bool = False) -> str:
        return f"{scale * v:{sign}.{digits}f}" + (suffix if first else "")

    if pd.isna(mean):
        return "-"
    return f(mean, True) if pd.isna(low) else f"{f(mean, True)} [{f(low)}, {f(high)}]"


def _blocks(label_width: int, widths: list[int]) -> list[list[int]]:
    """Split the columns into blocks that fit the width, in order."""
    blocks: list[list[int]] = [[]]
    used = label_width
    for i, w in enumerate(widths):
        if blocks[-1] and used + 2 + w > WIDTH:
            blocks.append([])
            used = label_width
        blocks[-1].append(i)
        used += 2 + w
    return blocks


def _grid(title: str, labels: list[str], columns: list[str], cells: list[list[str]]) -> str:
    label_width = max(len(title), *(len(x) for x in labels))
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    out = []
    for block in _blocks(label_width, widths):
        out.append(title.ljust(label_width) + "".join("  " + columns[i].rjust(widths[i]) for i in block))
        for label, row in zip(labels, cells, strict=True):
            out.append(label.ljust(label_width) + "".join("  " + row[i].rjust(widths[i]) for i in block))
        out.append("")
    return "\n".join(out).rstrip()


def format_table(summary: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Mean [95% interval] per outcome and strategy, then the paired difference to the baseline;
    blocks of columns that fit in 100 columns."""
    outcomes = [o for o in (outcomes or TABLE_OUTCOMES) if o in set(summary["outcome"])]
    strategies = list(dict.fromkeys(summary["strategy"]))
    baseline = strategies[0]
    rows = summary.set_index(["outcome", "strategy"])

    def value(o: str, s: str) -> str:
        r = rows.loc[(o, s)]
        return _cell(o, r["mean"], r["ci_low"], r["ci_high"])

    def diff(o: str, s: str) -> str:
        r = rows.loc[(o, s)]
        return _cell(o, r["diff_vs_baseline"], r["diff_ci_low"], r["diff_ci_high"], signed=True)

    parts = [
        _grid(
            "mean [95% interval]", outcomes, strategies, [[value(o, s) for s in strategies] for o in outcomes]
        )
    ]
    others = strategies[1:]
    if others:
        parts.append(
            _grid(
                f"paired difference vs {baseline}",
                outcomes,
                others,
                [[diff(o, s) for s in others] for o in outcomes],
            )
        )
    return "\n\n".join(parts)


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
        lines.append(
            textwrap.fill(", ".join(parts), WIDTH, initial_indent=f"  {strategy}: ", subsequent_indent="    ")
        )
    return "\n".join(lines)


# --- posterior draws (snf compare --posterior DIR --draws N) ------------------------------------


def format_posterior(table: pd.DataFrame, outcomes: list[str] | None = None) -> str:
    """Mean with the 95% interval over posterior draws (parameter uncertainty), and the share of a
    run's variance that comes from the parameters rather than simulation noise; fits 100 columns."""
    outcomes = [o for o in (outcomes or TABLE_OUTCOMES) if o in set(table["outcome"])]
    strategies = list(dict.fromkeys(table["strategy"]))
    rows = table.set_index(["outcome", "strategy"])

    def value(o: str, s: str) -> str:
        r = rows.loc[(o, s)]
        share = r["parameter_share"]
        return _cell(o, r["mean"], r["param_low"], r["param_high"]) + (
            f" p{share:.2f}" if pd.notna(share) else ""
        )

    def diff(o: str, s: str) -> str:
        r = rows.loc[(o, s)]
        if pd.isna(r.get("diff_mean", np.nan)):
            return "-"
        share = r["diff_parameter_share"]
        return _cell(o, r["diff_mean"], r["diff_param_low"], r["diff_param_high"], signed=True) + (
            f" p{share:.2f}" if pd.notna(share) else ""
        )

    note = (
        "over posterior draws: [95% interval over the parameters]; pX.XX = share of a run's variance "
        "from parameter uncertainty (the rest is simulation noise)"
    )
    parts = [
        textwrap.fill(note, WIDTH),
        _grid("mean over draws", outcomes, strategies, [[value(o, s) for s in strategies] for o in outcomes]),
    ]
    others = strategies[1:]
    if others:
        title = f"difference vs {strategies[0]}"
        parts.append(_grid(title, outcomes, others, [[diff(o, s) for s in others] for o in outcomes]))
    return "\n\n".join(parts)


HELP = "paired replications of strategies: runs.csv, summary.csv, figures"
DESCRIPTION = (
    "Run strategies side by side with common random numbers: every strategy sees the "
    "same clients, networks and draws in each replication, so differences are paired."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_scenario_options(p)
    p.add_argument(
        "--strategies",
        default="care_as_usual,resource,flexible",
        help="comma-separated strategy names; the first is the baseline "
        "(default care_as_usual,resource,flexible)",
    )
    p.add_argument("--reps", type=positive_int, default=20, help="replications per strategy (default 20)")
    p.add_argument("--seed", type=seed, default=1, help="root seed for the replication seeds (default 1)")
    p.add_argument("--jobs", type=positive_int, default=1, help="parallel processes (default 1)")
    add_posterior_options(p)
    p.add_argument("--out", type=Path, help="output folder (default results/compare-SCENARIO)")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the figures")
    p.add_argument("--resume", action="store_true", help="continue an interrupted comparison in --out")
    p.add_argument(
        "--intervals",
        choices=("t", "bootstrap"),
        default="t",
        help="95%% intervals: t-based (default) or percentile bootstrap over replications",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    strategies = check_strategies(split_names(args.strategies), scenario)
    experiment = comparison_experiment(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.reps,
        args.seed,
        args.weeks,
        name=f"compare-{scenario.name}",
    )
    experiment = cross_posterior(experiment, args.posterior, args.draws)
    out = args.out or Path("results") / f"compare-{scenario.name}"
    prepare_out(out, create=False)
    result = compare(
        experiment,
        args.jobs,
        out,
        resume=args.resume,
        quiet=args.quiet,
        lang=args.lang,
        interval=args.intervals,
    )
    if len(result.summary):
        print(format_table(result.summary))
    if len(result.crn):
        print("\n" + format_crn(result.crn))
    if result.posterior is not None:
        print("\n" + format_posterior(result.posterior))
    draws = f"{experiment.draws} posterior draws x " if experiment.posterior else ""
    shape = f"{draws}{args.reps} replications x {len(strategies)} strategies"
    print(f"\n{experiment.n_runs} runs ({shape}) -> {out}")
    if result.failures:
        print(f"{len(result.failures)} run(s) failed; tracebacks in {out / 'manifest.json'}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK
