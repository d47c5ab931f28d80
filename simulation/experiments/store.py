"""Sweep storage that streams to disk, survives interruption and verifies itself.

Layout of a sweep folder:

    manifest.json             the resolved experiment, seeds, versions, git commit, sessions, counts
    design.parquet            the design points (point_id + parameters)
    catalogue.jsonl           one line per committed batch: its runs, and each part's sha256 and rows
    parts/runs-SSS-NNNNN.parquet     one row per run: ids, ok, error, end outcomes
    parts/weekly-SSS-NNNNN.parquet   weekly series of those runs (if recorded)
    parts/clients-SSS-NNNNN.parquet  client rows of those runs (if recorded)
    parts/index-SSS-NNNNN.parquet    the run index: status, seconds, time finished
    damaged/                  parts a resume found damaged or missing and set aside
    sweep.lock                while a process writes: its pid, host and start time

Finished runs are written in small batches (every few runs or seconds). Each part is written to a
temporary name, flushed to disk and renamed into place; once a batch's parts are durable, a line
with their checksums and row counts is appended to the catalogue. That line is the batch's commit
mark: parts without one were cut off by an interruption and are redone on resume.

Every reader verifies: `load_sweep` refuses a sweep whose parts are missing or differ from their
checksum (unless asked for what is intact), `--resume` sets damaged batches aside in `damaged/` and
reruns exactly their runs, and `snf check` reports it all. Only one process writes a folder at a time
(see `lock`). Nothing but the current batch is held in memory.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shlex
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from simulation.experiments import lock
from simulation.experiments.integrity import (
    CATALOGUE,
    DAMAGED,
    PART,
    STORE_FORMAT,
    Damage,
    Integrity,
    holds_sweep,
    manifest_problem,
    part_order,
    sha256,
    stem_order,
    summarise_damage,
    verify,
)
from simulation.experiments.io import atomic_write, write_json, write_text
from simulation.experiments.runner import RunResult
from simulation.model.outcomes import OUTCOMES
from simulation.provenance import code_fingerprint, manifest_base, now

log = logging.getLogger(__name__)


ID_COLUMNS = ["run_id", "point_id", "strategy", "replication", "seed"]


class StoreError(ValueError):
    """The output folder cannot be used as asked (exists, holds a different sweep, is damaged)."""


class StoreWriteError(StoreError):
    """Writing failed (disk full, read-only, ...); what was committed before stays valid."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.reason = error.strerror or str(error)
        super().__init__(f"could not write {path}: {self.reason}")


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as e:
        raise StoreWriteError(path, e) from e


def require_sweep(folder: Path) -> None:
    """Refuse to resume where there is nothing to resume (rather than quietly starting anew)."""
    folder = Path(folder)
    if not folder.exists():
        raise StoreError(f"--resume: {folder} does not exist; run without --resume to start a new sweep")
    if not holds_sweep(folder):
        raise StoreError(
            f"--resume: {folder} holds no sweep (no manifest.json or parts/); "
            "run without --resume to start one"
        )


def _top_missing(folder: Path) -> Path | None:
    """The outermost folder of `folder`'s path that does not exist yet (None if it exists)."""
    top = None
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            break
        top = candidate
    return top


def _remove_empty(folder: Path, top: Path | None) -> None:
    """Remove the empty folders this process made, from `folder` up to `top`."""
    if top is None:
        return
    for candidate in (folder, *folder.parents):
        try:
            candidate.rmdir()
        except OSError:
            return
        if candidate == top:
            return


