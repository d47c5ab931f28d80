"""`snf scenarios`: the scenario files with a one-line description each."""

from __future__ import annotations

import argparse

from simulation.commands.options import EXIT_OK
from simulation.scenarios import list_scenarios

HELP = "list the scenario files with a one-line description"
DESCRIPTION = "List the scenario files in scenarios/ with a one-line description."


def add_arguments(p: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace) -> int:
    infos = list_scenarios()
    if not infos:
        print("no scenario files found in scenarios/")
    width = max((len(i.path.name) for i in infos), default=0)
    for info in infos:
        print(f"{info.path.name:{width}s}  {info.description}")
    return EXIT_OK
