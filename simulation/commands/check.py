"""`snf check DIR`: is a sweep folder whole? Every part against its checksum and row count.

Exit status: 0 intact (complete or not), 1 damaged or missing parts, 2 not a sweep folder.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from simulation.experiments import lock
from simulation.experiments.integrity import Integrity, holds_sweep, verify

HELP = "check a sweep folder: every part against its checksum (exit 0 intact, 1 damaged, 2 not a sweep)"
DESCRIPTION = (
    "Verify a sweep folder (from snf sweep, compare or an analysis): the manifest, the design and every "
    "part against the checksum and row count recorded when it was committed. Reports what is damaged or "
    "missing and how to repair it. Exit status 0 intact, 1 damaged, 2 not a sweep folder."
)
EXIT_INTACT, EXIT_DAMAGED, EXIT_NOT_A_SWEEP = 0, 1, 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", type=Path, help="the sweep folder (holding manifest.json and parts/)")
    parser.set_defaults(handler=run)


def _resume_hint(integrity: Integrity) -> str:
    """The command that made the sweep, pointed at this folder, with --resume."""
    sessions = (integrity.manifest or {}).get("sessions") or [{}]
    command = str(sessions[-1].get("command") or (integrity.manifest or {}).get("command") or "")
    try:
        words = [w for w in shlex.split(command) if w != "--resume"]
    except ValueError:
        words = []
    if words[:1] != ["snf"]:
        return f"`snf sweep EXPERIMENT --out {integrity.folder} --resume` (the command that made it)"
    if "--out" in words[:-1]:
        words[words.index("--out") + 1] = str(integrity.folder)
    return f"`{shlex.join([*words, '--resume'])}`"


def report(integrity: Integrity) -> list[str]:
    """The lines `snf check` prints."""
    folder, manifest = integrity.folder, integrity.manifest or {}
    committed = integrity.committed()
    total = manifest.get("total_runs") or (integrity.catalogue.header or {}).get("total_runs")
    name = f"sweep '{manifest['name']}'" if manifest.get("name") else "sweep"
    of_total = f" of {total}" if total else ""
    lines = [
        f"{folder}: {name}, {len(committed)}{of_total} runs committed in {len(integrity.batches)} intact "
        f"batch(es); status {manifest.get('status', 'unknown')}"
    ]
    holder = lock.read_lock(folder)
    if holder and lock.holder_is_live(holder):
        lines.append(f"being written now by {lock.describe(holder)}: what follows may change")
    elif any(s.get("status") == "running" for s in manifest.get("sessions", [])):
        lines.append("a session was cut off (its process is gone): --resume continues the sweep")
    if integrity.unfinished:
        lines.append(
            f"{len(integrity.unfinished)} batch(es) cut off while being written (never committed): "
            "redone on resume"
        )
    if integrity.legacy:
        lines.append("written before parts carried checksums: parts checked by reading them")
    if integrity.intact:
        lines.append("intact: every part matches its recorded checksum and row count")
        return lines
    damages = integrity.damages()
    lines.append(f"DAMAGED: {len(damages)} file(s) damaged or missing")
    lines += [f"  {d}" for d in damages[:20]]
    if len(damages) > 20:
        lines.append(f"  ... and {len(damages) - 20} more")
    if integrity.damaged:
        what = (
            f"damaged batches are set aside in {folder / 'damaged'} and their "
            f"{len(integrity.rerun())} run(s) rerun"
        )
    else:
        what = "the damaged files are rebuilt, no run is redone"
    lines.append(f"repair with {_resume_hint(integrity)}: {what}")
    return lines


def run(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not folder.is_dir() or not holds_sweep(folder):
        reason = "does not exist" if not folder.exists() else "holds no manifest.json, catalogue or parts/"
        print(f"snf check: {folder} is not a sweep folder ({reason})", file=sys.stderr)
        return EXIT_NOT_A_SWEEP
    integrity = verify(folder)
    print("\n".join(report(integrity)))
    return EXIT_INTACT if integrity.intact else EXIT_DAMAGED
