"""Model benchmark: our speed side by side with Mesa's own BoltzmannWealth, scaling, memory.

Run from the project root:  .venv/bin/python benchmarks/model_benchmark.py

Prints, in one run on the same machine:
- client-weeks per second of our model on the default scenario (each strategy), agent-steps per
  second of Mesa's BoltzmannWealth example (as shipped inside the mesa package), and their ratio;
- the time of one default run (200 clients, 104 weeks), median of several;
- how run time grows with clients (250, 1,000, 4,000; networks drawn the same way), per four-fold;
- construction time for 10,000 clients, and the time of their 104-week run;
- peak memory of one run at 1,000 and 10,000 clients (in a fresh process each);
and checks the targets of the performance issue. Shared machines are noisy: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

import mesa

from simulation.model import NetworkSupportModel

STRATEGIES = ("care_as_usual", "resource", "flexible")


def timed(fn, repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return times


def our_run(strategy: str, n_clients: int = 200, weeks: int = 104):
    def run(seed: int) -> None:
        NetworkSupportModel(strategy=strategy, rng=seed, n_clients=n_clients, record_weekly=True).run(weeks)

    return run


def boltzmann_steps_per_second(repeat: int, steps: int = 200) -> float:
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    rates = []
    for seed in range(repeat):
        model = BoltzmannWealth(BoltzmannScenario(rng=seed))
        n = model.num_agents
        start = time.perf_counter()
        model.run_for(steps)
        rates.append(n * steps / (time.perf_counter() - start))
    return statistics.median(rates)


PEAK = """
import resource, sys, tracemalloc
from simulation.model import NetworkSupportModel
NetworkSupportModel(strategy="flexible", rng=0, n_clients=20).run(2)  # load what is imported lazily
tracemalloc.start()
NetworkSupportModel(strategy="flexible", rng=1, n_clients=int(sys.argv[1])).run()
print(tracemalloc.get_traced_memory()[1], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def peak_memory_mb(n_clients: int) -> tuple[float, float]:
    """(peak memory the model itself allocated, traced; peak resident size of the process), in MB."""
    out = subprocess.run(
        [sys.executable, "-c", PEAK, str(n_clients)], capture_output=True, text=True, check=True
    ).stdout.split()
    model, process = (int(x) / 2**20 for x in out[-2:])
    return model, process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="repetitions for medians (default 7)")
    args = parser.parse_args()
    r = args.repeat
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Mesa {mesa.__version__}"
    )
    results: dict = {}

    boltzmann = boltzmann_steps_per_second(r)
    print(f"\nMesa BoltzmannWealth (shipped example, 100 agents, 200 steps): {boltzmann:,.0f} agent-steps/s")
    print(
        f"our model, default scenario (200 clients, 104 weeks), median of {r} runs (weekly series recorded):"
    )
    rates = {}
    for strategy in STRATEGIES:
        seconds = statistics.median(timed(our_run(strategy), r))
        rates[strategy] = 200 * 104 / seconds
        print(
            f"  {strategy:14s} {seconds * 1000:7.1f} ms per run  {rates[strategy]:11,.0f} client-weeks/s  "
            f"ratio to Boltzmann {rates[strategy] / boltzmann:4.2f}"
        )
    slowest = min(rates, key=rates.get)
    results["boltzmann_agent_steps_per_s"] = boltzmann
    results["client_weeks_per_s"] = rates
    results["default_run_seconds"] = {s: 200 * 104 / v for s, v in rates.items()}

    print("\nscaling with clients (flexible, 104 weeks, median of 3):")
    scale = {}
    for n in (250, 1000, 4000):
        scale[n] = statistics.median(timed(our_run("flexible", n), 3))
        print(f"  {n:5d} clients: {scale[n]:6.3f} s")
    ratios = [scale[1000] / scale[250], scale[4000] / scale[1000]]
    print(f"  per four-fold increase: {ratios[0]:.2f}x (250 -> 1000), {ratios[1]:.2f}x (1000 -> 4000)")
    results["scaling_seconds"] = scale

    build = statistics.median(
        timed(lambda s: NetworkSupportModel(strategy="flexible", rng=s, n_clients=10_000), 3)
    )
    model = NetworkSupportModel(strategy="flexible", rng=1, n_clients=10_000)
    start = time.perf_counter()
    model.run()
    run_10k = time.perf_counter() - start
    print(
        f"\n10,000 clients ({model.ties.n:,} naasten at the start): built in {build:.2f} s, "
        f"104 weeks in {run_10k:.2f} s"
    )
    results["build_10k_seconds"] = build
    results["run_10k_seconds"] = run_10k

    print("\npeak memory of one run (flexible, fresh process):")
    memory = {}
    for n in (1000, 10_000):
        model_mb, process_mb = peak_memory_mb(n)
        memory[n] = {"model_mb": model_mb, "process_mb": process_mb}
        print(
            f"  {n:6d} clients: model {model_mb:6.1f} MB (traced allocations); "
            f"whole process {process_mb:6.1f} MB (Python and libraries included)"
        )
    results["peak_memory_mb"] = memory

    checks = {
        "client-weeks/s at least half of Boltzmann agent-steps/s (slowest strategy)": rates[slowest]
        >= 0.5 * boltzmann,
        "each four-fold increase in clients costs at most 4.4x": max(ratios) <= 4.4,
        "10,000 clients built in under 2 s": build < 2.0,
        "10,000 clients run for 104 weeks in under 30 s": run_10k < 30.0,
    }
    print("\ntargets:")
    for text, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    results["targets"] = checks
    print("\n" + json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
