"""Executors: how a batch of runs is spread over cores, found by name in a registry.

Each executor yields results as runs finish (not in task order), so the caller can write them to
disk at once and never hold them all. Results do not depend on the executor: a run depends only on
its task.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from simulation.experiments.runner import RunResult, RunTask, execute

ExecutorFn = Callable[..., Iterator[RunResult]]
EXECUTORS: dict[str, ExecutorFn] = {}


def register_executor(name: str) -> Callable[[ExecutorFn], ExecutorFn]:
    def decorate(fn: ExecutorFn) -> ExecutorFn:
        EXECUTORS[name] = fn
        return fn

    return decorate


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def process_context() -> multiprocessing.context.BaseContext:
    """Worker processes start from a clean server process, not a fork of a threaded parent."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


@register_executor("serial")
def run_serial(tasks: Iterable[RunTask], **_: Any) -> Iterator[RunResult]:
    """One run after another in this process."""
    for task in tasks:
        yield execute(task)


@register_executor("processes")
def run_processes(tasks: Iterable[RunTask], workers: int | None = None, **_: Any) -> Iterator[RunResult]:
    """Runs on local cores, a bounded number in flight so memory stays flat."""
    workers = workers or default_workers()
    pending: set[Future[RunResult]] = set()
    task_iter = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers, mp_context=process_context()) as pool:
        for task in task_iter:
            pending.add(pool.submit(execute, task))
            if len(pending) >= 4 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()


def get_executor(name: str) -> ExecutorFn:
    if name not in EXECUTORS:
        raise KeyError(f"unknown executor {name!r}; available: {', '.join(EXECUTORS)}")
    return EXECUTORS[name]
