"""`snf params`: the parameter table generated from the schema."""

from __future__ import annotations

import argparse

from simulation.commands.options import EXIT_OK

HELP = "the parameter table (from the schema)"
DESCRIPTION = (
    "Print the parameter table generated from the schema, or write "
    "docs/parameters.md and scenarios/default.yaml from it."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--write", action="store_true", help="write docs/parameters.md and scenarios/default.yaml")


def run(args: argparse.Namespace) -> int:
    from simulation.reference import parameters_markdown, write_reference

    if args.write:
        for path in write_reference():
            print(f"wrote {path}")
    else:
        print(parameters_markdown())
    return EXIT_OK
