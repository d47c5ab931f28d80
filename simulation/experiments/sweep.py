"""Running an experiment: every missing run, on the chosen executor, streamed to the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulation.experiments.executors import check_executor, get_executor
from simulation.experiments.runner import RunResult
from simulation.experiments.spec import Experiment
from simulation.experiments.store import StoreError, StoreWriteError, SweepStore, resume_command

Progress = Callable[[Iterable[RunResult], int], Iterator[RunResult]]


class CodeChanged(RuntimeError):
    """A worker runs other code than the sweep was planned with: results would mix versions."""


@dataclass
class SweepOutcome:
    folder: Path
    status: str  # complete, complete_with_failures, interrupted
    total: int
    ran: int  # runs done in this session
    skipped: int  # already on disk before this session
    failures: list[dict[str, Any]]
    manifest: dict[str, Any]


def _no_progress(results: Iterable[RunResult], total: int) -> Iterator[RunResult]:
    yield from results


def run_sweep(
    experiment: Experiment,
    out: Path,
    executor: str = "serial",
    workers: int | None = None,
    scheduler: str | None = None,
    mode: str = "new",
    retry_failed: bool = False,
    progress: Progress = _no_progress,
    flush_runs: int = 25,
    flush_seconds: float = 2.0,
) -> SweepOutcome:
    """Run what is missing from `out` and stream each result to disk.

    mode: 'new' (refuse a folder that holds a sweep), 'resume' (continue it), 'replace'.
    A run that raises is recorded as failed and the sweep goes on. On Ctrl-C the finished runs are
    written before the interruption is passed on.
    """
    run_executor = get_executor(executor)
    check_executor(executor, scheduler)  # before anything is written: an unreachable cluster leaves no folder
    store = SweepStore.open(out, experiment, mode, flush_runs=flush_runs, flush_seconds=flush_seconds)
    try:
        already = store.finished_runs(include_failed=not retry_failed)
        todo = experiment.n_runs - len(already)
        failures: list[dict[str, Any]] = []
        ran = 0
        status = "interrupted"
        try:
            results = run_executor(experiment.tasks(skip=already), workers=workers, scheduler=scheduler)
            for result in progress(results, todo):
                if result.code_mismatch:
                    status = "stopped: code changed"
                    raise CodeChanged(
                        f"{result.error}. Nothing from that worker was stored; the runs already saved in "
                        f"{out} stay valid for the code they were made with"
                    )
                store.add(result)
                ran += 1
                if not result.ok:
                    failures.append(
                        {**result.task.describe(), "point": result.task.point, "error": result.error}
                    )
            status = "complete_with_failures" if failures else "complete"
            manifest = store.finish(status, {"ran": ran, "failed": len(failures)})
        except StoreWriteError as e:
            store.finish(f"stopped: {e}", {"ran": ran, "failed": len(failures)})
            raise StoreError(
                f"{e}. The {store.committed_runs} run(s) committed before are kept in {out}; make room (or "
                f"fix the folder), then continue with: {resume_command(Path(out))}"
            ) from None
        except BaseException:
            store.finish(status, {"ran": ran, "failed": len(failures)})
            raise
    finally:
        store.close()
    return SweepOutcome(
        folder=Path(out),
        status=status,
        total=experiment.n_runs,
        ran=ran,
        skipped=len(already),
        failures=failures,
        manifest=manifest,
    )
