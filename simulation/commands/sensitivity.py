"""`snf sensitivity`: which assumed parameters move the outcomes (Morris), and how much (Sobol).

Two stages on the sweep engine, both on common random numbers (every design point and strategy
shares the replication seeds):

1. **Morris screening** over every assumed or calibrated numeric parameter (`assumption_ranges`:
   about 70 in the default scenario, each over its value ± 50% within its bounds). Cost:
   trajectories x (parameters + 1) points x strategies x reps runs.
2. **Sobol indices** (first-order S1 and total ST) over the `top` parameters of the screening, the
   others held at the scenario's values. Cost: samples x (top + 2) points x strategies x reps runs.

The outcomes are the key ones (`KEY_OUTCOMES`) for each strategy, and the paired difference of
`DIFFERENCE_OUTCOMES` between each strategy and the first (default: flexible - resource). The top
parameters are those with the largest mu_star over these responses (`screening_scores`; all key
outcomes are shares or 0-1 scores, so their mu_star share a scale).

The defaults (6 trajectories, 16 base samples, top 6, 2 replications, resource and flexible) take
about two minutes on two cores for the default scenario (~1,800 + 512 runs of ~0.1 s): enough to
see the order of the big effects, not to publish the indices (intervals are wide). For a careful
analysis raise, in this order: `samples` (a power of two; 256-1024 gives Sobol intervals of a few
hundredths), `reps` (5-10, to average out the model's own noise), `trajectories` (20-50) and
`levels` (4-8, even), and run on more cores or a Dask cluster (`executor="dask"`); `resume=True`
continues an interrupted run. E.g. samples=512, top=8, reps=5: 512 x 10 x 2 x 5 = 51,200 runs.
`planned_runs` gives the number of runs of a design before it is started.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.sensitivity import (
    classify_parameters,
    morris_by_response,
    point_means,
    problem_from_ranges,
    screening_scores,
    sobol_by_response,
    top_parameters,
)
from simulation.commands.common import UsageError, check_strategies
from simulation.commands.options import (
    EXIT_OK,
    add_analysis_options,
    analysis_out,
    positive_int,
    scenario_from_args,
    split_names,
)
from simulation.commands.sweep import run_analysis_sweep
from simulation.experiments.design import current_value
from simulation.experiments.io import write_csv, write_json
from simulation.plots.labels import LANGUAGES
from simulation.plots.sensitivity import morris_figure, sobol_figure
from simulation.provenance import manifest_base, now
from simulation.scenarios import load_scenario, parse_set_options

KEY_OUTCOMES = ["has_support_group", "formal_group", "housed_52w", "perceived_support", "exits_per_year"]
DIFFERENCE_OUTCOMES = ["has_support_group", "housed_52w"]
METHODS = ("morris", "sobol", "both")
LEVEL = 0.95  # of the bootstrap intervals (SALib's conf columns are their half-widths)
SELECTION_RULE = (
    "top parameters by screening score: a parameter's largest mu_star over the key responses "
    "(ties: the mean mu_star over them)"
)


@dataclass
class SensitivityResult:
    morris: pd.DataFrame | None  # one row per response and parameter (None without a Morris stage)
    sobol: pd.DataFrame | None  # one row per response and parameter (None without a Sobol stage)
    ranges: dict[str, tuple[float, float]]  # every range screened (or the Sobol ranges alone)
    excluded: dict[str, str]  # parameters left out, with the reason
    chosen: list[str]  # parameters of the Sobol stage
    runs: dict[str, int] = field(default_factory=dict)  # runs per stage
    out: Path = Path(".")
    settings: dict[str, Any] = field(default_factory=dict)


def _is_power_of_two(n: int) -> bool:
    return n >= 1 and n & (n - 1) == 0


def planned_runs(
    n_parameters: int, method: str, trajectories: int, samples: int, top: int, n_strategies: int, reps: int
) -> dict[str, int]:
    """Runs per stage of a design (Morris over all parameters, Sobol over the top ones)."""
    runs = {}
    if method in ("morris", "both"):
        runs["morris"] = trajectories * (n_parameters + 1) * n_strategies * reps
    if method in ("sobol", "both"):
        k = min(top, n_parameters) if method == "both" else n_parameters
        runs["sobol"] = samples * (k + 2) * n_strategies * reps
    return runs


def check_arguments(
    method: str,
    trajectories: int,
    samples: int,
    top: int,
    reps: int,
    levels: int,
    spread: float,
    lang: str,
) -> None:
    """Refuse bad arguments before anything runs (UsageError)."""
    if method not in METHODS:
        raise UsageError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if lang not in LANGUAGES:
        raise UsageError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    if top < 1:
        raise UsageError(f"--top must be at least 1, got {top}")
    if reps < 1:
        raise UsageError(f"--reps must be at least 1, got {reps}")
    if not 0 < spread <= 1:
        raise UsageError(f"--spread must be above 0 and at most 1 (a share of each value), got {spread}")
    if method in ("morris", "both"):
        if trajectories < 2:
            raise UsageError(
                f"--trajectories must be at least 2 (for an interval of mu_star), got {trajectories}"
            )
        if levels < 2 or levels % 2 or levels > 100:
            raise UsageError(f"--levels must be an even number from 2 to 100, got {levels}")
    if method in ("sobol", "both") and (samples < 4 or not _is_power_of_two(samples)):
        raise UsageError(
            f"--samples must be a power of two of at least 4 (the Sobol sequence needs it), got {samples}"
        )


def choose_ranges(
    scenario: Any, spread: float, parameters: list[str] | None
) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    ranges, excluded = classify_parameters(scenario, spread)
    if parameters:
        unknown = [p for p in parameters if p not in ranges]
        if unknown:
            reasons = [f"{p} ({excluded[p]})" if p in excluded else f"{p} (not a parameter)" for p in unknown]
            raise UsageError(f"cannot vary {'; '.join(reasons)}")
        if len(set(parameters)) != len(parameters):
            raise UsageError("a parameter is listed twice")
        excluded = {**excluded, **{p: "not chosen" for p in ranges if p not in parameters}}
        ranges = {p: ranges[p] for p in parameters}
    if len(ranges) < 2:
        raise UsageError(
            f"a sensitivity analysis needs at least 2 parameters to vary, got {len(ranges)}"
            f"{': ' + ', '.join(ranges) if ranges else ''}"
        )
    return ranges, excluded


def _spec(
    name: str,
    description: str,
    scenario_ref: str,
    overrides: dict[str, Any],
    strategies: list[str],
    reps: int,
    seed: int,
    weeks: int | None,
    design: dict[str, Any],
) -> dict[str, Any]:
    return {
        "name": name,
        "description": description,
        "scenario": str(scenario_ref),
        "set": overrides,
        "strategies": strategies,
        "replications": reps,
        "seed": seed,
        "weeks": weeks,
        "design": design,
        "record": {"weekly": False, "clients": False},
    }


def stage_outputs(sweep: Any, design: pd.DataFrame, strategies: list[str], outcome: Any, stage: str):
    """One value per design point and response; a stage whose failed runs leave a point without
    a (paired) value cannot be analysed, and says so."""
    try:
        return point_means(sweep.runs, design, KEY_OUTCOMES, strategies, differences=DIFFERENCE_OUTCOMES)
    except ValueError as e:
        first = outcome.failures[0]["error"].strip().splitlines()[-1] if outcome.failures else ""
        raise RuntimeError(
            f"the {stage} stage cannot be analysed: {len(outcome.failures)} of {outcome.total} runs failed "
            f"(tracebacks in {outcome.folder}/parts/runs-*; first: {first}); {e}"
        ) from None


def _design_ranges(ranges: dict[str, tuple[float, float]]) -> dict[str, dict[str, float]]:
    return {p: {"low": float(low), "high": float(high)} for p, (low, high) in ranges.items()}


def run_sensitivity(
    scenario_ref: str,
    overrides: dict[str, Any],
    strategies: list[str],
    method: str = "both",
    trajectories: int = 6,
    samples: int = 16,
    top: int = 6,
    reps: int = 2,
    seed: int = 1,
    weeks: int | None = None,
    out: Path = Path("results/sensitivity"),
    executor: str = "processes",
    workers: int | None = None,
    resume: bool = False,
    quiet: bool = False,
    lang: str = "en",
    *,
    levels: int = 4,
    spread: float = 0.5,
    parameters: list[str] | None = None,
) -> SensitivityResult:
    """Morris screening, Sobol indices, or both (screening first, Sobol over its `top` parameters).

    Writes to `out`: the sweeps `morris/` and `sobol/`, `morris.csv` (response, outcome, strategy,
    parameter, mu, mu_star, sigma, mu_star_conf, mu_star_scaled, score, selected), `sobol.csv`
    (response, outcome, strategy, parameter, S1, S1_conf, ST, ST_conf), `ranges.csv`, the figures
    `morris.png` and `sobol.png`, and `manifest.json`. With method "sobol" alone every range (or
    the listed `parameters`) gets Sobol indices: mind the cost (see `planned_runs`).
    `parameters` limits the analysis to these dotted paths; `spread` sets each range to the
    scenario's value x (1 - spread, 1 + spread) within the schema bounds; `levels` is the Morris grid.
    """
    check_arguments(method, trajectories, samples, top, reps, levels, spread, lang)
    scenario = load_scenario(scenario_ref, overrides)
    strategies = check_strategies(list(strategies), scenario)
    ranges, excluded = choose_ranges(scenario, spread, parameters)
    out = Path(out)
    started = now()
    result = SensitivityResult(None, None, ranges, excluded, [], out=out)
    result.settings = {
        "method": method,
        "strategies": strategies,
        "trajectories": trajectories,
        "levels": levels,
        "samples": samples,
        "top": top,
        "replications": reps,
        "root_seed": seed,
        "weeks": weeks or scenario.weeks,
        "spread": spread,
        "level": LEVEL,
        "key_outcomes": KEY_OUTCOMES,
        "difference_outcomes": DIFFERENCE_OUTCOMES,
        "differences": [f"{s} - {strategies[0]}" for s in strategies[1:]],
    }
    files: list[str] = []

    if method in ("morris", "both"):
        problem = problem_from_ranges(ranges)
        spec = _spec(
            "sensitivity-morris",
            f"Morris screening over {len(ranges)} assumed parameters",
            scenario_ref,
            overrides,
            strategies,
            reps,
            seed,
            weeks,
            {
                "type": "morris",
                "samples": trajectories,
                "levels": levels,
                "parameters": _design_ranges(ranges),
            },
        )
        experiment, sweep, outcome = run_analysis_sweep(
            spec, "snf sensitivity", out / "morris", executor, workers, resume, quiet
        )
        design = sweep.design.sort_values("point_id").reset_index(drop=True)
        Y = stage_outputs(sweep, design, strategies, outcome, "morris")
        table = morris_by_response(problem, design, Y, levels, seed, LEVEL)
        # each response on its own scale, so a housing parameter with large absolute effects does not
        # crowd out what drives the support-group outcomes and the differences between strategies
        scores = screening_scores(table, scaled=True)
        result.chosen = top_parameters(table, top, scaled=True) if method == "both" else []
        table["score"] = table["parameter"].map(scores)
        table["selected"] = table["parameter"].isin(result.chosen)
        result.morris = table
        result.runs["morris"] = experiment.n_runs
        write_csv(out / "morris.csv", table)
        figure = morris_figure(
            table,
            out / "morris.png",
            lang,
            trajectories=trajectories,
            levels=levels,
            spread=spread,
            level=LEVEL,
        )
        files += ["morris.csv", figure.name]

    if method in ("sobol", "both"):
        chosen = result.chosen if method == "both" else list(ranges)
        result.chosen = chosen
        sobol_ranges = {p: ranges[p] for p in chosen}
        problem = problem_from_ranges(sobol_ranges)
        spec = _spec(
            "sensitivity-sobol",
            f"Sobol indices over {len(chosen)} assumed parameters, the others at their values",
            scenario_ref,
            overrides,
            strategies,
            reps,
            seed,
            weeks,
            {
                "type": "sobol",
                "samples": samples,
                "second_order": False,
                "parameters": _design_ranges(sobol_ranges),
            },
        )
        experiment, sweep, outcome = run_analysis_sweep(
            spec, "snf sensitivity", out / "sobol", executor, workers, resume, quiet
        )
        design = sweep.design.sort_values("point_id").reset_index(drop=True)
        Y = stage_outputs(sweep, design, strategies, outcome, "sobol")
        table = sobol_by_response(problem, Y, False, seed, LEVEL)
        result.sobol = table
        result.runs["sobol"] = experiment.n_runs
        write_csv(out / "sobol.csv", table)
        figure = sobol_figure(table, out / "sobol.png", lang, samples=samples, level=LEVEL)
        files += ["sobol.csv", figure.name]

    write_csv(out / "ranges.csv", ranges_table(scenario, result))
    files.append("ranges.csv")
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "sensitivity",
            **result.settings,
            "ranges": {p: list(r) for p, r in ranges.items()},
            "excluded": excluded,
            "sobol_parameters": result.chosen,
            "selection": SELECTION_RULE if method == "both" else "",
            "scenario": scenario.model_dump(mode="json"),
            "sweeps": {stage: f"{stage}/manifest.json" for stage in result.runs},
            "runs": result.runs,
            "started": started,
            "finished": now(),
            "files": files,
        },
    )
    return result


def ranges_table(scenario: Any, result: SensitivityResult) -> pd.DataFrame:
    """Each varied parameter: its value in the scenario, the range, and the stages it was in."""
    scores = screening_scores(result.morris) if result.morris is not None else pd.Series(dtype=float)
    rows = []
    for path, (low, high) in result.ranges.items():
        rows.append(
            {
                "parameter": path,
                "value": current_value(path, scenario),
                "low": low,
                "high": high,
                "morris": result.morris is not None,
                "score": scores.get(path, float("nan")),
                "sobol": path in result.chosen and result.sobol is not None,
            }
        )
    return pd.DataFrame(rows)


def format_sensitivity(result: SensitivityResult, rows: int = 10) -> str:
    """The main tables as text: the screening ranking, then S1 and ST per response."""
    lines = []
    if result.morris is not None:
        table = result.morris
        s = result.settings
        lines.append(
            f"Morris screening of {table['parameter'].nunique()} parameters ({s.get('trajectories')} "
            f"trajectories, {result.runs.get('morris', 0)} runs); score = largest mu_star over the "
            "responses:"
        )
        scores = screening_scores(table)
        for rank, (parameter, score) in enumerate(scores.head(max(rows, len(result.chosen))).items(), 1):
            block = table[table["parameter"] == parameter]
            best = block.loc[block["mu_star"].idxmax()]
            where = f"± {best['mu_star_conf']:.3f}  largest for {best['response']}"
            mark = "*" if parameter in result.chosen and result.sobol is not None else " "
            lines.append(f" {mark}{rank:3d}  {parameter:42s} mu* {score:.3f} {where}")
        if result.sobol is not None:
            lines.append("  (* = passed on to the Sobol stage)")
    if result.sobol is not None:
        table = result.sobol
        if lines:
            lines.append("")
        lines.append(
            f"Sobol indices of {len(result.chosen)} parameters (N = {result.settings.get('samples')}, "
            f"{result.runs.get('sobol', 0)} runs); first order S1 and total ST ± half-width of the "
            f"{LEVEL:.0%} interval:"
        )
        for response in dict.fromkeys(table["response"]):
            lines.append(f"  {response}")
            block = table[table["response"] == response].sort_values(
                "ST", ascending=False, na_position="last"
            )
            for _, r in block.iterrows():
                if pd.isna(r["ST"]):
                    lines.append(f"    {r['parameter']:42s} (the outcome does not vary)")
                    continue
                lines.append(
                    f"    {r['parameter']:42s} S1 {r['S1']:5.2f} ± {r['S1_conf']:.2f}   "
                    f"ST {r['ST']:5.2f} ± {r['ST_conf']:.2f}"
                )
    return "\n".join(lines)


HELP = "global sensitivity over the assumed parameters: Morris screening, then Sobol indices"
DESCRIPTION = (
    "Morris screening over every parameter tagged as an assumption (default +-50%% "
    "around its value), then Sobol first-order and total indices (SALib) over the most influential "
    "ones, for the key outcomes and for the difference between strategies."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_analysis_options(p, reps=2, name="sensitivity")
    p.add_argument(
        "--strategies",
        default="resource,flexible",
        help="strategies; differences are each later one minus the first (default resource,flexible)",
    )
    p.add_argument(
        "--method",
        choices=("morris", "sobol", "both"),
        default="both",
        help="screening, indices, or both (default both: Sobol over the top Morris parameters)",
    )
    p.add_argument("--trajectories", type=positive_int, default=6, help="Morris trajectories (default 6)")
    p.add_argument(
        "--samples",
        type=positive_int,
        default=16,
        help="Sobol base samples N, a power of two (default 16; 512 for publication)",
    )
    p.add_argument(
        "--top", type=positive_int, default=6, help="parameters carried from Morris to Sobol (default 6)"
    )
    p.add_argument("--levels", type=positive_int, default=4, help="Morris grid levels (default 4)")
    p.add_argument(
        "--spread", type=float, default=0.5, help="range around each default, +-share (default 0.5)"
    )
    p.add_argument("--parameters", help="comma-separated parameter paths to vary instead of all assumptions")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    strategies = check_strategies(split_names(args.strategies), scenario)
    parameters = split_names(args.parameters) if args.parameters else None
    out = analysis_out(args, "sensitivity", scenario.name)
    result = run_sensitivity(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.method,
        args.trajectories,
        args.samples,
        args.top,
        args.reps,
        args.seed,
        args.weeks,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
        levels=args.levels,
        spread=args.spread,
        parameters=parameters,
    )
    print(format_sensitivity(result))
    print(f"\n-> {out}")
    return EXIT_OK