@contextmanager
def sweep_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's exclusive lock for the block (creating the folder if needed, and removing it
    again if it is left empty). A second writer gets a StoreError naming the holder."""
    folder = Path(folder)
    top = _top_missing(folder)
    try:
        with _writing(folder):
            folder.mkdir(parents=True, exist_ok=True)
        try:
            command = shlex.join(current_command())
            lock.acquire(folder, command)
        except lock.LockedError as e:
            raise StoreError(str(e)) from None
        except OSError as e:
            raise StoreWriteError(folder / lock.LOCK_NAME, e) from None
    except BaseException:
        _remove_empty(folder, top)
        raise
    try:
        yield
    finally:
        lock.release(folder)
        if not lock.holds(folder):
            _remove_empty(folder, top)


def current_command() -> list[str]:
    """The command being run, as the CLI recorded it for the manifests (empty outside the CLI)."""
    from simulation import provenance

    return list(getattr(provenance, "_COMMAND", None) or [])


def resume_command(folder: Path) -> str:
    """The command that continues this sweep: the one running now, with --resume."""
    words = current_command()
    if not words:
        return f"run the same sweep again with mode 'resume' on {folder}"
    return shlex.join(words if "--resume" in words else [*words, "--resume"])


def _json_line(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), default=str) + "\n"


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_part(path: Path, frame: pd.DataFrame) -> dict[str, Any]:
    """Write one part durably (temporary file, fsync, rename); return its checksum and row count."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    data = buffer.getvalue()
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(frame), "bytes": len(data)}


# --- writing --------------------------------------------------------------------------------------


