"""Model benchmark: the open shelter's speed side by side with Mesa's BoltzmannWealth, scaling, memory.

Run from the project root:  .venv/bin/python benchmarks/model_benchmark.py [--national]

Prints, in one run on the same machine (the machine's load average is printed with it):
- client-weeks per second of our model on the default scenario (each strategy), agent-steps per
  second of Mesa's BoltzmannWealth example (as shipped inside the mesa package), and their ratio.
  A client-week is one client simulated for one week: everyone in the model that week, in the
  shelter, waiting for a place, staying with a naaste, or left and still followed (the weekly
  `clients_simulated` count of `model.flow`);
- how run time grows with the places (250, 1,000, 4,000), per four-fold;
- building 10,000 places, and their run (warm-up and 104 measured weeks);
- peak memory of one run at 1,000 and 10,000 places (in a fresh process each);
- with `--national`: 30,000 places (about the number of homeless people the national statistics
  count) for 520 measured weeks after the warm-up, its time and peak memory (fresh process);
and checks the targets of the performance issue. Shared machines are noisy: compare the ratios.

Arrivals, homes per week and the peer pool scale with the places (the default scenario's values per
place), so a larger shelter is the default one drawn bigger, with the same stays and the same flow.
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
from dataclasses import dataclass

import mesa

from simulation.model import NetworkSupportModel
from simulation.model.parameters import ScenarioParams

STRATEGIES = ("care_as_usual", "resource", "flexible")
NATIONAL_PLACES = 30_000
NATIONAL_WEEKS = 520


def scaled_params(places: int, weeks: int | None = None, warmup: int | None = None) -> dict[str, object]:
    """Parameter changes for a shelter of `places`: arrivals, homes and peers per place as by default."""
    default = ScenarioParams()
    factor = places / default.population.n_clients
    changes: dict[str, object] = {
        "population.n_clients": places,
        "shelter.arrivals_per_week": default.shelter.arrivals_per_week * factor,
        "housing.homes_per_week": default.housing.homes_per_week * factor,
        "peers.experts_by_experience": round(default.peers.experts_by_experience * factor),
        "peers.volunteers": round(default.peers.volunteers * factor),
    }
    if weeks is not None:
        changes["weeks"] = weeks
    if warmup is not None:
        changes["shelter.warmup_weeks"] = warmup
    return changes


def scaled_model(
    places: int,
    weeks: int | None = None,
    strategy: str = "flexible",
    *,
    seed: int = 1,
    warmup: int | None = None,
    record_weekly: bool = True,
) -> NetworkSupportModel:
    return NetworkSupportModel(
        strategy=strategy, rng=seed, record_weekly=record_weekly, **scaled_params(places, weeks, warmup)
    )


@dataclass
class Run:
    build_s: float
    run_s: float
    build_cpu_s: float
    run_cpu_s: float
    weeks: int
    client_weeks: int
    naaste_weeks: int

    @property
    def rate(self) -> float:
        """Client-weeks per second of running (the build excluded, as for Boltzmann)."""
        return self.client_weeks / self.run_s

    @property
    def cpu_rate(self) -> float:
        """Client-weeks per second of the process's CPU time (what a loaded machine does not blur)."""
        return self.client_weeks / self.run_cpu_s


def timed_run(places: int, strategy: str = "flexible", seed: int = 1, weeks: int | None = None) -> Run:
    start, cpu_start = time.perf_counter(), time.process_time()
    model = scaled_model(places, weeks, strategy, seed=seed)
    built, cpu_built = time.perf_counter(), time.process_time()
    model.run()
    ran, cpu_ran = time.perf_counter(), time.process_time()
    flow = model.flow.table()
    return Run(
        built - start,
        ran - built,
        cpu_built - cpu_start,
        cpu_ran - cpu_built,
        model.horizon,
        int(flow["clients_simulated"].sum()),
        int(flow["naasten_simulated"].sum()),
    )


