"""`snf calibrate`: ABC-SMC (pyabc) of the parameters in `simulation.calibration.abc.PRIORS`
against the `calibrate` targets of `calibration/targets.yaml`.

Writes to --out: abc.db (pyabc's database, for --resume), posterior.parquet (particles and weights),
diagnostics.csv (epsilon, simulations, acceptance rate and ESS per generation), fit.csv (each target
against the posterior's simulations; the posterior is the last generation's, or --use-generation's),
marginals.png, pairs.png, fit.png and manifest.json. With
--ship DIR it also writes the small summary meant to be committed (calibration/posterior/).

With --screen it calibrates nothing: it runs the Morris screening that chooses which parameters to
calibrate (simulation/calibration/screening.py) and writes screening.csv (mu_star per parameter and
target, in sd of the target), ranking.csv, design.csv and manifest.json to --out
(default results/screening-calibration).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

from simulation.commands.common import UsageError, prepare_out

#: the project's targets file (simulation.calibration.targets.TARGETS_FILE; pyabc is imported only to run)
TARGETS_FILE = Path(__file__).resolve().parent.parent.parent / "calibration" / "targets.yaml"


HELP = "ABC-SMC calibration (pyabc) against the calibrate targets of calibration/targets.yaml"
DESCRIPTION = "Calibrate the model with ABC-SMC (pyabc) against the calibrate targets."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", default="default", help="scenario name or file (default: default)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument(
        "--targets", type=Path, default=TARGETS_FILE, help="targets file (calibration/targets.yaml)"
    )
    p.add_argument("--population", type=int, default=40, help="particles per generation (default 40)")
    p.add_argument("--generations", type=int, default=4, help="generations in total (default 4)")
    p.add_argument("--min-epsilon", type=float, default=0.0, help="stop once epsilon is at most this")
    p.add_argument("--seed", type=int, default=1, help="seed of the sampler's generator (default 1)")
    p.add_argument("--executor", choices=("processes", "dask", "serial"), default="processes")
    p.add_argument(
        "--workers", type=int, default=None, help="processes or local Dask workers (default: cores)"
    )
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler (with --executor dask)")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (results/calibration; --screen: results/screening-calibration)",
    )
    p.add_argument("--resume", action="store_true", help="continue the run in --out (pyabc's abc.load)")
    p.add_argument("--ship", type=Path, default=None, help="also write the small summary to this folder")
    p.add_argument(
        "--use-generation",
        type=int,
        default=None,
        metavar="T",
        help="write the posterior, fit and plots from generation T, not the last (say why: e.g. the "
        "last one's weights collapsed; the manifest records it)",
    )
    p.add_argument(
        "--held-out",
        type=int,
        default=0,
        metavar="N",
        help="after calibrating, check the held-out targets over N posterior draws (held_out.csv)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    screen = p.add_argument_group("screening (--screen: which parameters to calibrate)")
    screen.add_argument(
        "--screen", action="store_true", help="Morris screening of the flow parameters against the targets"
    )
    screen.add_argument("--trajectories", type=int, default=8, help="Morris trajectories (default 8)")
    screen.add_argument("--levels", type=int, default=4, help="Morris grid levels (default 4)")
    screen.add_argument("--replications", type=int, default=2, help="seeds per design point (default 2)")


def _check(args: argparse.Namespace) -> None:
    if args.population < 2 or args.generations < 1:
        raise UsageError("--population must be at least 2 and --generations at least 1")
    if args.scheduler and args.executor != "dask":
        raise UsageError("--scheduler needs --executor dask")
    if args.use_generation is not None and not 0 <= args.use_generation < args.generations:
        raise UsageError(f"--use-generation must be a generation of the run: 0 to {args.generations - 1}")
    if args.resume and not (args.out / "abc.db").is_file():
        raise UsageError(f"--resume: no calibration in {args.out} (abc.db missing)")


def run(args: argparse.Namespace) -> int:
    if args.screen:
        return _screen(args)
    args.out = args.out or Path("results/calibration")
    from simulation.calibration.abc import Settings, Simulator, make_sampler, run_calibration
    from simulation.calibration.posterior import ship
    from simulation.calibration.targets import TargetsError, load_targets
    from simulation.provenance import now
    from simulation.scenarios import load_scenario, parse_set_options

    _check(args)
    try:
        targets = load_targets(args.targets)
    except TargetsError as e:
        raise UsageError(str(e)) from None
    scenario = load_scenario(args.scenario, parse_set_options(args.overrides))
    out = prepare_out(args.out)
    workers = args.workers or os.cpu_count() or 1
    settings = Settings(
        population=args.population, generations=args.generations, min_epsilon=args.min_epsilon, seed=args.seed
    )
    simulator = Simulator(scenario, targets.calibrate, targets.weeks)
    started, clock = now(), time.perf_counter()

    def report(row: dict) -> None:
        if not args.quiet:
            print(
                f"generation {int(row['generation'])}: epsilon {row['epsilon']:.3f}, "
                f"{int(row['simulations'])} simulations, acceptance {row['acceptance_rate']:.2f}, "
                f"ESS {row['ess']:.1f}, {row['seconds']:.0f} s",
                file=sys.stderr,
                flush=True,
            )

    import logging

    logging.getLogger("ABC").setLevel(logging.WARNING)
    sampler = make_sampler(args.executor, workers, args.scheduler)
    try:
        history = run_calibration(simulator, settings, sampler, out, resume=args.resume, report=report)
    finally:
        if args.executor == "dask":
            sampler.client.close()
    seconds = time.perf_counter() - clock
    write_results(out, history, settings, targets, args, started, seconds)
    if args.ship:
        ship(out, args.ship)
    _print_summary(out)
    if args.held_out:
        _held_out(out, targets, scenario, args)
    return 0


def _screen(args: argparse.Namespace) -> int:
    """Morris screening of `screening.CANDIDATES` (simulation/calibration/screening.py)."""
    from simulation.calibration.abc import Simulator
    from simulation.calibration.screening import CANDIDATES, screen
    from simulation.calibration.targets import TargetsError, load_targets
    from simulation.experiments.io import write_csv, write_json
    from simulation.provenance import code_fingerprint, manifest_base, now
    from simulation.scenarios import load_scenario, parse_set_options

    if args.trajectories < 2 or args.levels < 2 or args.replications < 1:
        raise UsageError("--trajectories and --levels must be at least 2, --replications at least 1")
    try:
        targets = load_targets(args.targets)
    except TargetsError as e:
        raise UsageError(str(e)) from None
    scenario = load_scenario(args.scenario, parse_set_options(args.overrides))
    out = prepare_out(args.out or Path("results/screening-calibration"))
    simulator = Simulator(scenario, targets.calibrate, targets.weeks)
    started, clock = now(), time.perf_counter()

    def progress(done: int, total: int) -> None:
        if not args.quiet and (done == total or done % 20 == 0):
            print(f"{done} of {total} runs, {time.perf_counter() - clock:.0f} s", file=sys.stderr, flush=True)

    result = screen(
        simulator,
        CANDIDATES,
        args.trajectories,
        args.levels,
        args.replications,
        args.workers or os.cpu_count() or 1,
        args.seed,
        progress,
    )
    seconds = time.perf_counter() - clock
    write_csv(out / "screening.csv", result.table)
    write_csv(out / "ranking.csv", result.ranking)
    write_csv(out / "design.csv", result.design)
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "calibrate_screening",
            "code_fingerprint": code_fingerprint(),
            "scenario_source": str(args.scenario),
            "set": args.overrides,
            "targets_file": str(args.targets),
            "targets": {t.key: t.sd for t in targets.calibrate},
            "candidates": [dataclasses.asdict(c) for c in CANDIDATES],
            "settings": {
                "trajectories": args.trajectories,
                "levels": args.levels,
                "replications": args.replications,
                "seed": args.seed,
                "weeks": targets.weeks,
            },
            "runs": len(result.design) * args.replications,
            "started": started,
            "finished": now(),
            "seconds": round(seconds, 1),
            "files": ["screening.csv", "ranking.csv", "design.csv"],
        },
    )
    fmt = {"float_format": lambda x: f"{x:.3g}", "index": False}
    print(result.table.to_string(**fmt))
    print("\nranking (largest mu_star over the targets, in sd of the target):")
    print(result.ranking.to_string(**fmt))
    print(f"\nwrote {out} ({len(result.design) * args.replications} runs, {seconds:.0f} s)")
    return 0


def _held_out(out: Path, targets, scenario, args: argparse.Namespace) -> None:
    """Posterior-predictive check of every target over N draws (validate targets pass or fail)."""
    from simulation.calibration.heldout import held_out_table, predictive_values
    from simulation.calibration.posterior import load_posterior
    from simulation.experiments.io import write_csv

    posterior = load_posterior(out)
    if args.held_out > len(posterior.draws):  # the calibration itself is saved
        raise UsageError(
            f"--held-out {args.held_out}: the posterior holds {len(posterior.draws)} draws; the "
            f"calibration is saved in {out}"
        )
    values = predictive_values(posterior, targets.targets, scenario, targets.weeks, args.held_out, args.seed)
    write_csv(out / "held_out_draws.csv", values)
    table = held_out_table(values, targets)
    write_csv(out / "held_out.csv", table)
    print()
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(
        f"{(table['result'] == 'PASS').sum()} of {(table['use'] == 'validate').sum()} held-out targets pass"
    )


def write_results(out, history, settings, targets, args, started, seconds) -> None:
    from simulation.calibration.abc import diagnostics, posterior_particles, predictive
    from simulation.calibration.posterior import fit_table
    from simulation.experiments.io import write_csv, write_json
    from simulation.plots.calibration import fit_figure, marginals_figure, pairs_figure
    from simulation.provenance import code_fingerprint, manifest_base, now

    parameters = [p.path for p in settings.priors]
    t = args.use_generation
    if t is not None and t > history.max_t:
        raise UsageError(f"--use-generation {t}: the run has generations 0 to {history.max_t}")
    particles = posterior_particles(history, settings.priors, t)
    particles.to_parquet(out / "posterior.parquet", index=False)
    diag = diagnostics(history)
    write_csv(out / "diagnostics.csv", diag)
    fit = fit_table(predictive(history, t), targets.calibrate)
    write_csv(out / "fit.csv", fit)
    marginals_figure(particles, list(settings.priors), out / "marginals.png")
    pairs_figure(particles, parameters, out / "pairs.png")
    fit_figure(fit, out / "fit.png")
    previous = out / "manifest.json"
    before = (
        json.loads(previous.read_text()).get("seconds", 0.0) if args.resume and previous.is_file() else 0.0
    )
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "calibrate",
            "code_fingerprint": code_fingerprint(),
            "scenario_source": str(args.scenario),
            "set": args.overrides,
            "targets_file": str(args.targets),
            "targets": [t.key for t in targets.calibrate],
            "held_out": [t.key for t in targets.validate],
            "parameters": parameters,
            "priors": [dataclasses.asdict(p) for p in settings.priors],
            "settings": {
                "population": settings.population,
                "generations": settings.generations,
                "min_epsilon": settings.min_epsilon,
                "seed": settings.seed,
                "executor": args.executor,
                "weeks": targets.weeks,
            },
            "generation_used": int(history.max_t if t is None else t),
            "simulations": int(diag["simulations"].sum()),
            "started": started,
            "finished": now(),
            "seconds": round(before + seconds, 1),
            "files": [
                "abc.db",
                "posterior.parquet",
                "diagnostics.csv",
                "fit.csv",
                "marginals.png",
                "pairs.png",
                "fit.png",
            ],
        },
    )


def _print_summary(out: Path) -> None:
    import pandas as pd

    from simulation.calibration.posterior import summarize

    manifest = json.loads((out / "manifest.json").read_text())
    summary = summarize(pd.read_parquet(out / "posterior.parquet"), manifest["parameters"])
    fit = pd.read_csv(out / "fit.csv")
    print(summary.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print()
    print(fit.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"\nwrote {out} ({manifest['simulations']} simulations, {manifest['seconds']:.0f} s)")
