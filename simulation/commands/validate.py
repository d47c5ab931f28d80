"""`snf validate`: the held-out targets of `calibration/targets.yaml` and the seed study's patterns,
with posterior-predictive intervals, as a table of pass or fail.

With a posterior (`--posterior DIR`, by default the shipped `calibration/posterior/` when it has
draws) every design point runs over `--draws` draws x `--reps` replications on common random
numbers; without one the scenario's own values are used, and the output says so. Targets marked
`calibrate` are shown as fit, never as validation. Exit status 1 when a held-out target falls
outside its band or a pattern fails.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.validation import (
    FIT,
    HELD_OUT,
    ROLE_WORDS,
    TargetBand,
    failed_checks,
    pattern_checks,
    results_table,
    target_checks,
    validation_passed,
)
from simulation.commands.common import UsageError, prepare_out, progress
from simulation.commands.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_analysis_options,
    analysis_out,
    positive_int,
    posterior_points,
    scenario_from_args,
)
from simulation.experiments.io import file_digests, write_csv, write_json
from simulation.experiments.seeds import replication_seeds
from simulation.plots.validation import validation_figure
from simulation.provenance import manifest_base, now
from simulation.scenarios import parse_set_options

#: the shipped posterior (simulation.calibration.posterior.SHIPPED)
SHIPPED = Path(__file__).resolve().parent.parent.parent / "calibration" / "posterior"
TARGETS_FILE = Path(__file__).resolve().parent.parent.parent / "calibration" / "targets.yaml"
RUNS_LOG = "runs.jsonl"


def has_draws(folder: Path | None) -> bool:
    return folder is not None and (
        (folder / "draws.csv").is_file() or (folder / "posterior.parquet").is_file()
    )


def target_bands(targets: list[Any]) -> list[TargetBand]:
    return [
        TargetBand(t.key, t.description, t.value, t.bounds[0], t.bounds[1], t.source, t.use) for t in targets
    ]


def _plan(tasks: list[Any], extra: dict[str, Any]) -> dict[str, Any]:
    """What the runs depend on, so --resume only continues the same validation."""
    return {
        **extra,
        "tasks": [
            [
                t.id,
                t.seed,
                list(map(list, t.draw_changes)),
                list(map(list, t.overrides)),
                list(map(list, t.changes)),
            ]
            for t in tasks
        ],
    }


def run_tasks(
    tasks: list[Any], out: Path, workers: int, resume: bool, quiet: bool, plan: dict
) -> pd.DataFrame:
    """Run what is missing (all of it unless resuming the same plan); each row is logged as it ends."""
    from simulation.calibration.validation_runs import execute

    log, plan_file = out / RUNS_LOG, out / "plan.json"
    plan_text = json.dumps(plan, sort_keys=True, default=str)
    rows: list[dict[str, Any]] = []
    if resume and log.is_file() and plan_file.is_file() and plan_file.read_text() == plan_text:
        rows = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    elif resume and log.is_file():
        raise UsageError(f"--resume: the runs in {out} were made for another validation; drop --resume")
    else:
        log.unlink(missing_ok=True)
        plan_file.write_text(plan_text)
    done = {r["task"] for r in rows}
    todo = [t for t in tasks if t.id not in done]
    with log.open("a") as f:
        for row in progress(execute(todo, workers), len(todo), "validate", quiet):
            f.write(json.dumps(row) + "\n")
            f.flush()
            rows.append(row)
    return pd.DataFrame(rows).sort_values(["point", "draw", "replication"]).reset_index(drop=True)


def run_validate(
    scenario_ref: str,
    overrides: dict[str, Any],
    reps: int,
    seed: int,
    out: Path,
    workers: int = 1,
    posterior: Path | None = None,
    draws: int = 10,
    targets_file: Path = TARGETS_FILE,
    resume: bool = False,
    quiet: bool = True,
    lang: str = "en",
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Run the validation into `out`; return the results table and the manifest."""
    from simulation.calibration.targets import TargetsError, load_targets
    from simulation.calibration.validation_runs import make_tasks

    started = now()
    try:
        targets = load_targets(targets_file)
    except TargetsError as e:
        raise UsageError(str(e)) from None
    if posterior is not None:
        parameter_draws = posterior_points(posterior, draws) or []
        basis = f"posterior {posterior}: {draws} draws x {reps} replications"
    else:
        parameter_draws = [{}]
        basis = f"no posterior: the scenario's own values, {reps} replications (simulation noise only)"
    prepare_out(out)
    tasks = make_tasks(
        scenario_ref,
        overrides,
        targets.targets,
        targets.weeks,
        parameter_draws,
        replication_seeds(seed, reps),
    )
    plan = _plan(tasks, {"targets": str(targets_file), "weeks": targets.weeks})
    runs = run_tasks(tasks, out, workers, resume, quiet, plan)
    write_csv(out / "runs.csv", runs)
    table = results_table([*target_checks(runs, target_bands(targets.targets)), *pattern_checks(runs)])
    write_csv(out / "validation.csv", table)
    figure = validation_figure(table, out / "validation.png", lang)
    manifest = {
        **manifest_base(),
        "kind": "validate",
        "scenario_source": scenario_ref,
        "set": overrides,
        "basis": basis,
        "posterior": str(posterior) if posterior is not None else None,
        "draws": len(parameter_draws),
        "replications": reps,
        "root_seed": seed,
        "weeks": targets.weeks,
        "tasks": len(tasks),
        "targets_file": str(targets_file),
        "held_out": [t.key for t in targets.validate],
        "calibrated": [t.key for t in targets.calibrate],
        "started": started,
        "finished": now(),
        "passed": validation_passed(table),
        "failed": failed_checks(table),
        "tables": file_digests(out, ["validation.csv"]),
        "files": ["validation.csv", figure.name, "runs.csv", RUNS_LOG, "plan.json"],
    }
    write_json(out / "manifest.json", manifest)
    return table, manifest


