"""`snf sweep`: run an experiment file on local cores or a Dask cluster, streaming to disk."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from simulation.commands.common import UsageError, progress
from simulation.experiments.executors import ExecutorUnavailable
from simulation.experiments.runner import RunResult
from simulation.experiments.spec import Experiment
from simulation.experiments.sweep import SweepOutcome, run_sweep


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
):
    """Run the experiment an analysis needs (in `out`) and open it as tables.

    Without `resume` a previous sweep in `out` is replaced; with it, only missing runs are done.
    """
    from simulation.experiments.spec import ExperimentSpec, resolve
    from simulation.experiments.store import load_sweep

    experiment = resolve(ExperimentSpec.model_validate(spec), source)
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