@dataclass
class SweepStore:
    folder: Path
    manifest: dict[str, Any]
    session: int
    flush_runs: int = 25
    flush_seconds: float = 2.0
    _buffer: list[RunResult] = field(default_factory=list)
    _seq: int = 0
    _last_flush: float = field(default_factory=time.monotonic)
    _committed: dict[int, bool] = field(default_factory=dict)
    _rerun: set[int] = field(default_factory=set)
    _broken: bool = False  # a write failed: nothing more is written but a best-effort manifest
    _locked: bool = False
    done: int = 0
    failed: int = 0

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, experiment: Any, mode: str = "new", **options: Any) -> SweepStore:
        """mode 'new': the folder must hold no sweep; 'resume': verify and repair the sweep in it,
        then continue it (same experiment and code); 'replace': delete a previous sweep and start again.

        The store holds the folder's lock until `close()`."""
        folder = Path(folder)
        if mode == "resume" and not folder.exists():
            require_sweep(folder)  # (whether it holds a sweep is checked under the lock: a folder
            # another sweep is still setting up is refused as being written, not as empty)
        locked = sweep_lock(folder)
        locked.__enter__()
        try:
            store = cls._open_locked(folder, experiment, mode, options)
        except BaseException as e:
            locked.__exit__(type(e), e, e.__traceback__)
            raise
        store._lock_context = locked
        return store

    @classmethod
    def _open_locked(cls, folder: Path, experiment: Any, mode: str, options: dict[str, Any]) -> SweepStore:
        exists = holds_sweep(folder)
        if exists and mode == "new":
            raise StoreError(f"{folder} already holds a sweep; use --resume to continue it, or another --out")
        if mode == "resume":
            if not exists:
                require_sweep(folder)
            return cls._resume(folder, experiment, options)
        try:
            if exists and mode == "replace":
                for name in ("parts", "manifest.json", "design.parquet", CATALOGUE, DAMAGED):
                    target = folder / name
                    with _writing(target):
                        if target.is_dir():
                            shutil.rmtree(target)
                        elif target.exists():
                            target.unlink()
            manifest = {
                **manifest_base(),
                "kind": "sweep",
                "name": experiment.spec.name,
                "description": experiment.spec.description,
                "fingerprint": experiment.fingerprint(),
                "code_fingerprint": code_fingerprint(),
                "root_seed": experiment.spec.seed,
                "experiment": experiment.resolved(),
                "started": now(),
                "store": {"format": STORE_FORMAT, "catalogue": CATALOGUE},
                "sessions": [],
            }
            store = cls(folder=folder, manifest=manifest, session=0, **options)
            with _writing(folder / "parts"):
                (folder / "parts").mkdir(parents=True, exist_ok=True)
            store._write_design(experiment)
            store._rewrite_catalogue(experiment, {})
            store._start_session(experiment)
        except BaseException:
            # nothing half-written: a new sweep that could not start leaves no files behind
            for name in ("parts", "manifest.json", "design.parquet", CATALOGUE):
                target = folder / name
                if target.is_dir():
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    target.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def _resume(cls, folder: Path, experiment: Any, options: dict[str, Any]) -> SweepStore:
        fingerprint, code = experiment.fingerprint(), code_fingerprint()
        integrity = verify(folder)
        notes: list[str] = []
        manifest = integrity.manifest
        recorded = manifest or integrity.catalogue.header
        if recorded is None:
            raise StoreError(
                f"{folder}: manifest.json and {CATALOGUE} are both missing or damaged, so the sweep cannot "
                "be checked against this experiment; start a new sweep in another --out"
            )
        if recorded.get("fingerprint") != fingerprint:
            raise StoreError(
                f"{folder} holds a different experiment (fingerprint {recorded.get('fingerprint')}, "
                f"this one {fingerprint}); choose another --out"
            )
        if recorded.get("code_fingerprint") != code:
            raise StoreError(
                f"{folder} was made by different code (code fingerprint "
                f"{recorded.get('code_fingerprint')}, now {code}); resuming would mix results, "
                "so start a new sweep in another --out"
            )
        if manifest is None:
            manifest = {
                **manifest_base(),
                "kind": "sweep",
                "name": experiment.spec.name,
                "description": experiment.spec.description,
                "fingerprint": fingerprint,
                "code_fingerprint": code,
                "root_seed": experiment.spec.seed,
                "experiment": experiment.resolved(),
                "started": now(),
                "sessions": [],
            }
            notes.append(
                "manifest.json was damaged or missing: rebuilt from the experiment (session history lost)"
            )
        manifest["store"] = {"format": STORE_FORMAT, "catalogue": CATALOGUE}
        # the lock is ours, so a session still marked running was cut off (killed, machine lost)
        for session in manifest.get("sessions", []):
            if session.get("status") == "running":
                session["status"] = "interrupted"
                session.setdefault("note", "the process ended without finishing (marked on resume)")
        seen = [stem_order(s)[0] for s in (*integrity.files, *integrity.catalogue.entries)]
        seen += [part_order(p)[0] for p in (folder / DAMAGED).glob("*.parquet")]
        session = max(len(manifest.get("sessions", [])), 1 + max(seen, default=-1))
        store = cls(folder=folder, manifest=manifest, session=session, **options)
        store._repair(integrity, experiment, notes)
        store._committed = integrity.committed()
        store._rerun = integrity.rerun()
        manifest.pop("counts", None)  # recounted when this session finishes
        for note in notes:
            log.warning("note: %s: %s", folder, note)
        store._start_session(experiment, repairs=notes)
        return store

    def _repair(self, integrity: Integrity, experiment: Any, notes: list[str]) -> None:
        """Set damaged batches aside, drop cut-off ones, and rewrite the catalogue to what is intact."""
        folder = self.folder
        aside = folder / DAMAGED
        for stem, found in integrity.damaged.items():
            runs = {r for d in found for r in d.runs}
            moved = []
            for path in integrity.files.get(stem, {}).values():
                with _writing(aside):
                    aside.mkdir(exist_ok=True)
                    target = aside / path.name
                    if target.exists():
                        target = aside / f"{path.stem}-{int(time.time())}{path.suffix}"
                    os.replace(path, target)
                moved.append(path.name)
            reasons = "; ".join(str(d) for d in found[:3])
            notes.append(
                f"batch {stem} damaged ({reasons}); {len(runs)} run(s) will be rerun"
                + (f"; its parts moved to {DAMAGED}/" if moved else "")
            )
        for stem in integrity.unfinished:
            for path in integrity.files.get(stem, {}).values():
                path.unlink(missing_ok=True)
        for tmp in (*(folder / "parts").glob(".*.tmp"), *folder.glob(".*.tmp")):
            tmp.unlink(missing_ok=True)
        with _writing(folder / "parts"):
            (folder / "parts").mkdir(exist_ok=True)
        for problem in integrity.problems:
            if problem.what == "design.parquet":
                notes.append(f"design.parquet {problem.reason}: rewritten from the experiment")
            elif problem.what == CATALOGUE:
                notes.append(f"{CATALOGUE} {problem.reason}: rebuilt from the intact batches")
            elif problem.what == "manifest.json" and (folder / "manifest.json").exists():
                with _writing(aside):
                    aside.mkdir(exist_ok=True)
                    os.replace(folder / "manifest.json", aside / f"manifest-{int(time.time())}.json")
        if integrity.legacy and integrity.batches:
            n = len(integrity.batches)
            notes.append(f"a sweep from before checksums: {n} batch(es) read and catalogued")
        design_ok = not any(p.what == "design.parquet" for p in integrity.problems)
        if not design_ok or not (folder / "design.parquet").exists():
            self._write_design(experiment)
        self._rewrite_catalogue(experiment, integrity.batches)

    def _write_design(self, experiment: Any) -> None:
        path = self.folder / "design.parquet"
        with _writing(path):
            self._design = _write_part(path, experiment.design)

    def _rewrite_catalogue(self, experiment: Any, batches: dict[str, dict[str, Any]]) -> None:
        path = self.folder / "design.parquet"
        design = getattr(self, "_design", None)
        if design is None:
            with _writing(path):
                rows, size = pq.read_metadata(path).num_rows, path.stat().st_size
                design = {"sha256": sha256(path), "rows": rows, "bytes": size}
        header = {
            "catalogue": STORE_FORMAT,
            "fingerprint": experiment.fingerprint(),
            "code_fingerprint": code_fingerprint(),
            "total_runs": experiment.n_runs,
            "design": design,
        }
        text = "".join(_json_line(line) for line in (header, *batches.values()))
        with _writing(self.folder / CATALOGUE):
            write_text(self.folder / CATALOGUE, text)

    def _start_session(self, experiment: Any, repairs: list[str] | None = None) -> None:
        record: dict[str, Any] = {
            "session": self.session,
            "started": now(),
            "status": "running",
            "pid": os.getpid(),
            "command": shlex.join(current_command()),
        }
        if repairs:
            record["repairs"] = repairs
        self.manifest.setdefault("sessions", []).append(record)
        self.manifest["status"] = "running"
        self.manifest["total_runs"] = experiment.n_runs
        self.write_manifest()

    def close(self) -> None:
        """Give the folder's lock back."""
        context = getattr(self, "_lock_context", None)
        if context is not None:
            self._lock_context = None
            context.__exit__(None, None, None)

    def finished_runs(self, include_failed: bool = True) -> set[int]:
        """Run ids already committed (ok ones, and failed ones unless they are to be retried), less
        the runs of batches a resume found damaged."""
        done = {run for run, ok in self._committed.items() if ok or include_failed}
        return done - self._rerun

    # --- writing ------------------------------------------------------------------------------

    def add(self, result: RunResult) -> None:
        self._buffer.append(result)
        if result.ok:
            self.done += 1
        else:
            self.failed += 1
        if len(self._buffer) >= self.flush_runs or time.monotonic() - self._last_flush >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffered runs as one batch of parts, then commit it with a catalogue line."""
        self._last_flush = time.monotonic()
        if not self._buffer or self._broken:
            return
        batch, self._buffer = self._buffer, []
        stem = f"{self.session:03d}-{self._seq:05d}"
        self._seq += 1
        parts_dir = self.folder / "parts"
        frames: dict[str, pd.DataFrame] = {}
        weekly = [_with_ids(r, r.weekly) for r in batch if r.weekly is not None]
        if weekly:
            frames["weekly"] = pd.concat(weekly, ignore_index=True)
        clients = [_with_ids(r, r.clients) for r in batch if r.clients is not None]
        if clients:
            frames["clients"] = pd.concat(clients, ignore_index=True)
        frames["index"] = pd.DataFrame([_index_row(r, self.session) for r in batch])
        frames["runs"] = pd.DataFrame([_run_row(r) for r in batch])
        parts: dict[str, Any] = {}
        path = parts_dir
        try:
            for table, frame in frames.items():
                path = parts_dir / f"{table}-{stem}.parquet"
                parts[table] = _write_part(path, frame)
            path = parts_dir
            _fsync_dir(parts_dir)  # the renames are durable before the commit line names them
            entry = {
                "batch": stem,
                "runs": [r.task.run_id for r in batch],
                "failed": [r.task.run_id for r in batch if not r.ok],
                "parts": parts,
            }
            path = self.folder / CATALOGUE
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(_json_line(entry))
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as e:
            self._broken = True
            raise StoreWriteError(path, e) from e
        for result in batch:
            self._committed[result.task.run_id] = result.ok
            self._rerun.discard(result.task.run_id)

    def write_manifest(self) -> None:
        path = self.folder / "manifest.json"
        with _writing(path):
            write_json(path, self.manifest)

    @property
    def committed_runs(self) -> int:
        return len(self._committed)

    def finish(self, status: str, counts: dict[str, int]) -> dict[str, Any]:
        """Commit what is buffered and record the session's end. After a failed write only the
        manifest is attempted (best effort): the committed batches stay valid either way."""
        if not self._broken:
            self.flush()
        session = self.manifest["sessions"][-1]
        session.update({"finished": now(), "status": status, **counts})
        self.manifest["status"] = status
        self.manifest["finished"] = now()
        total = self.manifest.get("total_runs", 0)
        ok = sum(self._committed.values())
        self.manifest["counts"] = {
            "total": total,
            "ok": ok,
            "failed": len(self._committed) - ok,
            "missing": total - len(self._committed),
        }
        try:
            self.write_manifest()
        except StoreWriteError:
            if self._broken:
                return self.manifest
            self._broken = True
            raise
        return self.manifest


def _with_ids(result: RunResult, frame: pd.DataFrame) -> pd.DataFrame:
    ids = result.task.describe()
    frame = frame.copy()
    for position, key in enumerate(ID_COLUMNS):
        frame.insert(position, key, ids[key])
    return frame


def _run_row(result: RunResult) -> dict[str, Any]:
    row: dict[str, Any] = {**result.task.describe(), "ok": result.ok, "error": result.error}
    for name in OUTCOMES:
        row[name] = float(result.outcomes.get(name, float("nan")))
    return row


def _index_row(result: RunResult, session: int) -> dict[str, Any]:
    return {
        **result.task.describe(),
        "status": "ok" if result.ok else "failed",
        "seconds": round(result.seconds, 4),
        "finished": now(),
        "session": session,
    }


# --- reading --------------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict[str, Any]:
    manifest, problem = manifest_problem(folder)
    if manifest is None:
        if problem is not None and problem.reason == "missing":
            raise StoreError(f"{folder}: no manifest.json; not a sweep folder")
        raise StoreError(f"{folder}: manifest.json {problem.reason if problem else 'unreadable'}")
    return manifest


def read_parts(
    folder: Path, table: str, columns: list[str] | None = None, batches: set[str] | None = None
) -> pd.DataFrame:
    """Committed parts of one table, in the order they were written, with their `part` stem.

    `batches`: the stems to read (the intact ones, from `verify`); without it, every batch that has
    its runs part."""
    parts_dir = Path(folder) / "parts"
    if batches is None:
        batches = {p.name[len("runs-") : -len(".parquet")] for p in parts_dir.glob("runs-*.parquet")}
    frames = []
    for path in sorted(parts_dir.glob(f"{table}-*.parquet"), key=part_order):
        stem = path.name[len(table) + 1 : -len(".parquet")]
        if not PART.match(path.name) or stem not in batches:
            continue
        frame = pd.read_parquet(path, columns=columns)
        frame["part"] = stem
        frame["part_order"] = [part_order(path)] * len(frame)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=[*(columns or []), "part", "part_order"])
    return pd.concat(frames, ignore_index=True)


@dataclass
class Sweep:
    """A sweep folder opened as tables (each sorted by run_id, one row set per run)."""

    folder: Path
    manifest: dict[str, Any]
    design: pd.DataFrame
    runs: pd.DataFrame
    weekly: pd.DataFrame
    clients: pd.DataFrame
    index: pd.DataFrame
    damage: list[Damage] = field(default_factory=list)  # what was left out (allow_partial only)

    @property
    def outcomes(self) -> list[str]:
        return [c for c in self.runs.columns if c in OUTCOMES]

    def runs_long(self, ok_only: bool = True) -> pd.DataFrame:
        """One row per run and outcome: run_id, point_id, strategy, replication, seed, outcome, value."""
        runs = self.runs[self.runs["ok"]] if ok_only else self.runs
        return (
            runs.melt(id_vars=ID_COLUMNS, value_vars=self.outcomes, var_name="outcome")
            .sort_values(["run_id"], kind="stable")
            .reset_index(drop=True)
        )

    def with_design(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A table joined with the design parameters of each run's point."""
        return frame.merge(self.design, on="point_id", how="left")


