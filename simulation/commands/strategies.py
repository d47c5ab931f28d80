"""`snf strategies`: the registered strategies (and a scenario's own) with their knobs."""

from __future__ import annotations

import argparse

from simulation.commands.options import EXIT_OK
from simulation.model.strategies import KNOBS, make_strategy, strategy_names
from simulation.scenarios import load_scenario

HELP = "list the strategies and their knobs"
DESCRIPTION = "List the registered strategies (and a scenario's own) with their knobs."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scenario", default=None, metavar="PATH", help="also list this scenario's strategies")


def run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario) if args.scenario else None
    for name in strategy_names(scenario):
        s = make_strategy(name, scenario).settings
        knobs = (
            ", ".join(f"{k}={getattr(s, k)}" for k in KNOBS)
            if s.offers_network_support
            else "no network work"
        )
        print(f"{name}\n  {s.description}\n  {knobs}")
    return EXIT_OK
