"""Is a sweep folder whole? The folder's layout, its catalogue of part checksums, and `verify`.

A batch of runs is committed when its line in `catalogue.jsonl` (each part's sha256, row count and
size, and the runs it holds) is on disk. `verify` reads and hashes every part and sorts the batches
into intact ones, damaged ones (a part missing, cut short, changed, or a part the catalogue does not
know of), and at most one per session cut off while being written (never committed: not damage).
It writes nothing; the store repairs on resume, `load_sweep` refuses, `snf check` reports.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

TABLES = ("runs", "weekly", "clients", "index")
PART = re.compile(r"^(runs|weekly|clients|index)-(\d{3,})-(\d{5,})\.parquet$")
CATALOGUE = "catalogue.jsonl"
DAMAGED = "damaged"
#: version of the folder layout; sweeps without it were written before parts carried checksums
STORE_FORMAT = 2


def stem_order(stem: str) -> tuple[int, int]:
    session, seq = stem.split("-")
    return int(session), int(seq)


def part_order(path: Path) -> tuple[int, int]:
    """(session, batch) of a part file, for ordering parts as they were written."""
    m = PART.match(path.name)
    return (int(m.group(2)), int(m.group(3))) if m else (-1, -1)


def sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def holds_sweep(folder: Path) -> bool:
    folder = Path(folder)
    return any((folder / name).exists() for name in ("manifest.json", "parts", CATALOGUE))


# --- the catalogue --------------------------------------------------------------------------------


@dataclass
class Catalogue:
    """What catalogue.jsonl says: a header, and one entry per committed batch in the order written."""

    header: dict[str, Any] | None = None
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    unreadable_lines: list[int] = field(default_factory=list)
    torn_tail: bool = False  # the last line was cut off while being written: not a commit
    exists: bool = False


def read_catalogue(folder: Path) -> Catalogue:
    path = Path(folder) / CATALOGUE
    cat = Catalogue()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return cat
    except OSError:
        cat.exists = True
        cat.unreadable_lines.append(0)
        return cat
    cat.exists = True
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty unless a line was cut off
    if tail.strip():
        cat.torn_tail = True
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
            if not isinstance(entry, dict):
                raise ValueError
            if "batch" in entry:
                stem = str(entry["batch"])
                stem_order(stem)
                if not isinstance(entry.get("parts"), dict) or not isinstance(entry.get("runs"), list):
                    raise ValueError
                cat.entries[stem] = entry
            elif "catalogue" in entry:
                cat.header = entry
            else:
                raise ValueError
        except (ValueError, TypeError):
            cat.unreadable_lines.append(number)
    return cat


# --- verifying ------------------------------------------------------------------------------------


@dataclass
class Damage:
    """One thing wrong with a sweep folder, in words a user can act on."""

    what: str  # a path relative to the folder
    reason: str
    runs: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        runs = f" [{len(self.runs)} run(s)]" if self.runs else ""
        return f"{self.what}: {self.reason}{runs}"


@dataclass
class Integrity:
    """The state of a sweep folder, as found by `verify`."""

    folder: Path
    manifest: dict[str, Any] | None
    catalogue: Catalogue
    legacy: bool  # written before parts carried checksums: verified by reading them
    batches: dict[str, dict[str, Any]]  # intact batches, in the order written
    damaged: dict[str, list[Damage]]  # batches set aside on resume, and why
    unfinished: list[str]  # batches cut off while being written (redone on resume, not damage)
    problems: list[Damage]  # manifest, design, catalogue, counts
    files: dict[str, dict[str, Path]]  # every part on disk, by batch and table

    @property
    def intact(self) -> bool:
        return not self.damaged and not self.problems

    def damages(self) -> list[Damage]:
        return [*self.problems, *(d for found in self.damaged.values() for d in found)]

    def committed(self) -> dict[int, bool]:
        """Each committed run and whether its last committed row is ok."""
        status: dict[int, bool] = {}
        for entry in self.batches.values():
            failed = set(entry.get("failed", []))
            for run in entry["runs"]:
                status[int(run)] = int(run) not in failed
        return status

    def rerun(self) -> set[int]:
        """The runs held by damaged batches: a resume redoes exactly these (and any never run)."""
        return {run for found in self.damaged.values() for d in found for run in d.runs}


def manifest_problem(folder: Path) -> tuple[dict[str, Any] | None, Damage | None]:
    path = Path(folder) / "manifest.json"
    if not path.exists():
        return None, Damage("manifest.json", "missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        reason = e.strerror if isinstance(e, OSError) else f"not valid JSON ({str(e)[:80]})"
        return None, Damage("manifest.json", f"damaged: {reason}")
    if not isinstance(data, dict) or "fingerprint" not in data:
        return None, Damage("manifest.json", "damaged: not a sweep manifest")
    return data, None


def _files_on_disk(folder: Path) -> dict[str, dict[str, Path]]:
    files: dict[str, dict[str, Path]] = {}
    parts = Path(folder) / "parts"
    if parts.is_dir():
        for path in parts.iterdir():
            m = PART.match(path.name)
            if m:
                files.setdefault(f"{m.group(2)}-{m.group(3)}", {})[m.group(1)] = path
    return dict(sorted(files.items(), key=lambda item: stem_order(item[0])))


def _runs_in(path: Path | None) -> list[int]:
    """The run ids a runs part holds, if it can still be read (for a batch the catalogue lost)."""
    if path is None:
        return []
    try:
        return [int(x) for x in pd.read_parquet(path, columns=["run_id"])["run_id"]]
    except Exception:
        return []


def _adopt(stem: str, files: dict[str, Path]) -> tuple[dict[str, Any] | None, str]:
    """A catalogue entry for a batch of a sweep written before checksums, if every part reads."""
    if "runs" not in files:
        return None, "no runs part"
    parts = {}
    runs: pd.DataFrame | None = None
    for table, path in files.items():
        try:
            frame = pd.read_parquet(path)
        except Exception:
            return None, f"{table} part unreadable"
        if table == "runs":
            runs = frame
        parts[table] = {"sha256": sha256(path), "rows": len(frame), "bytes": path.stat().st_size}
    assert runs is not None
    entry = {
        "batch": stem,
        "runs": [int(x) for x in runs["run_id"]],
        "failed": [int(x) for x in runs.loc[~runs["ok"].astype(bool), "run_id"]],
        "parts": parts,
    }
    return entry, ""


def _check_part(path: Path | None, recorded: dict[str, Any]) -> str:
    """Why a part does not match its catalogue record ('' if it does)."""
    if path is None or not path.exists():
        return "missing"
    try:
        if path.stat().st_size != recorded.get("bytes", path.stat().st_size):
            return f"{path.stat().st_size} bytes, {recorded['bytes']} recorded (truncated or changed)"
        if sha256(path) != recorded.get("sha256"):
            return "checksum differs from the one recorded (changed or damaged)"
        rows = pq.read_metadata(path).num_rows
    except Exception as e:
        return f"unreadable ({str(e)[:80]})"
    if rows != recorded.get("rows"):
        return f"{rows} rows, {recorded.get('rows')} recorded"
    return ""


def verify(folder: Path) -> Integrity:
    """Check every part of a sweep folder against the catalogue (reading, hashing; writing nothing)."""
    folder = Path(folder)
    manifest, manifest_damage = manifest_problem(folder)
    problems = [manifest_damage] if manifest_damage and holds_sweep(folder) else []
    cat = read_catalogue(folder)
    legacy = not cat.exists and manifest is not None and "store" not in manifest
    files = _files_on_disk(folder)
    batches: dict[str, dict[str, Any]] = {}
    damaged: dict[str, list[Damage]] = {}
    unfinished: list[str] = []

    if cat.exists and cat.unreadable_lines:
        lines = ", ".join(map(str, cat.unreadable_lines[:5]))
        problems.append(Damage(CATALOGUE, f"unreadable line(s) {lines}"))
    if not cat.exists and not legacy and (files or manifest is not None):
        problems.append(Damage(CATALOGUE, "missing: the parts cannot be verified"))

    for stem, entry in cat.entries.items():
        found = []
        for table, recorded in entry["parts"].items():
            reason = _check_part(files.get(stem, {}).get(table), recorded)
            if reason:
                found.append(Damage(f"parts/{table}-{stem}.parquet", reason, [int(r) for r in entry["runs"]]))
        for table in files.get(stem, {}):
            if table not in entry["parts"]:
                found.append(Damage(f"parts/{table}-{stem}.parquet", "not in the catalogue", entry["runs"]))
        if found:
            damaged[stem] = found
        else:
            batches[stem] = entry

    recorded_sessions = (manifest or {}).get("sessions", [])
    sessions = {int(s.get("session", -1)): s for s in recorded_sessions if isinstance(s, dict)}
    for stem in (s for s in files if s not in cat.entries):
        session, seq = stem_order(stem)
        if legacy:
            entry, why = _adopt(stem, files[stem])
            if entry is not None:
                batches[stem] = entry
                continue
            if why == "no runs part" and stem == _last_stem(files, session):
                unfinished.append(stem)
            else:
                damaged[stem] = [Damage(f"parts/{t}-{stem}.parquet", why) for t in files[stem]]
            continue
        finished = str(sessions.get(session, {}).get("status", "")).startswith("complete")
        later = all(stem_order(s)[1] < seq for s in cat.entries if stem_order(s)[0] == session)
        if not finished and later and stem == _last_stem(files, session):
            unfinished.append(stem)  # the batch being written when the process stopped
        else:
            runs = _runs_in(files[stem].get("runs"))
            lost = "not in the catalogue"
            damaged[stem] = [Damage(f"parts/{t}-{stem}.parquet", lost, runs) for t in files[stem]]
    batches = dict(sorted(batches.items(), key=lambda item: stem_order(item[0])))

    design = folder / "design.parquet"
    recorded = (cat.header or {}).get("design")
    if manifest is not None or cat.exists:
        if not design.exists():
            problems.append(Damage("design.parquet", "missing"))
        elif recorded:
            reason = _check_part(design, recorded)
            if reason:
                problems.append(Damage("design.parquet", reason))
        else:
            try:
                pq.read_metadata(design)
            except Exception as e:
                problems.append(Damage("design.parquet", f"unreadable ({str(e)[:80]})"))

    counts = (manifest or {}).get("counts") or {}
    if manifest and str(manifest.get("status", "")).startswith("complete") and counts:
        catalogued = {int(r) for e in cat.entries.values() for r in e["runs"]} if not legacy else set()
        expected = int(counts.get("ok", 0)) + int(counts.get("failed", 0))
        if not legacy and len(catalogued) < expected:
            problems.append(
                Damage(CATALOGUE, f"lists {len(catalogued)} runs, the manifest counts {expected} committed")
            )
    return Integrity(folder, manifest, cat, legacy, batches, damaged, unfinished, problems, files)


def _last_stem(files: dict[str, dict[str, Path]], session: int) -> str:
    return max((s for s in files if stem_order(s)[0] == session), key=stem_order)


def summarise_damage(integrity: Integrity, limit: int = 3) -> str:
    damages = integrity.damages()
    shown = "; ".join(str(d) for d in damages[:limit])
    more = f"; and {len(damages) - limit} more" if len(damages) > limit else ""
    return f"{len(damages)} damaged or missing file(s): {shown}{more}"
