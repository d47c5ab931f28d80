"""`snf decompose`: how much of the gap between two strategies each knob explains (Shapley)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.decomposition import decompose
from simulation.commands.common import UsageError, check_strategies, unknown_name
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
from simulation.model.strategies import KNOBS, make_strategy
from simulation.plots.analyses import decomposition_figure
from simulation.plots.labels import knob_label, outcome_label
from simulation.provenance import manifest_base, now
from simulation.scenarios import load_scenario, parse_set_options

OUTCOMES = [
    "has_support_group",
    "formal_group",
    "perceived_support",
    "housed",
    "housed_52w",
    "exits_per_year",
    "exits_network_home_per_year",
    "dropped_out",
    "professional_hours_per_client",
    "hours_used_per_client_year",
]
# the open shelter: a year after arrival (per client) and exits per year (per shelter) say more than
# the share housed at one moment
FIGURE_OUTCOMES = ["has_support_group", "perceived_support", "housed_52w", "hours_used_per_client_year"]


def knobs_between(
    scenario: Any, from_: str, to: str, knobs: list[str] | None
) -> tuple[list[str], dict, dict]:
    a, b = make_strategy(from_, scenario), make_strategy(to, scenario)
    if type(a) is not type(b):
        raise UsageError(
            f"'{from_}' and '{to}' differ in behaviour (different strategy classes), not only in knob "
            "settings, so the gap cannot be split over knobs"
        )
    sa, sb = a.settings.model_dump(), b.settings.model_dump()
    differing = [k for k in sa if k != "description" and sa[k] != sb[k]]
    chosen = knobs if knobs else [k for k in KNOBS if k in differing]
    if not chosen:
        raise UsageError(f"'{from_}' and '{to}' have the same knob settings: there is no gap to split")
    unknown = [k for k in chosen if k not in sa or k == "description"]
    if unknown:
        knobs_known = [k for k in sa if k != "description"]
        raise UsageError(unknown_name("knob", unknown[0], knobs_known, "see `snf strategies`"))
    same = [k for k in chosen if sa[k] == sb[k]]
    if same:
        raise UsageError(f"'{from_}' and '{to}' have the same value for {', '.join(same)}: nothing to switch")
    left_out = [k for k in differing if k not in chosen]
    if left_out:
        raise UsageError(
            f"'{from_}' and '{to}' also differ in {', '.join(left_out)}; add them with --knobs so the "
            "knobs explain the whole gap"
        )
    if len(chosen) > 10:
        raise UsageError(f"{len(chosen)} knobs need 2^{len(chosen)} combinations; use at most 10")
    return chosen, {k: sa[k] for k in chosen}, {k: sb[k] for k in chosen}


def run_decompose(
    scenario_ref: str,
    overrides: dict[str, Any],
    from_: str,
    to: str,
    knobs: list[str] | None,
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
) -> pd.DataFrame:
    """Run the decomposition into `out`; with a posterior, every knob combination runs over `draws`
    posterior draws x `reps` replications (the same seeds for every draw)."""
    scenario = load_scenario(scenario_ref, overrides)
    chosen, from_values, to_values = knobs_between(scenario, from_, to, knobs)
    started = now()
    spec = {
        "name": f"decompose-{from_}-{to}",
        "description": f"{from_} with every combination of knobs switched to {to}'s values",
        "scenario": scenario_ref,
        "set": overrides,
        "strategies": [from_],
        "replications": reps,
        "seed": seed,
        "weeks": weeks,
        "design": {
            "type": "grid",
            "parameters": {f"strategy.{k}": [from_values[k], to_values[k]] for k in chosen},
        },
        "record": {"weekly": False, "clients": False},
    }
    experiment, sweep, _ = run_analysis_sweep(
        spec, "snf decompose", out / "sweep", executor, workers, resume, quiet, posterior, draws
    )
    runs = with_draw(sweep.runs[sweep.runs["ok"]], experiment)
    table = decompose(runs, sweep.design, chosen, to_values, OUTCOMES)
    write_csv(out / "decomposition.csv", table)
    shown = [o for o in FIGURE_OUTCOMES if o in set(table["outcome"])]  # measured in these runs
    figure = decomposition_figure(table, shown, from_, to, out / "decomposition.png", lang)
    write_json(
        out / "manifest.json",
        {
            **manifest_base(),
            "kind": "decompose",
            "from": from_,
            "to": to,
            "knobs": chosen,
            "from_values": from_values,
            "to_values": to_values,
            "replications": reps,
            "root_seed": seed,
            "scenario": scenario.model_dump(mode="json"),
            "sweep": "sweep/manifest.json",
            "runs": experiment.n_runs,
            **experiment.posterior_record(),
            "started": started,
            "finished": now(),
            "tables": file_digests(out, ["decomposition.csv"]),
            "files": ["decomposition.csv", figure.name],
        },
    )
    return table


def format_decomposition(table: pd.DataFrame) -> str:
    over_draws = "param_low" in table.columns
    lines = []
    if over_draws:
        lines.append(
            "[95% interval of the mean]; over draws: [95% interval over the posterior draws] and "
            "pX.XX = share of the variance from parameter uncertainty (the rest is simulation noise)\n"
        )

    def draws(row: pd.Series) -> str:
        if not over_draws:
            return ""
        share = f" p{row['parameter_share']:.2f}" if pd.notna(row["parameter_share"]) else ""
        return f"  over draws [{row['param_low']:+.3f}, {row['param_high']:+.3f}]{share}"

    for outcome in dict.fromkeys(table["outcome"]):
        block = table[table["outcome"] == outcome].set_index("knob")
        total = block.loc["total"]
        lines.append(
            f"{outcome_label(outcome)}: gap {total['shapley']:+.3f} "
            f"[{total['ci_low']:+.3f}, {total['ci_high']:+.3f}]{draws(total)}"
        )
        for knob, row in block.drop(index="total").iterrows():
            share = f"{100 * row['share']:5.0f}%" if pd.notna(row["share"]) else "    -"
            lines.append(
                f"  {knob_label(knob):28s} {row['shapley']:+.3f} [{row['ci_low']:+.3f}, "
                f"{row['ci_high']:+.3f}]  {share} of the gap{draws(row)}"
            )
    return "\n".join(lines)


HELP = "bottleneck decomposition: each knob's share of the gap between two strategies (Shapley)"
DESCRIPTION = (
    "Switch the knobs that separate two strategies in all combinations, on the same "
    "seeds, and attribute the difference in each outcome to each knob with Shapley values."
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_analysis_options(p, reps=10, name="decompose")
    p.add_argument(
        "--from", dest="from_", default="resource", help="strategy to start from (default resource)"
    )
    p.add_argument("--to", default="flexible", help="strategy to arrive at (default flexible)")
    p.add_argument("--knobs", help="comma-separated knobs to switch (default: the five that differ)")
    add_posterior_options(p, "every knob combination")


def run(args: argparse.Namespace) -> int:
    scenario, source = scenario_from_args(args)
    check_strategies([args.from_, args.to], scenario)
    knobs = split_names(args.knobs) if args.knobs else None
    out = analysis_out(args, "decompose", scenario.name)
    table = run_decompose(
        source,
        parse_set_options(args.overrides),
        args.from_,
        args.to,
        knobs,
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
    print(format_decomposition(table))
    print(f"\n-> {out}")
    return EXIT_OK
