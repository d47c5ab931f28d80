"""An exclusive lock on a sweep folder, so two writers never interleave their parts.

The lock is a file `sweep.lock` in the folder, held with `flock` by the live process for as long as
it writes, and holding that process's pid, host and start time for the message a second writer gets.
A lock file left by a process that is gone (killed, machine restarted) is stale: the next writer on
the same host takes it over and says so. A lock from another host is never taken over, because its
process cannot be seen from here; the message says how to remove it by hand.

The lock is re-entrant within one process: a command that runs a sweep and then writes its own
tables (`snf compare`) holds it around both.
"""

from __future__ import annotations

import errno
import fcntl
import json
import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulation.provenance import now

LOCK_NAME = "sweep.lock"
log = logging.getLogger(__name__)


class LockedError(ValueError):
    """Another live process writes to this folder."""


@dataclass
class _Held:
    fd: int
    path: Path
    depth: int = 1


_HELD: dict[Path, _Held] = {}


def _process_start(pid: int) -> str | None:
    """The start time of a process in clock ticks since boot (Linux), to tell a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


def _alive(pid: int, start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: it exists
    if start is not None:
        current = _process_start(pid)
        if current is not None and current != start:
            return False  # the pid was reused by a later process
    return True


def read_lock(folder: Path) -> dict[str, Any] | None:
    """The holder recorded in a folder's lock file (None if there is none or it is unreadable)."""
    try:
        data = json.loads((Path(folder) / LOCK_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def describe(holder: dict[str, Any]) -> str:
    text = f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"
    return text + (f", running `{holder['command']}`" if holder.get("command") else "")


def holder_is_live(holder: dict[str, Any]) -> bool:
    """Whether the process a lock file names may still run (always assumed so on another host)."""
    if holder.get("host") != socket.gethostname():
        return True
    try:
        pid = int(holder.get("pid", -1))
    except (TypeError, ValueError):
        return False
    # our own pid in a lock we do not hold: left by an earlier process that had it (pids are reused)
    return pid > 0 and pid != os.getpid() and _alive(pid, holder.get("pid_start"))


def _refuse(folder: Path, holder: dict[str, Any] | None) -> LockedError:
    who = describe(holder) if holder else "another process"
    hint = "wait for it to finish, or write to another --out"
    if holder and holder.get("host") != socket.gethostname():
        hint += f"; if that process is gone, delete {folder / LOCK_NAME}"
    return LockedError(f"{folder} is being written by another sweep ({who}); {hint}")


def acquire(folder: Path, command: str = "") -> None:
    """Take the folder's lock or raise LockedError; OSError if the lock file cannot be written."""
    shown, folder = Path(folder), Path(folder).resolve()
    held = _HELD.get(folder)
    if held is not None:
        held.depth += 1
        return
    path = folder / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            os.close(fd)
            if e.errno in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                raise _refuse(shown, read_lock(folder)) from None
            raise
        try:
            same_file = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        os.close(fd)  # the previous holder removed the file between our open and flock: try again
    previous = read_lock(folder)
    if previous and holder_is_live(previous):
        os.close(fd)
        raise _refuse(shown, previous)
    if previous:
        log.warning(
            "note: %s: took over a stale lock (%s): that process is gone; the sweep is checked first",
            shown,
            describe(previous),
        )
    pid = os.getpid()
    record = {
        "pid": pid,
        "pid_start": _process_start(pid),
        "host": socket.gethostname(),
        "started": now(),
        "command": command,
    }
    try:
        data = (json.dumps(record) + "\n").encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        os.fsync(fd)
    except BaseException:
        path.unlink(missing_ok=True)  # ours (we hold it): leave no empty lock file behind
        os.close(fd)
        raise
    _HELD[folder] = _Held(fd=fd, path=path)


def release(folder: Path) -> None:
    """Give the lock back (the outermost release removes the lock file)."""
    folder = Path(folder).resolve()
    held = _HELD.get(folder)
    if held is None:
        return
    held.depth -= 1
    if held.depth > 0:
        return
    del _HELD[folder]
    try:
        held.path.unlink(missing_ok=True)  # while still holding it, so no one takes a file about to go
    finally:
        os.close(held.fd)


def holds(folder: Path) -> bool:
    return Path(folder).resolve() in _HELD


@contextmanager
def folder_lock(folder: Path, command: str = "") -> Iterator[None]:
    """Hold the folder's lock for the block (creating the folder's lock file, not the folder)."""
    acquire(folder, command)
    try:
        yield
    finally:
        release(folder)
