"""`snf mechanisms`: each mechanism knocked out in turn; how much of each strategy's effect remains."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.knockouts import knockout_effects, mediation
from simulation.commands.common import UsageError, check_strategies
from simulation.commands.options import (
    EXIT_OK,
    add_analysis_options,
    add_posterior_options,
    analysis_out,
    scenario_from_args,
    split_names,
)
from simulation.commands.sweep import run_analysis_sweep, with_draw
from simulation.experiments.io import file_digests, write_csv, write_json
from simulation.model.parameters import Mechanisms
from simulation.plots.analyses import knockout_figure
from simulation.plots.labels import mechanism_label, strategy_label
from simulation.provenance import manifest_base, now
from simulation.scenarios import load_scenario, parse_set_options

OUTCOMES = [
    "has_support_group",
    "perceived_support",
    "eigen_regie",
    "rust",
    "housed",
    "housed_52w",
    "exits_per_year",
    "dropped_out",
    "naasten_withdrawn",
]
FIGURE_OUTCOMES = ["has_support_group", "perceived_support", "housed_52w"]
#: the housing outcome whose mediation is reported: housed a year after arrival, per client
MEDIATED = "housed_52w"
BASELINE = "care_as_usual"


def run_mechanisms(
    scenario_ref: str,
    overrides: dict[str, Any],
    strategies: list[str],
    reps: int,
    seed: int,
    weeks: int | None,
    out: Path,
    executor: str,
    workers: int | None,
    resume: bool,
    quiet: bool,
    lang: str,
    posterior: Path | None = None,
    draws: int = 10,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run the knockouts into `out`; with a posterior, every knockout runs over `draws` posterior
    draws x `reps` replications (the same seeds for every draw)."""
    scenario = load_scenario(scenario_ref, overrides)
    mechanisms = list(Mechanisms.model_fields)
    already_off = [m for m in mechanisms if not getattr(scenario.mechanisms, m)]
    if already_off:
        raise UsageError(
            f"the scenario already switches off {', '.join(already_off)}; knockouts need "
            "every mechanism on to start from"
        )
    strategies = [s for s in strategies if s != BASELINE]
    if not strategies:
        raise UsageError("give at least one strategy besides care_as_usual")
    started = now()
    spec = {
        "name": "mechanisms",
        "description": "each mechanism switched off in turn, every strategy and care as usual",
        "scenario": scenario_ref,
        "set": overrides,
        "strategies": [BASELINE, *strategies],
        "replications": reps,
        "seed": seed,
        "weeks": weeks,
        "design": {"type": "points", "points": [{}] + [{f"mechanisms.{m}": False} for m in mechanisms]},
        "record": {"weekly": False, "clients": False},
    }
    experiment, sweep, _ = run_analysis_sweep(
        spec, "snf mechanisms", out / "sweep", executor, workers, resume, quiet, posterior, draws
    )
    runs = with_draw(sweep.runs[sweep.runs["ok"]], experiment)
    table = knockout_effects(runs, sweep.design, mechanisms, OUTCOMES, baseline=BASELINE, seed=seed)
    mediated = mediation(table, MEDIATED)
    write_csv(out / "knockouts.csv", table)
    write_csv(out / "mediation.csv", mediated)
    shown = [o for o in FIGURE_OUTCOMES if o in set(table["outcome"])]  # measured in these runs
    figures = [knockout_figure(table, o, out / f"knockouts_{o}.png", lang).name for o in shown]
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "mechanisms",
            "strategies": strategies,
            "baseline": BASELINE,
            "mechanisms": mechanisms,
            "replications": reps,
            "root_seed": seed,
            "scenario": scenario.model_dump(mode="json"),
            "sweep": "sweep/manifest.json",
            "runs": experiment.n_runs,
            **experiment.posterior_record(),
            "started": started,
            "finished": now(),
            "mediation_method": "knockout of the pathway (mediator held at its starting value); "
            "see simulation/analysis/knockouts.py",
            "tables": file_digests(out, ["knockouts.csv", "mediation.csv"]),
            "files": ["knockouts.csv", "mediation.csv", *figures],
        },
    )
    return table, mediated


def format_knockouts(table: pd.DataFrame, mediated: pd.DataFrame) -> str:
    over_draws = "share_param_low" in table.columns
    lines = [
        "share of each strategy's effect (vs care as usual) that depends on each mechanism "
        "[95% bootstrap interval]"
        + (
            "; over draws: [95% interval over the posterior draws] and pX.XX = share of the variance "
            "of the part lost that comes from parameter uncertainty (the rest is simulation noise)"
            if over_draws
            else ""
        )
    ]
    for outcome in ("has_support_group", MEDIATED):
        block = table[table["outcome"] == outcome]
        lines.append(f"\n{outcome}:")
        for strategy in dict.fromkeys(block["strategy"]):
            rows = block[block["strategy"] == strategy]
            first = rows.iloc[0]
            effect = f"effect {first['effect_all_on']:+.3f}"
            if over_draws:
                effect += (
                    f", over draws [{first['effect_param_low']:+.3f}, {first['effect_param_high']:+.3f}]"
                )
            lines.append(f"  {strategy_label(strategy)} ({effect})")
            for _, r in rows.iterrows():
                spread = ""
                if over_draws:
                    share = r["lost_parameter_share"]
                    low, high = 100 * r["share_param_low"], 100 * r["share_param_high"]
                    spread = f"  over draws [{low:.0f}%, {high:.0f}%]" + (
                        f" p{share:.2f}" if pd.notna(share) else ""
                    )
                lines.append(
                    f"    {mechanism_label(r['mechanism']):20s} {100 * r['share_dependent']:6.0f}% "
                    f"[{100 * r['share_ci_low']:.0f}%, {100 * r['share_ci_high']:.0f}%]{spread}"
                )
    lines.append("\nmediation of the effect on housing (knockout of the pathway):")
    for _, r in mediated.iterrows():
        lines.append(
            f"  {strategy_label(r['strategy'])} through {mechanism_label(r['mediator'])}: "
            f"{100 * r['share_mediated']:.0f}% [{100 * r['ci_low']:.0f}%, {100 * r['ci_high']:.0f}%]"
        )
    return "\n".join(lines)


HELP = "mechanism knockouts: how much of each strategy's effect depends on each mechanism"
DESCRIPTION = (
    "Switch each mechanism off in turn (care as usual included) and report the share of "
    "each strategy's effect that depends on it, and the mediation of the housing effect."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_analysis_options(p, reps=10, name="mechanisms")
    p.add_argument(
        "--strategies",
        default="resource,flexible",
        help="strategies to assess against care_as_usual (default resource,flexible)",
    )
    add_posterior_options(p, "every knockout")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    strategies = check_strategies(split_names(args.strategies), scenario)
    out = analysis_out(args, "mechanisms", scenario.name)
    table, mediated = run_mechanisms(
        source,
        parse_set_options(args.overrides),
        strategies,
        args.reps,
        args.seed,
        args.weeks,
        out,
        args.executor,
        args.workers,
        args.resume,
        args.quiet,
        args.lang,
        args.posterior,
        args.draws,
    )
    print(format_knockouts(table, mediated))
    print(f"\n-> {out}")
    return EXIT_OK
