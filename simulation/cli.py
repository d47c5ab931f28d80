"""The `snf` command line: one module per command under `simulation/commands/`.

Each command module declares `HELP`, `DESCRIPTION`, `add_arguments(parser)` and `run(args) -> int`;
this file only lists them and turns errors into exit codes. Only the module of the command being run
is imported, so `snf run` does not pay for the report's or the page's imports.

Bad input (a scenario that does not validate, an unknown strategy, a bad `--set`) stops with one
clear message on stderr and exit status 2, before anything is written. Runs that fail while
running give exit status 1.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from simulation.commands.common import UsageError
from simulation.commands.options import EXIT_FAILED, EXIT_USAGE
from simulation.scenarios import ScenarioError

#: command name -> module under simulation.commands, in the order `snf --help` lists them
COMMANDS: dict[str, str] = {
    "run": "run",
    "compare": "compare",
    "sweep": "sweep",
    "check": "check",
    "decompose": "decompose",
    "mechanisms": "mechanisms",
    "validate": "validate",
    "sensitivity": "sensitivity",
    "threshold-map": "thresholds",
    "report": "report",
    "app": "app",
    "scenarios": "scenarios",
    "strategies": "strategies",
    "params": "params",
    "calibrate": "calibrate",
}


def command_module(name: str) -> ModuleType:
    """The module that declares and runs command `name`."""
    return importlib.import_module(f"simulation.commands.{COMMANDS[name]}")


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the command line (the first word that is one), if any."""
    return next((word for word in argv if word in COMMANDS), None)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with `argv`, only the chosen command's module is imported and declared in full."""
    parser = argparse.ArgumentParser(
        prog="snf",
        description="Network support for homeless people in Dutch shelters: an agent-based model.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _chosen(argv) if argv is not None else None
    for name in COMMANDS:
        if chosen is not None and name != chosen:
            sub.add_parser(name)  # known by name only: its module is not needed for this call
            continue
        module = command_module(name)
        p = sub.add_parser(name, help=module.HELP, description=module.DESCRIPTION)
        module.add_arguments(p)
        p.set_defaults(handler=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from simulation.experiments.spec import ExperimentError
    from simulation.experiments.store import StoreError
    from simulation.experiments.sweep import CodeChanged
    from simulation.provenance import set_command

    words = list(sys.argv[1:] if argv is None else argv)
    chosen = _chosen(words)
    parser = build_parser(words if chosen is not None else None)
    args = parser.parse_args(words)
    set_command(["snf", *words])
    try:
        return args.handler(args)
    except (ScenarioError, UsageError, ExperimentError, StoreError) as e:
        print(f"snf {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except CodeChanged as e:
        print(f"snf {args.command}: stopped: {e}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"snf {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
