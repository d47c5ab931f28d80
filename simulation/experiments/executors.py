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
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    # the server imports the model once; each worker forked from it starts ready to run
    context.set_forkserver_preload(["simulation.experiments.runner"])
    return context


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


def execute_batch(tasks: list[RunTask]) -> list[RunResult]:
    """Several runs in one call: fewer round trips to a scheduler for short runs."""
    return [execute(task) for task in tasks]


def batches(tasks: Iterable[RunTask], size: int) -> Iterator[list[RunTask]]:
    batch: list[RunTask] = []
    for task in tasks:
        batch.append(task)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@register_executor("dask")
def run_dask(
    tasks: Iterable[RunTask],
    workers: int | None = None,
    scheduler: str | None = None,
    batch_size: int = 8,
    **_: Any,
) -> Iterator[RunResult]:
    """Runs on a Dask cluster: a local one on 127.0.0.1, or the scheduler at `scheduler`.

    Workers need only this package installed; each task carries its own parameters and seed. Runs
    travel in small batches (`batch_size`) so the scheduler's per-task cost stays small next to a
    run's; a bounded number of batches is in flight, so memory stays flat.
    """
    import logging

    import dask
    from dask.distributed import Client, LocalCluster, as_completed

    # the worker's own statistical profiler samples every 10 ms and competes with the runs for the GIL
    dask.config.set({"distributed.worker.profile.enabled": False})
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="30s")
        capacity = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))
    else:
        workers = workers or default_workers()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
        capacity = workers
    try:
        batch_iter = batches(tasks, batch_size)
        in_flight = as_completed(with_results=True)
        for batch in batch_iter:
            in_flight.add(client.submit(execute_batch, batch, pure=False))
            if in_flight.count() >= 3 * capacity:
                break
        for future, results in in_flight:
            future.release()
            nxt = next(batch_iter, None)
            if nxt is not None:
                in_flight.add(client.submit(execute_batch, nxt, pure=False))
            yield from results
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class ExecutorUnavailable(RuntimeError):
    """The executor cannot start (a scheduler that does not answer): nothing has been run or written."""


#: how long to wait for a Dask scheduler to answer before giving up
CONNECT_TIMEOUT = 5.0


def check_executor(name: str, scheduler: str | None = None, timeout: float = CONNECT_TIMEOUT) -> None:
    """Fail fast, before any output is written, if the executor cannot run: an unknown name, or a Dask
    scheduler that does not answer within `timeout` seconds."""
    get_executor(name)
    if name == "dask" and scheduler:
        reach_scheduler(scheduler, timeout)


def reach_scheduler(address: str, timeout: float = CONNECT_TIMEOUT) -> None:
    """Ask a Dask scheduler who it is, within `timeout` seconds in all (connecting and answering), or
    raise ExecutorUnavailable. A listener that accepts the connection but never answers counts too."""
    import asyncio
    import logging

    from distributed.core import rpc

    async def identity() -> None:
        async with rpc(address, timeout=timeout) as scheduler:
            await scheduler.identity()

    chatty = logging.getLogger("distributed")  # it logs each retry; the message below says it once
    level = chatty.level
    chatty.setLevel(logging.CRITICAL)
    try:
        asyncio.run(asyncio.wait_for(identity(), timeout))
    except Exception as e:
        hint = "check the address, and that the scheduler runs (`dask scheduler`) and is reachable from here"
        if isinstance(e, TimeoutError | asyncio.TimeoutError):
            message = f"no Dask scheduler answers at {address} (waited {timeout:g} s); {hint}"
        else:
            reason = (str(e).splitlines() or [type(e).__name__])[0][:160]
            message = f"cannot reach a Dask scheduler at {address}: {reason}; {hint}"
        raise ExecutorUnavailable(message) from None
    finally:
        chatty.setLevel(level)


def get_executor(name: str) -> ExecutorFn:
    if name not in EXECUTORS:
        raise KeyError(f"unknown executor {name!r}; available: {', '.join(EXECUTORS)}")
    return EXECUTORS[name]
