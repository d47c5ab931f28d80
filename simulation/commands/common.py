"""Shared by the command modules: errors for bad input, output folders, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from tqdm import tqdm

from simulation.model.parameters import ScenarioParams
from simulation.model.strategies import strategy_names


class UsageError(ValueError):
    """Bad input from the user: reported in one line, exit status 2, nothing written."""


def check_strategies(names: list[str], scenario: ScenarioParams) -> list[str]:
    known = strategy_names(scenario)
    if not names:
        raise UsageError("no strategies given")
    unknown = [n for n in names if n not in known]
    if unknown:
        raise UsageError(
            f"unknown strategy {', '.join(repr(u) for u in unknown)}; available: {', '.join(known)}"
        )
    if len(set(names)) != len(names):
        raise UsageError(f"a strategy is listed twice: {', '.join(names)}")
    return names


def shown(path: Path | str, limit: int = 80) -> str:
    """A path as a message shows it: long ones cut in the middle, so a message stays one short line."""
    text = str(path)
    return text if len(text) <= limit else f"{text[: limit // 2 - 1]}...{text[-(limit // 2 - 2) :]}"


def prepare_out(path: Path, create: bool = True) -> Path:
    """Check an output folder can be used, and create it (unless `create` is False: a sweep makes
    its own folder once it has the lock, so a refused or unreachable run leaves none behind)."""
    text = str(path)
    if "\0" in text:
        raise UsageError("--out: the path holds a NUL character")
    try:
        if path.exists() and not path.is_dir():
            raise UsageError(f"--out {shown(path)}: exists and is not a folder")
        for parent in path.parents:
            if parent.exists():
                if not parent.is_dir():
                    raise UsageError(f"--out {shown(path)}: {shown(parent)} is a file, not a folder")
                break
        if create:
            path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out {shown(path)}: {e.strerror or e}") from None
    return path


def progress[T](items: Iterable[T], total: int, desc: str, quiet: bool = False) -> Iterator[T]:
    """A progress bar with ETA on a terminal; silent otherwise or when quiet."""
    disable = quiet or not sys.stderr.isatty()
    yield from tqdm(items, total=total, desc=desc, disable=disable, unit="run", smoothing=0.1)


def unknown_name(kind: str, name: str, known: list[str], where: str) -> str:
    """A short message for a name that is not one of `known`: close matches, and where the list is
    (the full list of outcomes is over a thousand characters: too long for one message)."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"unknown {kind} {name[:80]!r}{hint} ({len(known)} {kind}s: {where})"
