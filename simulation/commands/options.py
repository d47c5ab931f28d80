"""Argument types and option groups that several `snf` commands share.

Each command module declares its own arguments with these helpers, so an option means the same
thing (and is spelled the same way) in every command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.commands.common import UsageError
from simulation.experiments.spec import Experiment, ExperimentError, with_draws
from simulation.model.parameters import ScenarioParams
from simulation.scenarios import load_scenario, parse_set_options, scenario_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def positive_int(text: str) -> int:
    """A whole number of at least 1 (replications, workers, weeks)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def seed(text: str) -> int:
    """A root seed: numpy's SeedSequence takes any non-negative integer; 63 bits keep it portable."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2^63-1, got {value}")
    return value


def split_names(text: str) -> list[str]:
    """A comma-separated list of names, blanks dropped."""
    return [s.strip() for s in text.split(",") if s.strip()]


def add_scenario_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--scenario",
        default="default",
        metavar="PATH",
        help="scenario file, or the name of one in scenarios/ (default: default)",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="change a scenario value, dotted keys as in the file (e.g. population.refusal_share=0.5); "
        "repeatable, validated like the file",
    )
    p.add_argument("--weeks", type=positive_int, help="weeks to simulate (default: the scenario's)")


def add_execution_options(p: argparse.ArgumentParser, out_default: str, lang: bool = True) -> None:
    """Where runs execute, where results go, resuming, language and progress: shared by every
    command that runs a sweep."""
    p.add_argument(
        "--executor",
        choices=("serial", "processes", "dask"),
        default="processes",
        help="where runs execute (default processes: all local cores)",
    )
    p.add_argument("--workers", type=positive_int, help="processes or Dask workers (default: all cores)")
    p.add_argument("--out", type=Path, help=f"output folder (default {out_default})")
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run in --out, doing only what is missing",
    )
    if lang:
        p.add_argument("--lang", choices=("en", "nl"), default="en", help="language of the figures")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def add_analysis_options(p: argparse.ArgumentParser, reps: int, name: str) -> None:
    """Scenario, replications, seed and execution: what every analysis of one scenario takes."""
    add_scenario_options(p)
    p.add_argument("--reps", type=positive_int, default=reps, help=f"replications (default {reps})")
    p.add_argument("--seed", type=seed, default=1, help="root seed (default 1)")
    add_execution_options(p, f"results/{name}-SCENARIO")


def scenario_from_args(args: argparse.Namespace) -> tuple[ScenarioParams, str]:
    """The scenario named by --scenario with the --set changes applied, and where it came from."""
    scenario = load_scenario(args.scenario, parse_set_options(args.overrides))
    return scenario, str(scenario_path(args.scenario))


def analysis_out(args: argparse.Namespace, name: str, scenario_name: str) -> Path:
    """The output folder (created only once the analysis has checked its arguments)."""
    out = args.out or Path("results") / f"{name}-{scenario_name}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    return out


def add_posterior_options(p: argparse.ArgumentParser, what: str = "each strategy") -> None:
    """--posterior and --draws: run over draws of a calibrated posterior (parameter uncertainty)."""
    p.add_argument(
        "--posterior",
        type=Path,
        metavar="DIR",
        help=f"run {what} over draws of this posterior (e.g. calibration/posterior), every draw on the "
        "same replication seeds; intervals then include parameter uncertainty",
    )
    p.add_argument(
        "--draws", type=positive_int, default=10, help="posterior draws with --posterior (default 10)"
    )


def posterior_points(folder: Path | None, draws: int) -> list[dict[str, float]] | None:
    """The first `draws` draws of the posterior in `folder` as parameter changes (None without one)."""
    if folder is None:
        return None
    from simulation.calibration.posterior import load_posterior

    if draws < 1:
        raise UsageError(f"--draws must be at least 1, got {draws}")
    if not folder.is_dir():
        raise UsageError(f"--posterior {folder}: no such folder")
    try:
        posterior = load_posterior(folder)
    except FileNotFoundError as e:
        raise UsageError(f"--posterior {e}") from None
    if draws > len(posterior.draws):
        raise UsageError(
            f"--draws {draws}: the posterior in {folder} holds {len(posterior.draws)} draws; ask for "
            "at most that many"
        )
    return posterior.sample(draws)


def cross_posterior(experiment: Experiment, folder: Path | None, draws: int) -> Experiment:
    """The experiment crossed with `draws` draws of the posterior in `folder` (--posterior,
    --draws); unchanged without a posterior."""
    points = posterior_points(folder, draws)
    if points is None:
        return experiment
    try:
        return with_draws(experiment, points, str(folder))
    except ExperimentError as e:
        raise UsageError(str(e)) from None