def load_sweep(folder: Path | str, allow_partial: bool = False) -> Sweep:
    """Open a sweep folder as pandas tables: runs, weekly series, clients, design, run index.

    Every part is verified first; a sweep with missing or damaged parts is refused (StoreError) unless
    `allow_partial`, which opens the intact batches and lists the rest in `Sweep.damage`."""
    folder = Path(folder)
    if not holds_sweep(folder):
        raise StoreError(f"{folder}: no manifest.json; not a sweep folder")
    integrity = verify(folder)
    if integrity.manifest is None:
        damage = next(d for d in integrity.problems if d.what == "manifest.json")
        raise StoreError(
            f"{folder}: manifest.json {damage.reason}; resuming the sweep (--resume) rebuilds it"
        )
    if not integrity.intact and not allow_partial:
        raise StoreError(
            f"{folder}: {summarise_damage(integrity)}. `snf check {folder}` lists them; resuming the sweep "
            "(--resume) reruns their runs; load_sweep(..., allow_partial=True) opens the intact rest"
        )
    try:
        design = pd.read_parquet(folder / "design.parquet")
    except Exception as e:
        if not allow_partial:
            raise StoreError(f"{folder}: design.parquet unreadable ({str(e)[:80]})") from None
        design = pd.DataFrame({"point_id": []})
    stems = set(integrity.batches)
    runs = read_parts(folder, "runs", batches=stems)
    # a run retried later (--retry-failed) appears twice: the last committed row wins
    runs = runs.sort_values(["run_id", "part_order"], kind="stable").drop_duplicates("run_id", keep="last")
    chosen = runs[["run_id", "part"]]

    def table(name: str, order: list[str]) -> pd.DataFrame:
        frame = read_parts(folder, name, batches=stems)
        if frame.empty:
            return pd.DataFrame()
        frame = frame.drop(columns="part_order").merge(chosen, on=["run_id", "part"], how="inner")
        frame = frame.drop(columns="part")
        return frame.sort_values(order, kind="stable").reset_index(drop=True)

    weekly = table("weekly", ["run_id", "week"])
    clients = table("clients", ["run_id", "client"])
    index = table("index", ["run_id"])
    runs = runs.drop(columns=["part", "part_order"]).reset_index(drop=True)
    return Sweep(folder, integrity.manifest, design, runs, weekly, clients, index, integrity.damages())
