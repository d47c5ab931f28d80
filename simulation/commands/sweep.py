"""`snf sweep`: run an experiment file on local cores or a Dask cluster, streaming to disk."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from simulation.commands.common import UsageError, prepare_out, progress
from simulation.commands.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_execution_options,
    add_posterior_options,
    cross_posterior,
    positive_int,
)
from simulation.experiments.executors import ExecutorUnavailable
from simulation.experiments.io import write_csv
from simulation.experiments.runner import RunResult
from simulation.experiments.spec import Experiment, load_experiment
from simulation.experiments.store import load_sweep
from simulation.experiments.sweep import SweepOutcome, run_sweep
from simulation.model.outcomes import HEADLINE_OUTCOMES


def progress_bar(quiet: bool, desc: str):
    def show(results: Iterable[RunResult], total: int) -> Iterator[RunResult]:
        yield from progress(results, total, desc, quiet)

    return show


def sweep(
    experiment: Experiment,
    out: Path,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    retry_failed: bool,
    quiet: bool,
) -> SweepOutcome:
    try:
        return run_sweep(
            experiment,
            out,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            mode="resume" if resume else "new",
            retry_failed=retry_failed,
            progress=progress_bar(quiet, experiment.spec.name),
        )
    except ExecutorUnavailable as e:
        raise UsageError(str(e)) from None


def report(outcome: SweepOutcome) -> str:
    lines = [
        f"{outcome.status}: {outcome.ran} runs now, {outcome.skipped} already done, "
        f"{outcome.total} in all -> {outcome.folder}"
    ]
    if outcome.failures:
        lines.append(
            f"{len(outcome.failures)} run(s) failed (recorded with their traceback in parts/runs-*):"
        )
        for failure in outcome.failures[:5]:
            last = failure["error"].strip().splitlines()[-1] if failure["error"] else ""
            lines.append(
                f"  run {failure['run_id']} ({failure['strategy']}, replication {failure['replication']}, "
                f"seed {failure['seed']}, point {failure['point']}): {last}"
            )
        if len(outcome.failures) > 5:
            lines.append(f"  ... and {len(outcome.failures) - 5} more")
    return "\n".join(lines)


def print_report(outcome: SweepOutcome) -> None:
    text = report(outcome)
    print(text, file=sys.stderr if outcome.failures else sys.stdout)


def run_analysis_sweep(
    spec: dict,
    source: str,
    out: Path,
    executor: str = "processes",
    workers: int | None = None,
    resume: bool = False,
    quiet: bool = False,
    posterior: Path | None = None,
    draws: int = 10,
):
    """Run the experiment an analysis needs (in `out`), crossed with `draws` draws of `posterior`
    when one is given, and open it as tables.

    Without `resume` a previous sweep in `out` is replaced; with it, only missing runs are done.
    """
    from simulation.experiments.spec import experiment_spec, resolve

    experiment = cross_posterior(resolve(experiment_spec(spec, source), source), posterior, draws)
    outcome = run_sweep(
        experiment,
        out,
        executor=executor,
        workers=workers,
        mode="resume" if resume else "replace",
        progress=progress_bar(quiet, experiment.spec.name),
    )
    if outcome.failures:
        print_report(outcome)
    return experiment, load_sweep(out), outcome


def with_draw(runs: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Runs with the posterior draw of each (a `draw` column), when the design is crossed with one."""
    from simulation.analysis.draws import split_point_ids

    if not experiment.posterior:
        return runs
    return split_point_ids(runs, experiment.points_per_draw).drop(columns="point")


HELP = "run an experiment file: designs, replications, resumable storage, local cores or Dask"
DESCRIPTION = (
    "Run an experiment file (see experiments/). Each finished run is written to disk at "
    "once; after an interruption, --resume runs only what is missing. With --posterior every design "
    "point runs under every posterior draw (the design may not vary a parameter the posterior sets) "
    "and posterior_summary.csv gives intervals over the draws."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("experiment", help="experiment file, or the name of one in experiments/")
    add_execution_options(p, "results/sweep-NAME", lang=False)
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786 (with --executor dask)",
    )
    p.add_argument("--retry-failed", action="store_true", help="with --resume: also rerun runs that failed")
    p.add_argument("--replications", type=positive_int, help="override the experiment's replications")
    add_posterior_options(p, "every design point")


def run(args: argparse.Namespace) -> int:
    changes = {}
    if args.replications:
        changes["replications"] = args.replications
    experiment = cross_posterior(load_experiment(args.experiment, changes), args.posterior, args.draws)
    if args.executor != "dask" and args.scheduler:
        raise UsageError("--scheduler only applies to --executor dask")
    out = args.out or Path("results") / f"sweep-{experiment.spec.name}"
    prepare_out(out, create=False)
    try:
        outcome = sweep(
            experiment,
            out,
            args.executor,
            args.workers,
            args.scheduler,
            args.resume,
            args.retry_failed,
            args.quiet,
        )
    except KeyboardInterrupt:
        same = f" --posterior {args.posterior} --draws {args.draws}" if args.posterior else ""
        same += f" --replications {args.replications}" if args.replications else ""
        print(
            f"interrupted; finished runs are saved in {out}. Continue with:\n"
            f"  snf sweep {args.experiment}{same} --out {out} --resume",
            file=sys.stderr,
        )
        return 130
    print_report(outcome)
    if experiment.posterior and outcome.status.startswith("complete"):
        print(posterior_note(experiment, write_posterior_summary(experiment, out)))
    return EXIT_FAILED if outcome.failures else EXIT_OK


def write_posterior_summary(experiment: Experiment, out: Path) -> pd.DataFrame:
    """Intervals over the posterior draws for every design point, strategy and outcome, written to
    posterior_summary.csv beside the runs."""
    from simulation.analysis.draws import design_posterior_effects

    runs = load_sweep(out).runs_long().dropna(subset=["value"])
    table = design_posterior_effects(runs, experiment.points_per_draw, experiment.spec.strategies[0])
    write_csv(out / "posterior_summary.csv", table)
    return table


def posterior_note(experiment: Experiment, table: pd.DataFrame) -> str:
    shown = table[table["outcome"].isin(HEADLINE_OUTCOMES)]
    shares = shown.groupby("outcome", sort=False)["parameter_share"].median().dropna()
    lines = [
        f"{experiment.points_per_draw} design point(s) x {experiment.draws} posterior draws x "
        f"{experiment.spec.replications} replications (the same seeds for every draw); intervals over "
        "the draws and the share of variance from parameter uncertainty in posterior_summary.csv",
    ]
    if len(shares):
        lines.append("median share of a run's variance from the parameters (over points and strategies):")
        lines += [f"  {o:32s} {v:.2f}" for o, v in shares.items()]
    return "\n".join(lines)
