"""`snf validate`: the pattern checks of the brief (section 5.6), as a table of pass or fail."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.validation import (
    POINTS,
    Result,
    bottleneck_patterns,
    housing_pattern,
    results_table,
    transition_pattern,
)
from simulation.commands.common import UsageError
from simulation.commands.options import (
    EXIT_FAILED,
    EXIT_OK,
    add_analysis_options,
    analysis_out,
    scenario_from_args,
)
from simulation.commands.sweep import run_analysis_sweep
from simulation.experiments.io import write_csv, write_json
from simulation.plots.validation import validation_figure
from simulation.provenance import manifest_base, now
from simulation.scenarios import SCENARIO_DIR, parse_set_options, read_yaml

#: which keys of large_networks.yaml remove which cause
CAUSES = {
    "large_networks_only": ("network_size_mean", "network_size_dispersion", "share_no_naasten"),
    "full_consent_only": ("refusal_share", "willingness_mean", "consent_by_relation"),
    "high_tolerance_only": ("stramien_tolerance_mean",),
}
HOUSING_WEEKS = 130
TRANSITION_WEEKS = 39


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, path + "."))
        else:
            out[path] = value
    return out


def bottleneck_points(large_networks: Path = SCENARIO_DIR / "large_networks.yaml") -> list[dict[str, Any]]:
    """Default, each cause removed on its own (values from large_networks.yaml), and all removed."""
    data = read_yaml(large_networks) or {}
    removed = _flatten({"population": data.get("population", {})})
    points = [{}]
    for name in POINTS[1:-1]:
        keys = CAUSES[name]
        points.append({k: v for k, v in removed.items() if k.split(".")[1] in keys})
    points.append(removed)
    return points


def run_validate(
    scenario_ref: str,
    overrides: dict[str, Any],
    reps: int,
    seed: int,
    out: Path,
    executor: str,
    workers: int | None,
    resume: bool,
    quiet: bool,
    lang: str,
) -> pd.DataFrame:
    started = now()
    common = {
        "scenario": scenario_ref,
        "set": overrides,
        "seed": seed,
        "record": {"weekly": False, "clients": False},
    }
    specs = {
        "bottlenecks": {
            **common,
            "name": "validate-bottlenecks",
            "strategies": ["resource", "flexible"],
            "replications": reps,
            "design": {"type": "points", "points": bottleneck_points()},
        },
        "housing": {
            **common,
            "name": "validate-housing",
            "strategies": ["care_as_usual"],
            "replications": 2 * reps,
            "weeks": HOUSING_WEEKS,
        },
        "transition": {
            **common,
            "name": "validate-transition",
            "strategies": ["care_as_usual", "flexible"],
            "replications": reps,
            "weeks": TRANSITION_WEEKS,
        },
    }
    tables = {}
    runs_total = 0
    for key, spec in specs.items():
        experiment, sweep, _ = run_analysis_sweep(
            spec, "snf validate", out / key, executor, workers, resume, quiet
        )
        runs = sweep.runs[sweep.runs["ok"]].copy()
        runs["point"] = runs["point_id"].map(dict(enumerate(POINTS)))
        tables[key] = runs
        runs_total += experiment.n_runs
    results: list[Result] = [
        *bottleneck_patterns(tables["bottlenecks"]),
        housing_pattern(tables["housing"], HOUSING_WEEKS),
        *transition_pattern(tables["transition"], TRANSITION_WEEKS),
    ]
    table = results_table(results)
    write_csv(out / "validation.csv", table)
    figure = validation_figure(table, out / "validation.png", lang)
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "validate",
            "scenario_source": scenario_ref,
            "set": overrides,
            "replications": reps,
            "root_seed": seed,
            "runs": runs_total,
            "started": started,
            "finished": now(),
            "passed": int(table["passed"].sum()),
            "failed": int((~table["passed"]).sum()),
            "files": ["validation.csv", figure.name, "bottlenecks/", "housing/", "transition/"],
        },
    )
    return table


def format_validation(table: pd.DataFrame) -> str:
    """A plain-text table: pattern, expected, simulated with interval, PASS or FAIL."""
    rows = [("pattern", "expected", "simulated [95% interval]", "result")]
    for _, r in table.iterrows():
        interval = "" if pd.isna(r["ci_low"]) else f" [{r['ci_low']:.3f}, {r['ci_high']:.3f}]"
        rows.append(
            (
                r["pattern"],
                r["expected"],
                f"{r['simulated']:.3f}{interval}",
                "PASS" if r["passed"] else "FAIL",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    passed = int(table["passed"].sum())
    return "\n".join(lines) + f"\n\n{passed} of {len(table)} patterns pass"


HELP = "pattern checks: known patterns reproduced, and gone when their cause is removed"
DESCRIPTION = (
    "Run the pattern checks of the brief (section 5.6) and print pattern, expected, "
    "simulated with interval, pass or fail. Exit status 0 only when all pass."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_analysis_options(p, reps=20, name="validate")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    if args.weeks:
        raise UsageError("validate sets the weeks of each pattern itself; drop --weeks")
    out = analysis_out(args, "validate", scenario.name)
    table = run_validate(
        source,
        parse_set_options(args.overrides),
        args.reps,
        args.seed,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
    )
    print(format_validation(table))
    print(f"\n-> {out}")
    return EXIT_OK if table["passed"].all() else EXIT_FAILED
