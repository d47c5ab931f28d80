"""`snf app`: the interactive page (Mesa SolaraViz) served on this machine."""

from __future__ import annotations

import argparse

from simulation.commands.common import UsageError

HELP = "the interactive page in the browser (solara), served on 127.0.0.1"
DESCRIPTION = (
    "Serve the interactive page: choose scenario and strategy, move the main knobs, watch "
    "the open shelter (clients' networks, exits by route, support) week by week. Stop with Ctrl-C."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    p.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the page in the default browser")


def run(args: argparse.Namespace) -> int:
    from simulation.app.server import serve

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port {args.port}: must be between 0 and 65535")
    return serve(host=args.host, port=args.port, open_browser=args.open)
