"""What `snf report` reads, checked before anything is drawn: one message per problem, never a
traceback and never a report over tables that do not belong together.

A results folder holds a comparison (manifest.json, summary.csv, weekly.csv) and perhaps analysis
sub-folders, each with its manifest and tables. Refused here: a manifest that is damaged or not a
comparison's, a table that is empty, unreadable or from another tool, an analysis folder missing
its tables, tables from another run than the manifest (the manifest records each table's digest;
without digests, the strategies and replications must agree; an analysis whose manifest says it ran
over posterior draws must have the draws' columns), and an `--out` that would overwrite one of the
inputs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.experiments.io import file_digest
from simulation.model.parameters import excerpt, shorten

#: the tables of a comparison and the columns the report reads from them
COMPARISON_TABLES = {
    "summary.csv": ["strategy", "outcome", "mean", "ci_low", "ci_high", "diff_vs_baseline"],
    "weekly.csv": ["strategy", "replication", "week"],
}
#: each analysis (by its manifest's `kind`) and its tables with the columns the report reads
ANALYSIS_TABLES = {
    "decompose": {"decomposition.csv": ["outcome", "knob", "share"]},
    "mechanisms": {"knockouts.csv": [], "mediation.csv": ["strategy", "mediator", "share_mediated"]},
    "threshold_map": {"thresholds.csv": ["outcome", "strict", "flexible"]},
    "validate": {"validation.csv": ["passed"]},
}
#: the columns an analysis run over posterior draws adds, which the report then reads
POSTERIOR_COLUMNS = {
    "decomposition.csv": ["param_low", "param_high", "parameter_share"],
    "knockouts.csv": ["effect_param_low", "effect_param_high", "effect_parameter_share"],
    "mediation.csv": ["share_param_low", "share_param_high"],
}


class ResultsInputError(ValueError):
    """A results folder the report cannot be made from; the message says why."""


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest's data, or a message naming the damage."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsInputError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ResultsInputError(f"{path}: cannot be read ({shorten(str(e), 100)})") from None
    except json.JSONDecodeError as e:
        raise ResultsInputError(
            f"{path}: damaged (not valid JSON at line {e.lineno}: {e.msg}); rerun the command that wrote it"
        ) from None
    if not isinstance(data, dict):
        raise ResultsInputError(f"{path}: not a manifest (a JSON object was expected)")
    return data


def read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """A CSV table with at least one row and the named columns, or a message saying what is wrong."""
    if not path.is_file():
        raise ResultsInputError(f"{path}: missing" if not path.exists() else f"{path}: not a file")
    try:
        table = pd.read_csv(path)
    except pd.errors.EmptyDataError:
        raise ResultsInputError(f"{path}: empty; rerun the command that wrote it") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as e:
        raise ResultsInputError(f"{path}: cannot be read as CSV ({shorten(str(e), 100)})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ResultsInputError(
            f"{path}: not the table the report expects (no column {', '.join(missing)}); "
            f"its columns: {excerpt([str(c) for c in table.columns], 80)}"
        )
    if table.empty:
        raise ResultsInputError(f"{path}: has no rows; rerun the command that wrote it")
    return table


def check_digests(folder: Path, manifest: dict[str, Any], names: list[str]) -> None:
    """Tables whose digest the manifest recorded must be the ones it recorded."""
    recorded = manifest.get("tables")
    if not isinstance(recorded, dict):
        return
    for name in names:
        digest = recorded.get(name)
        if digest and (folder / name).is_file() and file_digest(folder / name) != digest:
            raise ResultsInputError(
                f"{folder / name}: not the table manifest.json was written with (another run, or "
                "changed since); rerun the command or copy the folder whole"
            )


def check_comparison(folder: Path) -> None:
    """The comparison at the top of a results folder: manifest and tables from one run."""
    if not folder.is_dir():
        raise ResultsInputError(f"{folder}: no such folder")
    missing = [n for n in ("summary.csv", "weekly.csv", "manifest.json") if not (folder / n).exists()]
    if missing:
        raise ResultsInputError(
            f"{folder}: not a comparison's results (missing {', '.join(missing)}); "
            "make one with `snf compare --out FOLDER` or `make run`"
        )
    manifest = read_manifest(folder / "manifest.json")
    strategies = manifest.get("strategies")
    if manifest.get("kind") not in (None, "compare") or not isinstance(strategies, dict):
        raise ResultsInputError(
            f"{folder / 'manifest.json'}: not a comparison's manifest "
            f"(kind {excerpt(manifest.get('kind'), 40)}); make one with `snf compare`"
        )
    summary = read_table(folder / "summary.csv", COMPARISON_TABLES["summary.csv"])
    weekly = read_table(folder / "weekly.csv", COMPARISON_TABLES["weekly.csv"])
    check_digests(folder, manifest, list(COMPARISON_TABLES))
    for name, table in (("summary.csv", summary), ("weekly.csv", weekly)):
        found = set(map(str, table["strategy"]))
        if found != set(strategies):
            raise ResultsInputError(
                f"{folder / name}: strategies {shorten(', '.join(sorted(found)), 60)} do not match "
                f"manifest.json ({shorten(', '.join(strategies), 60)}): they are from another run"
            )
    replications = manifest.get("replications")
    if isinstance(replications, int) and isinstance(manifest.get("posterior_draws"), int):
        replications *= manifest["posterior_draws"]  # each (draw, replication) counts as one
    if isinstance(replications, int):
        most = pd.to_numeric(weekly["replication"], errors="coerce").max()
        counted = pd.to_numeric(summary.get("n", pd.Series(dtype=float)), errors="coerce").max()
        if (pd.notna(most) and most >= replications) or (pd.notna(counted) and counted > replications):
            raise ResultsInputError(
                f"{folder}: the tables hold more replications than manifest.json's {replications}: "
                "they are from another run"
            )


def check_analyses(folder: Path) -> None:
    """Each analysis sub-folder the report would use: a readable manifest and its tables."""
    for manifest_path in sorted(folder.glob("*/manifest.json")):
        manifest = read_manifest(manifest_path)
        tables = ANALYSIS_TABLES.get(str(manifest.get("kind")))
        if tables is None:
            continue
        over_draws = bool(manifest.get("posterior_draws"))
        for name, columns in tables.items():
            table = read_table(manifest_path.parent / name, columns)
            missing = [c for c in POSTERIOR_COLUMNS.get(name, []) if over_draws and c not in table.columns]
            if missing:
                raise ResultsInputError(
                    f"{manifest_path.parent / name}: manifest.json says it ran over posterior draws, but "
                    f"the table has no column {', '.join(missing)}: they are from another run"
                )
        check_digests(manifest_path.parent, manifest, list(tables))


def inputs_of(folder: Path) -> list[Path]:
    """Every file the report reads."""
    files = [folder / n for n in ("manifest.json", "summary.csv", "weekly.csv", "runs.csv")]
    for manifest_path in folder.glob("*/manifest.json"):
        files.append(manifest_path)
        files += [p for p in manifest_path.parent.iterdir() if p.suffix in (".csv", ".json", ".parquet")]
    return files


def check_out(folder: Path, out: Path) -> None:
    """The report may not overwrite what it reads, nor be written where no file can be."""
    target = out.resolve()
    if out.is_dir():
        raise ResultsInputError(f"--out {out}: is a folder; name the HTML file to write")
    if any(target == p.resolve() for p in inputs_of(folder) if p.exists()):
        raise ResultsInputError(f"--out {out}: is one of the report's inputs; choose another file")
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ResultsInputError(f"--out {out}: {parent} is a file, not a folder")
            break


def check_results(folder: Path, out: Path | None = None) -> None:
    """Everything the report reads, and where it writes, checked before it starts."""
    folder = Path(folder)
    check_comparison(folder)
    check_analyses(folder)
    if out is not None:
        check_out(folder, Path(out))
