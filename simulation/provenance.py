"""What a result needs to be reproduced and cited: versions, git commit, command, times."""

from __future__ import annotations

import functools
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGES = (
    "snf-simulation",
    "mesa",
    "numpy",
    "scipy",
    "pandas",
    "networkx",
    "pydantic",
    "pyarrow",
    "matplotlib",
    "seaborn",
)


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_commit(folder: Path | None = None) -> dict[str, Any] | None:
    """The commit of the code that ran, and whether it had uncommitted changes; None outside git."""
    folder = folder or Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "uncommitted_changes": bool(dirty)}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_COMMAND: list[str] | None = None


def set_command(command: list[str]) -> None:
    """Record the command being run (the CLI calls this), for every manifest it writes."""
    global _COMMAND
    _COMMAND = list(command)


def manifest_base(command: list[str] | None = None) -> dict[str, Any]:
    command = command if command is not None else (_COMMAND if _COMMAND is not None else sys.argv)
    return {
        "command": " ".join(command),
        "versions": versions(),
        "git": git_commit(),
        "platform": platform.platform(),
    }


#: the code a run's results depend on: the model, and the runner that builds and runs it
RESULT_CODE = ("model", "experiments/runner.py", "experiments/seeds.py")


@functools.cache
def code_fingerprint() -> str:
    """A hash of the source files that decide a run's results (the model and the runner), so results
    made by different code never mix on resume; editing plots, reports or the app does not count."""
    import hashlib

    root = Path(__file__).resolve().parent
    files: list[Path] = []
    for part in RESULT_CODE:
        path = root / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