def _number(x: float) -> str:
    if pd.isna(x):
        return "nan"
    return f"{x:.1f}" if abs(x) >= 10 else f"{x:.3f}"


def format_validation(table: pd.DataFrame, basis: str = "") -> str:
    """A plain-text table: role, check, expected, simulated with interval, result."""
    rows = [("role", "check", "source", "expected", "simulated [95% interval]", "result")]
    for _, r in table.iterrows():
        interval = "" if pd.isna(r["ci_low"]) else f" [{_number(r['ci_low'])}, {_number(r['ci_high'])}]"
        if r["role"] == FIT:
            result = "fit ok" if r["passed"] else "fit off"
        else:
            result = "PASS" if r["passed"] else "FAIL"
        rows.append(
            (
                ROLE_WORDS[r["role"]]["en"],
                r["key"],
                r["source"],
                r["expected"],
                f"{_number(r['simulated'])}{interval}",
                result,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    held = table[table["role"] == HELD_OUT]
    patterns = table[table["kind"] == "pattern"]
    fit = table[table["role"] == FIT]
    head = [basis] if basis else []
    head.append(
        "targets: the 95% interval is over the runs (posterior-predictive); a target fails when it does "
        "not overlap the target's band (value +- 2 sd)"
    )
    head.append(
        "calibrated targets (" + ", ".join(fit["key"]) + ") were fitted by snf calibrate: their rows show "
        "the fit and are not validation"
    )
    tail = [
        f"held-out targets inside their band: {int(held['passed'].sum())} of {len(held)}",
        f"patterns reproduced: {int(patterns['passed'].sum())} of {len(patterns)}",
        f"calibrated targets fitted (not validation): {int(fit['passed'].sum())} of {len(fit)}",
        "validation "
        + ("PASSED" if validation_passed(table) else "FAILED: " + ", ".join(failed_checks(table))),
    ]
    return "\n".join([*head, "", *lines, "", *tail])


HELP = "held-out targets and known patterns, with posterior-predictive intervals: pass or fail"
DESCRIPTION = (
    "Check the held-out (validate) targets of calibration/targets.yaml and the seed study's patterns "
    "against the model, over posterior draws x replications (or the scenario's values when there is no "
    "posterior). Calibrated targets are shown as fit. Exit status 1 when a held-out target or a "
    "pattern fails."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_analysis_options(p, reps=0, name="validate")
    for action in p._actions:  # replications depend on whether there is a posterior
        if action.dest == "reps":
            action.default = None
            action.help = "replications per draw (default 1 with a posterior, 8 without)"
    p.add_argument(
        "--posterior",
        type=Path,
        default=None,
        help="posterior to draw parameters from (default: calibration/posterior/ when it has draws)",
    )
    p.add_argument("--no-posterior", action="store_true", help="run at the scenario's own values")
    p.add_argument("--draws", type=positive_int, default=10, help="posterior draws (default 10)")
    p.add_argument(
        "--targets", type=Path, default=TARGETS_FILE, help="targets file (calibration/targets.yaml)"
    )


def choose_posterior(args: argparse.Namespace) -> Path | None:
    if args.no_posterior:
        if args.posterior is not None:
            raise UsageError("--posterior and --no-posterior exclude each other")
        return None
    if args.posterior is not None:
        if not has_draws(args.posterior):
            raise UsageError(
                f"--posterior {args.posterior}: no posterior there (draws.csv or posterior.parquet)"
            )
        return args.posterior
    return SHIPPED if has_draws(SHIPPED) else None


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    if args.weeks:
        raise UsageError("validate measures the weeks the targets file sets; drop --weeks")
    if args.executor == "dask":
        raise UsageError("validate runs on local processes (--executor processes) or in one (serial)")
    posterior = choose_posterior(args)
    reps = args.reps or (1 if posterior is not None else 8)
    workers = 1 if args.executor == "serial" else (args.workers or os.cpu_count() or 1)
    out = analysis_out(args, "validate", scenario.name)
    table, manifest = run_validate(
        source,
        parse_set_options(args.overrides),
        reps,
        args.seed,
        out,
        workers=workers,
        posterior=posterior,
        draws=args.draws,
        targets_file=args.targets,
        resume=args.resume,
        quiet=args.quiet,
        lang=args.lang,
    )
    if posterior is None:
        print("note: no posterior with draws found; validating at the scenario's own values", file=sys.stderr)
    print(format_validation(table, manifest["basis"]))
    print(f"\n-> {out}")
    return EXIT_OK if manifest["passed"] else EXIT_FAILED