def median_run(runs: list[Run]) -> Run:
    """The run with the median run time (its own build time and counts)."""
    return sorted(runs, key=lambda r: r.run_s)[len(runs) // 2]


def boltzmann_steps_per_second(repeat: int, steps: int = 200) -> tuple[float, float]:
    """Agent-steps per second of wall time and of CPU time (medians)."""
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

    rates, cpu_rates = [], []
    for seed in range(repeat):
        model = BoltzmannWealth(BoltzmannScenario(rng=seed))
        n = model.num_agents
        start, cpu_start = time.perf_counter(), time.process_time()
        model.run_for(steps)
        rates.append(n * steps / (time.perf_counter() - start))
        cpu_rates.append(n * steps / (time.process_time() - cpu_start))
    return statistics.median(rates), statistics.median(cpu_rates)


FRESH = """
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[4])
from model_benchmark import scaled_model
scaled_model(20, 2, warmup=2).run()  # load what is imported lazily
traced = sys.argv[3] == "traced"
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
if traced:
    tracemalloc.start()
start, cpu_start = time.perf_counter(), time.process_time()
model = scaled_model(int(sys.argv[1]), int(sys.argv[2]))
built, cpu_built = time.perf_counter(), time.process_time()
model.run()
ran, cpu_ran = time.perf_counter(), time.process_time()
flow = model.flow.table()
print(json.dumps({
    "build_s": built - start, "run_s": ran - built, "weeks": model.horizon,
    "build_cpu_s": cpu_built - cpu_start, "run_cpu_s": cpu_ran - cpu_built,
    "client_weeks": int(flow["clients_simulated"].sum()),
    "clients_at_end": model.clients.n, "naasten_at_end": model.ties.n,
    "model_mb": tracemalloc.get_traced_memory()[1] / 2**20 if traced else None,
    "process_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**20,
    "before_run_mb": base / 2**20,
}))
"""


def fresh_process(places: int, weeks: int, traced: bool) -> dict:
    """One run in a fresh process: times, counts and peak memory (traced allocations of the model
    itself if `traced`, which slows the run; the peak resident size of the whole process always)."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run(
        [sys.executable, "-c", FRESH, str(places), str(weeks), "traced" if traced else "plain", here],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f} / {fifteen:.1f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="repetitions for medians (default 5)")
    parser.add_argument("--national", action="store_true", help="also run 30,000 places for 520 weeks")
    args = parser.parse_args()
    r = args.repeat
    default = ScenarioParams()
    places0, weeks0, warmup0 = default.population.n_clients, default.weeks, default.shelter.warmup_weeks
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Mesa {mesa.__version__}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"at the start: {load()}")
    results: dict = {"load_at_start": os.getloadavg()}

    boltzmann, boltzmann_cpu = boltzmann_steps_per_second(r)
    print(
        f"\nMesa BoltzmannWealth (shipped example, 100 agents, 200 steps): {boltzmann:,.0f} agent-steps/s "
        f"({boltzmann_cpu:,.0f} per CPU second)"
    )
    print("(wall time is what a user waits; CPU time is what the run costs whatever else the machine does)")
    print(
        f"our model, default open shelter ({places0} places, {warmup0} weeks warm-up + {weeks0} measured), "
        f"median of {r} runs (weekly series recorded):"
    )
    default_runs = {}
    for strategy in STRATEGIES:
        run = median_run([timed_run(places0, strategy, seed) for seed in range(r)])
        default_runs[strategy] = run
        print(
            f"  {strategy:14s} build {run.build_s * 1000:5.0f} ms, run {run.run_s * 1000:6.0f} ms "
            f"({run.run_cpu_s * 1000:5.0f} ms CPU), {run.client_weeks / run.weeks:5.0f} clients/week  "
            f"{run.rate:9,.0f} client-weeks/s ({run.cpu_rate:9,.0f} per CPU second)  "
            f"ratio to Boltzmann {run.rate / boltzmann:4.2f} (CPU {run.cpu_rate / boltzmann_cpu:4.2f})"
        )
    slowest = min(default_runs, key=lambda s: default_runs[s].rate)
    results["boltzmann_agent_steps_per_s"] = {"wall": boltzmann, "cpu": boltzmann_cpu}
    results["default"] = {
        s: vars(run) | {"rate": run.rate, "cpu_rate": run.cpu_rate} for s, run in default_runs.items()
    }

    print(
        f"\nscaling with places (flexible; arrivals, homes and peers scaled; {warmup0} + {weeks0} weeks, "
        "median of 3):"
    )
    scale = {}
    for places in (250, 1000, 4000):
        scale[places] = median_run([timed_run(places, "flexible", seed) for seed in range(3)])
        run = scale[places]
        print(
            f"  {places:5d} places: run {run.run_s:6.2f} s ({run.run_cpu_s:5.2f} s CPU), "
            f"{run.client_weeks:>10,} client-weeks "
            f"({run.client_weeks / run.weeks:7,.0f} a week), {run.rate:9,.0f} client-weeks/s"
        )
    ratios = [scale[1000].run_s / scale[250].run_s, scale[4000].run_s / scale[1000].run_s]
    cpu_ratios = [scale[1000].run_cpu_s / scale[250].run_cpu_s, scale[4000].run_cpu_s / scale[1000].run_cpu_s]
    work = [scale[1000].client_weeks / scale[250].client_weeks]
    work.append(scale[4000].client_weeks / scale[1000].client_weeks)
    print(
        f"  run time per four-fold increase: {ratios[0]:.2f}x (250 -> 1,000), "
        f"{ratios[1]:.2f}x (1,000 -> 4,000); CPU time {cpu_ratios[0]:.2f}x, {cpu_ratios[1]:.2f}x; "
        f"client-weeks {work[0]:.2f}x, {work[1]:.2f}x"
    )
    results["scaling"] = {p: vars(run) for p, run in scale.items()}
    results["scaling_ratios"] = {"wall": ratios, "cpu": cpu_ratios}

    big = timed_run(10_000, "flexible", 1)
    print(
        f"\n10,000 places (flexible, {warmup0} + {weeks0} weeks): built in {big.build_s:.2f} s, "
        f"run in {big.run_s:.2f} s ({big.client_weeks / big.weeks:,.0f} clients a week, "
        f"{big.naaste_weeks / big.weeks:,.0f} naasten a week; {big.rate:,.0f} client-weeks/s); "
        f"build and run {big.build_s + big.run_s:.2f} s ({big.build_cpu_s + big.run_cpu_s:.2f} s CPU)"
    )
    results["10k"] = vars(big)

    print(f"\npeak memory of one run (flexible, {warmup0} + {weeks0} weeks, fresh process):")
    memory = {}
    for places in (1000, 10_000):
        m = fresh_process(places, weeks0, traced=True)
        memory[places] = m
        print(
            f"  {places:6,d} places: model {m['model_mb']:6.1f} MB (traced allocations); whole process "
            f"{m['process_mb']:6.1f} MB ({m['before_run_mb']:.0f} MB before the run: Python and libraries)"
        )
    results["peak_memory"] = memory

    slow = default_runs[slowest]
    # each target on wall time and on CPU time (on a loaded machine the two differ several-fold)
    checks: dict[str, tuple[bool, bool]] = {
        "client-weeks/s at least half of Boltzmann agent-steps/s (slowest strategy)": (
            slow.rate >= 0.5 * boltzmann,
            slow.cpu_rate >= 0.5 * boltzmann_cpu,
        ),
        "each four-fold increase in places costs at most 4.4x run time": (
            max(ratios) <= 4.4,
            max(cpu_ratios) <= 4.4,
        ),
        "10,000 places built and run (warm-up and 104 weeks) in under 30 s": (
            big.build_s + big.run_s < 30.0,
            big.build_cpu_s + big.run_cpu_s < 30.0,
        ),
    }
    if args.national:
        nat = fresh_process(NATIONAL_PLACES, NATIONAL_WEEKS, traced=False)
        results["national"] = nat
        total = nat["build_s"] + nat["run_s"]
        total_cpu = nat["build_cpu_s"] + nat["run_cpu_s"]
        print(
            f"\nnational scale: {NATIONAL_PLACES:,} places, {warmup0} weeks warm-up + "
            f"{NATIONAL_WEEKS} measured (flexible, fresh process): built in {nat['build_s']:.1f} s, "
            f"run in {nat['run_s']:.1f} s, total {total:.1f} s ({total_cpu:.1f} s CPU); "
            f"{nat['client_weeks'] / nat['weeks']:,.0f} clients a week, "
            f"{nat['client_weeks'] / nat['run_s']:,.0f} client-weeks/s; peak resident size "
            f"{nat['process_mb']:,.0f} MB ({nat['before_run_mb']:.0f} MB before the run)"
        )
        aim = "national scale (30,000 places, 520 weeks) built and run in under a minute (aim)"
        checks[aim] = (total < 60.0, total_cpu < 60.0)

    print(f"\nat the end: {load()}")
    results["load_at_end"] = os.getloadavg()
    print("\ntargets (wall time, CPU time):")
    for text, (wall_ok, cpu_ok) in checks.items():
        print(f"  {'PASS' if wall_ok else 'FAIL'} {'PASS' if cpu_ok else 'FAIL'}  {text}")
    results["targets"] = checks
    print("\n" + json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
