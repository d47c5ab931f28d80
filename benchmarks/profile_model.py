"""Profile one run of the open shelter with cProfile: where the time goes at scale.

Run from the project root:
    .venv/bin/python benchmarks/profile_model.py --places 10000 --weeks 104
    .venv/bin/python benchmarks/profile_model.py --national          # 30,000 places, 520 weeks

Prints the build and run time, then the functions with the most own time and the most cumulative
time (the run only; the build is profiled separately with --build). Arrivals, homes and the peer
pool scale with the places, as in `model_benchmark.py`.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from model_benchmark import NATIONAL_PLACES, NATIONAL_WEEKS, scaled_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=104, help="weeks measured after the warm-up")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up weeks (default: the scenario's)")
    parser.add_argument("--strategy", default="flexible")
    parser.add_argument("--national", action="store_true", help="30,000 places for 520 weeks")
    parser.add_argument("--build", action="store_true", help="profile building the model, not the run")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    places, weeks = (NATIONAL_PLACES, NATIONAL_WEEKS) if args.national else (args.places, args.weeks)

    profiler = cProfile.Profile()
    start = time.perf_counter()
    if args.build:
        profiler.enable()
    model = scaled_model(places, weeks, args.strategy, seed=1, warmup=args.warmup)
    profiler.disable()
    built = time.perf_counter() - start
    start = time.perf_counter()
    if not args.build:
        profiler.enable()
    model.run()
    profiler.disable()
    ran = time.perf_counter() - start
    print(f"{places:,} places, {model.horizon} weeks: built in {built:.2f} s, run in {ran:.2f} s (profiled)")
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
