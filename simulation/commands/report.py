"""`snf report`: one self-contained HTML report (English or Dutch) from a results folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.commands.common import UsageError
from simulation.commands.options import EXIT_OK

HELP = "a self-contained HTML report (English or Dutch) from a results folder"
DESCRIPTION = (
    "Write one HTML file with the figures embedded (opens offline) from the results of "
    "`make run` or `snf compare` (plus decompose, mechanisms, threshold-map and validate in "
    "sub-folders)."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("results", type=Path, help="results folder, e.g. results/default")
    p.add_argument("--lang", choices=("en", "nl"), default="en", help="language (default en)")
    p.add_argument("--out", type=Path, help="HTML file to write (default RESULTS/report_LANG.html)")


def run(args: argparse.Namespace) -> int:
    from simulation.report.build import ReportError, write_report

    try:
        path = write_report(args.results, args.lang, args.out)
    except ReportError as e:
        raise UsageError(str(e)) from None
    print(f"wrote {path}")
    return EXIT_OK
