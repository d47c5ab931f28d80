"""`snf threshold-map`: where does the strict Resource method reach most of what flexible support achieves?"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.thresholds import (
    GRID,
    NETWORK_SIZE,
    REFUSAL,
    TOLERANCE,
    describe_region,
    threshold_region,
    threshold_table,
)
from simulation.commands.common import UsageError, prepare_out, unknown_name
from simulation.commands.options import EXIT_OK, add_execution_options, positive_int
from simulation.commands.sweep import print_report, progress_bar
from simulation.experiments.io import file_digests, write_csv, write_json
from simulation.experiments.spec import Experiment, load_experiment
from simulation.experiments.store import load_sweep, require_sweep
from simulation.experiments.sweep import run_sweep
from simulation.model.outcomes import OUTCOMES
from simulation.plots.labels import outcome_label, strategy_label
from simulation.plots.thresholds import finding, threshold_figure
from simulation.provenance import manifest_base, now

EXPERIMENT = "threshold_map"  # the shipped experiments/threshold_map.yaml, found from any folder
LEVEL = 0.95
N_BOOT = 2000


def check_experiment(experiment: Experiment, strict: str, flexible: str) -> None:
    """The threshold map needs a grid over exactly the three parameters and both strategies."""
    source, spec = experiment.source, experiment.spec
    if spec.design.type != "grid":
        raise UsageError(
            f"{source}: the threshold map needs design type 'grid' over {', '.join(GRID)}; "
            f"got type '{spec.design.type}'"
        )
    parameters = list(spec.design.parameters)
    missing = [p for p in GRID if p not in parameters]
    if missing:
        raise UsageError(
            f"{source}: the grid lacks {', '.join(missing)}; the threshold map needs {', '.join(GRID)}"
        )
    extra = [p for p in parameters if p not in GRID]
    if extra:
        raise UsageError(
            f"{source}: the grid also varies {', '.join(extra)}, which the map cannot show; "
            f"fix it with `set:` and keep only {', '.join(GRID)} in the grid"
        )
    absent = [s for s in (strict, flexible) if s not in spec.strategies]
    if absent:
        raise UsageError(
            f"{source}: strategies: the threshold map compares '{strict}' with '{flexible}', but "
            f"{', '.join(repr(s) for s in absent)} is not among {', '.join(spec.strategies)}"
        )
    if strict == flexible:
        raise UsageError(f"the strict and the flexible strategy are the same ('{strict}')")


def check_outcome(outcome: str, reach: float) -> None:
    if outcome not in OUTCOMES:
        raise UsageError(unknown_name("outcome", outcome, list(OUTCOMES), "the columns of a runs.csv"))
    if not 0 < reach <= 1:
        raise UsageError(f"reach must be a share above 0 and at most 1 (e.g. 0.8), got {reach}")


def _plain(value: Any) -> Any:
    """NaN -> None and numpy scalars -> Python, so the manifest is valid JSON."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def run_threshold_map(
    experiment: str | Path = EXPERIMENT,
    replications: int | None = None,
    outcome: str = "has_support_group",
    reach: float = 0.8,
    out: Path | None = None,
    executor: str = "processes",
    workers: int | None = None,
    resume: bool = False,
    quiet: bool = False,
    lang: str = "en",
    strict: str = "resource",
    flexible: str = "flexible",
) -> pd.DataFrame:
    """Run the experiment (into out/sweep) and write thresholds.csv, threshold_region.csv,
    thresholds.png and manifest.json to `out`; return the table (a row per design point)."""
    check_outcome(outcome, reach)
    loaded = load_experiment(experiment, {"replications": replications} if replications else None)
    check_experiment(loaded, strict, flexible)
    out = Path(out) if out is not None else Path("results") / f"threshold-map-{loaded.spec.name}"
    if resume:
        require_sweep(out / "sweep")  # before anything is created: nothing to resume is an error
    out = prepare_out(out)
    started = now()
    outcome_run = run_sweep(
        loaded,
        out / "sweep",
        executor=executor,
        workers=workers,
        mode="resume" if resume else "replace",
        progress=progress_bar(quiet, loaded.spec.name),
    )
    if outcome_run.failures:
        print_report(outcome_run)
    sweep = load_sweep(out / "sweep")
    runs = sweep.runs[sweep.runs["ok"]]
    table = threshold_table(
        runs,
        sweep.design,
        outcome=outcome,
        strict=strict,
        flexible=flexible,
        reach=reach,
        level=LEVEL,
        n_boot=N_BOOT,
        seed=loaded.spec.seed,
    )
    region = threshold_region(table)
    write_csv(out / "thresholds.csv", table)
    write_csv(out / "threshold_region.csv", region)
    figure = threshold_figure(table, out / "thresholds.png", lang)
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "threshold_map",
            "experiment": loaded.source,
            "name": loaded.spec.name,
            "outcome": outcome,
            "strict": strict,
            "flexible": flexible,
            "reach": reach,
            "level": LEVEL,
            "ratio": "ratio of means strict / flexible per design point; interval: percentile bootstrap "
            f"over replications ({N_BOOT} resamples of whole replications, seeded by the root seed "
            "and the point id); see simulation/analysis/thresholds.py",
            "grid": {p: list(loaded.spec.design.parameters[p]) for p in GRID},
            "replications": loaded.spec.replications,
            "root_seed": loaded.spec.seed,
            "scenario": loaded.scenario.model_dump(mode="json"),
            "sweep": "sweep/manifest.json",
            "runs": loaded.n_runs,
            "failed_runs": len(outcome_run.failures),
            "region": {k: _plain(v) for k, v in describe_region(table).items()},
            "finding": finding(table, "en"),
            "started": started,
            "finished": now(),
            "tables": file_digests(out, ["thresholds.csv", "threshold_region.csv"]),
            "files": ["thresholds.csv", "threshold_region.csv", figure.name],
        },
    )
    return table


