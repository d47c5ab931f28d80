"""Sweep storage that streams to disk and survives interruption.

Layout of a sweep folder:

    manifest.json             the resolved experiment, seeds, versions, git commit, sessions, counts
    design.parquet            the design points (point_id + parameters)
    parts/runs-SSS-NNNNN.parquet     one row per run: ids, ok, error, end outcomes
    parts/weekly-SSS-NNNNN.parquet   weekly series of those runs (if recorded)
    parts/clients-SSS-NNNNN.parquet  client rows of those runs (if recorded)
    parts/index-SSS-NNNNN.parquet    the run index: status, seconds, time finished

Finished runs are written in small parts (every few runs or seconds), each file written to a
temporary name and renamed into place, so an interruption never leaves a half-written file. The
`runs` part is written last and is the commit mark of its batch: a batch without it is discarded
and rerun on resume. Nothing but the current batch is held in memory.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.experiments.io import write_json, write_parquet
from simulation.experiments.runner import RunResult
from simulation.model.outcomes import OUTCOMES
from simulation.provenance import code_fingerprint, manifest_base, now

TABLES = ("runs", "weekly", "clients", "index")
PART = re.compile(r"^(runs|weekly|clients|index)-(\d{3,})-(\d{5,})\.parquet$")


def _part_order(path: Path) -> tuple[int, int]:
    """(session, batch) of a part file, for ordering parts as they were written."""
    m = PART.match(path.name)
    return (int(m.group(2)), int(m.group(3))) if m else (-1, -1)


ID_COLUMNS = ["run_id", "point_id", "strategy", "replication", "seed"]


class StoreError(ValueError):
    """The output folder cannot be used as asked (exists, or holds a different sweep)."""


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
    done: int = 0
    failed: int = 0

    # --- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, experiment: Any, mode: str = "new", **options: Any) -> SweepStore:
        """mode 'new': the folder must hold no sweep; 'resume': continue the sweep in it (same
        experiment and code); 'replace': delete a previous sweep in it and start again."""
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        exists = manifest_path.exists() or (folder / "parts").exists()
        fingerprint = experiment.fingerprint()
        code = code_fingerprint()
        if exists and mode == "new":
            raise StoreError(f"{folder} already holds a sweep; use --resume to continue it, or another --out")
        if mode == "resume" and exists:
            manifest = read_manifest(folder)
            if manifest.get("fingerprint") != fingerprint:
                raise StoreError(
                    f"{folder} holds a different experiment (fingerprint {manifest.get('fingerprint')}, "
                    f"this one {fingerprint}); choose another --out"
                )
            if manifest.get("code_fingerprint") != code:
                raise StoreError(
                    f"{folder} was made by different code (code fingerprint "
                    f"{manifest.get('code_fingerprint')}, now {code}); resuming would mix results, "
                    "so start a new sweep in another --out"
                )
            session = len(manifest.get("sessions", []))
        else:
            if exists and mode == "replace":
                for name in ("parts", "manifest.json", "design.parquet"):
                    target = folder / name
                    if target.is_dir():
                        shutil.rmtree(target)
                    elif target.exists():
                        target.unlink()
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
            session = 0
        (folder / "parts").mkdir(parents=True, exist_ok=True)
        resuming = mode == "resume" and exists
        if not resuming or not (folder / "design.parquet").exists():
            write_parquet(folder / "design.parquet", experiment.design)
        store = cls(folder=folder, manifest=manifest, session=session, **options)
        store.discard_uncommitted()
        manifest.setdefault("sessions", []).append(
            {"session": session, "started": now(), "status": "running", "pid": os.getpid()}
        )
        manifest["status"] = "running"
        manifest["total_runs"] = experiment.n_runs
        store.write_manifest()
        return store

    def discard_uncommitted(self) -> None:
        """Remove parts of a batch whose runs part (the commit mark) was never written."""
        committed = {(m.group(2), m.group(3)) for m in self._parts("runs")}
        for table in ("weekly", "clients", "index"):
            for m in self._parts(table):
                if (m.group(2), m.group(3)) not in committed:
                    (self.folder / "parts" / m.group(0)).unlink(missing_ok=True)
        for tmp in (self.folder / "parts").glob(".*.tmp"):
            tmp.unlink(missing_ok=True)

    def _parts(self, table: str) -> list[re.Match[str]]:
        out = []
        for path in sorted((self.folder / "parts").glob(f"{table}-*.parquet"), key=_part_order):
            m = PART.match(path.name)
            if m:
                out.append(m)
        return out

    def finished_runs(self, include_failed: bool = True) -> set[int]:
        """Run ids already on disk (ok ones, and failed ones unless they are to be retried)."""
        runs = read_parts(self.folder, "runs", columns=["run_id", "ok"])
        if runs.empty:
            return set()
        if not include_failed:
            runs = runs[runs["ok"]]
        return set(int(x) for x in runs["run_id"])

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
        """Write the buffered runs as one batch of parts; the runs part goes last."""
        self._last_flush = time.monotonic()
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, []
        stem = f"{self.session:03d}-{self._seq:05d}"
        self._seq += 1
        parts = self.folder / "parts"
        weekly = [_with_ids(r, r.weekly) for r in batch if r.weekly is not None]
        if weekly:
            write_parquet(parts / f"weekly-{stem}.parquet", pd.concat(weekly, ignore_index=True))
        clients = [_with_ids(r, r.clients) for r in batch if r.clients is not None]
        if clients:
            write_parquet(parts / f"clients-{stem}.parquet", pd.concat(clients, ignore_index=True))
        write_parquet(
            parts / f"index-{stem}.parquet", pd.DataFrame([_index_row(r, self.session) for r in batch])
        )
        write_parquet(parts / f"runs-{stem}.parquet", pd.DataFrame([_run_row(r) for r in batch]))

    def write_manifest(self) -> None:
        write_json(self.folder / "manifest.json", self.manifest)

    def finish(self, status: str, counts: dict[str, int]) -> dict[str, Any]:
        self.flush()
        session = self.manifest["sessions"][-1]
        session.update({"finished": now(), "status": status, **counts})
        self.manifest["status"] = status
        self.manifest["finished"] = now()
        runs = read_parts(self.folder, "runs", columns=["run_id", "ok"]).drop_duplicates(
            "run_id", keep="last"
        )
        self.manifest["counts"] = {
            "total": self.manifest.get("total_runs", 0),
            "ok": int(runs["ok"].sum()) if len(runs) else 0,
            "failed": int((~runs["ok"]).sum()) if len(runs) else 0,
            "missing": self.manifest.get("total_runs", 0) - len(runs),
        }
        self.write_manifest()
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
    import json

    path = Path(folder) / "manifest.json"
    if not path.exists():
        raise StoreError(f"{folder}: no manifest.json; not a sweep folder")
    return json.loads(path.read_text(encoding="utf-8"))


def read_parts(folder: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    """All committed parts of one table, in the order they were written, with their `part` stem."""
    parts_dir = Path(folder) / "parts"
    committed = {p.name[len("runs-") :] for p in parts_dir.glob("runs-*.parquet")}
    frames = []
    for path in sorted(parts_dir.glob(f"{table}-*.parquet"), key=_part_order):
        suffix = path.name[len(table) + 1 :]
        if not PART.match(path.name) or suffix not in committed:
            continue
        frame = pd.read_parquet(path, columns=columns)
        frame["part"] = suffix.removesuffix(".parquet")
        frame["part_order"] = [_part_order(path)] * len(frame)
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


def load_sweep(folder: Path | str) -> Sweep:
    """Open a sweep folder as pandas tables: runs, weekly series, clients, design, run index."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    design = pd.read_parquet(folder / "design.parquet")
    runs = read_parts(folder, "runs")
    # a run retried later (--retry-failed) appears twice: the last committed row wins
    runs = runs.sort_values(["run_id", "part_order"], kind="stable").drop_duplicates("run_id", keep="last")
    chosen = runs[["run_id", "part"]]

    def table(name: str, order: list[str]) -> pd.DataFrame:
        frame = read_parts(folder, name)
        if frame.empty:
            return pd.DataFrame()
        frame = frame.drop(columns="part_order").merge(chosen, on=["run_id", "part"], how="inner")
        frame = frame.drop(columns="part")
        return frame.sort_values(order, kind="stable").reset_index(drop=True)

    weekly = table("weekly", ["run_id", "week"])
    clients = table("clients", ["run_id", "client"])
    index = table("index", ["run_id"])
    runs = runs.drop(columns=["part", "part_order"]).reset_index(drop=True)
    return Sweep(folder, manifest, design, runs, weekly, clients, index)
