"""Sweep engine benchmark: speed-up of 2 processes and of Dask over serial, and peak memory.

Run from the project root:  .venv/bin/python benchmarks/sweep_benchmark.py [--runs 600]

All timings are taken side by side in one run on the same machine (shared machines are noisy:
compare the ratios, not the seconds). Each sweep runs through `run_sweep` in this process, writing
its results to disk as a real sweep does; the time includes starting the workers (reported
separately as the time to the first result). Peak memory is the resident set size of the process
that runs the sweep and writes the results (the workers hold one run each), for two sweep sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def experiment_file(
    folder: Path, replications: int, strategies: list[str], scenario: dict | None = None
) -> Path:
    if scenario:
        (folder / "bench_scenario.yaml").write_text(yaml.safe_dump(scenario), encoding="utf-8")
    data = {
        "name": f"bench-{replications}",
        "scenario": "bench_scenario.yaml" if scenario else "default",
        "strategies": strategies,
        "replications": replications,
        "seed": 99,
        "record": {"weekly": True, "clients": False},
    }
    path = folder / f"bench-{replications}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def timed_sweep(path: Path, out: Path, executor: str, workers: int) -> float:
    command = [
        sys.executable,
        "-m",
        "simulation.cli",
        "sweep",
        str(path),
        "--out",
        str(out),
        "--executor",
        executor,
        "--workers",
        str(workers),
        "--quiet",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from simulation.experiments.spec import load_experiment
from simulation.experiments.sweep import run_sweep
exp = load_experiment(sys.argv[1])
run_sweep(exp, Path(sys.argv[2]), executor="serial")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_memory_mb(path: Path, out: Path) -> float:
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT, str(path), str(out)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return int(result.stdout.strip().splitlines()[-1]) / 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=600, help="runs in the timed sweep (default 600)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    strategies = ["care_as_usual", "resource", "flexible"]
    reps = max(1, args.runs // len(strategies))
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        path = experiment_file(tmp_path, reps, strategies)
        n = reps * len(strategies)
        print(f"\nspeed: {n} runs of the default scenario (200 clients, 104 weeks), weekly series recorded")
        times = {}
        for executor, workers in (("serial", 1), ("processes", args.workers), ("dask", args.workers)):
            times[executor] = timed_sweep(path, tmp_path / f"out-{executor}", executor, workers)
        for executor, seconds in times.items():
            label = executor if executor == "serial" else f"{executor} ({args.workers} workers)"
            print(
                f"  {label:24s} {seconds:7.2f} s  {n / seconds:7.1f} runs/s  "
                f"speed-up {times['serial'] / seconds:4.2f}x"
            )

        print("\npeak memory of the sweep process (serial executor), small model (50 clients, 52 weeks):")
        small = {"weeks": 52, "population": {"n_clients": 50}}
        peaks = {}
        for reps_mem in (100, 1000):
            mem_path = experiment_file(tmp_path, reps_mem, strategies, small)
            peaks[reps_mem] = peak_memory_mb(mem_path, tmp_path / f"mem-{reps_mem}")
            print(f"  {reps_mem * 3:6d} runs: {peaks[reps_mem]:7.1f} MB")
        print(f"  ratio for 10x the runs: {peaks[1000] / peaks[100]:.2f}x")
        summary = {
            "runs": n,
            "seconds": times,
            "speedup": {k: times["serial"] / v for k, v in times.items()},
            "peak_mb": peaks,
        }
        print("\n" + json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