def _value(value: float) -> str:
    return f"{value:g}"


def format_thresholds(table: pd.DataFrame) -> str:
    """The map as text: per stramien tolerance a grid of ratios (%), then the smallest network size
    at which the strict method reaches the threshold, then the finding in one sentence."""
    if table.empty:
        return "no design points with both strategies: nothing to map"
    strict, flexible = table["strict"].iloc[0], table["flexible"].iloc[0]
    reach = float(table["reach"].iloc[0])
    reps = sorted(set(int(n) for n in table["n"]))
    reps_text = str(reps[0]) if len(reps) == 1 else f"{reps[0]}-{reps[-1]}"
    sizes = sorted(table[NETWORK_SIZE].unique())
    lines = [
        f"{outcome_label(table['outcome'].iloc[0])}: {strategy_label(strict)} as % of "
        f"{strategy_label(flexible).lower()} (ratio of means over {reps_text} replications)",
        f"  * reaches {100 * reach:.0f}%   ** also the lower bound of its 95% bootstrap interval",
    ]
    for tolerance, block in table.groupby(TOLERANCE, sort=True):
        lines.append(f"\nstramien tolerance {_value(tolerance)}")
        lines.append("  refusal \\ naasten " + "".join(f"{_value(s):>8s}" for s in sizes))
        for refusal, row in block.groupby(REFUSAL, sort=True):
            cells = []
            for size in sizes:
                hit = row[row[NETWORK_SIZE] == size]
                if hit.empty or pd.isna(hit["ratio"].iloc[0]):
                    cells.append(f"{'-':>8s}")
                    continue
                r = hit.iloc[0]
                mark = "**" if r["reaches_surely"] else "*" if r["reaches"] else ""
                text = f"{100 * r['ratio']:.0f}%{mark}"
                cells.append(f"{text:>8s}")
            label = f"{100 * refusal:.0f}%"
            lines.append(f"  {label:>17s} " + "".join(cells))
    region = threshold_region(table)
    lines.append(f"\nsmallest mean network size at which it reaches {100 * reach:.0f}%:")
    if region["min_network_size"].isna().all():
        lines.append("  none: it reaches the threshold at no point of the grid")
    for _, r in region.dropna(subset=["min_network_size"]).iterrows():
        where = f"{_value(r['min_network_size'])} naasten"
        if pd.notna(r["min_network_size_surely"]):
            where += f" (surely from {_value(r['min_network_size_surely'])})"
        if not r["reaches_at_all_larger"]:
            where += ", not at every larger size"
        lines.append(f"  tolerance {_value(r[TOLERANCE])}, refusal {100 * r[REFUSAL]:3.0f}%: {where}")
    unreached = region[region["min_network_size"].isna()]
    if len(unreached) and len(unreached) < len(region):
        lines.append(
            "  elsewhere none in the grid ("
            + ", ".join(
                f"tolerance {_value(r[TOLERANCE])} with {100 * r[REFUSAL]:.0f}% refusal"
                for _, r in unreached.iterrows()
            )
            + ")"
        )
    lines.append("\n" + finding(table, "en"))
    return "\n".join(lines)


HELP = "where the strict method reaches most of what flexible support achieves (heatmap)"
DESCRIPTION = (
    "Run the threshold-map experiment (network size x refusal share x stramien tolerance) "
    "and map the strict strategy's outcome as a share of the flexible one's."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "experiment",
        nargs="?",
        default="threshold_map",
        help="experiment file or name in experiments/ (default threshold_map)",
    )
    p.add_argument("--replications", type=positive_int, help="override the experiment's replications")
    p.add_argument(
        "--outcome", default="has_support_group", help="outcome to map (default has_support_group)"
    )
    p.add_argument(
        "--reach",
        type=float,
        default=0.8,
        help="share of the flexible result that counts as 'reaching' it (default 0.8)",
    )
    p.add_argument("--strict", default="resource", help="the strict strategy (default resource)")
    p.add_argument("--flexible", default="flexible", help="the flexible strategy (default flexible)")
    add_execution_options(p, "results/threshold-map-NAME")


def run(args: argparse.Namespace) -> int:
    table = run_threshold_map(
        args.experiment,
        args.replications,
        args.outcome,
        args.reach,
        args.out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
        strict=args.strict,
        flexible=args.flexible,
    )
    print(format_thresholds(table))
    return EXIT_OK
