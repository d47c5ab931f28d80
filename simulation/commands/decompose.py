"""`snf decompose`: how much of the gap between two strategies each knob explains (Shapley)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.decomposition import decompose
from simulation.commands.common import UsageError
from simulation.commands.sweep import run_analysis_sweep
from simulation.experiments.io import write_csv, write_json
from simulation.model.strategies import KNOBS, make_strategy
from simulation.plots.analyses import decomposition_figure
from simulation.plots.labels import knob_label, outcome_label
from simulation.provenance import manifest_base, now
from simulation.scenarios import load_scenario

OUTCOMES = [
    "has_support_group",
    "formal_group",
    "perceived_support",
    "housed",
    "dropped_out",
    "professional_hours_per_client",
]
FIGURE_OUTCOMES = ["has_support_group", "perceived_support", "housed", "professional_hours_per_client"]


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
        raise UsageError(
            f"unknown knob {', '.join(unknown)}; knobs: {', '.join(k for k in sa if k != 'description')}"
        )
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
) -> pd.DataFrame:
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
        spec, "snf decompose", out / "sweep", executor, workers, resume, quiet
    )
    runs = sweep.runs[sweep.runs["ok"]]
    table = decompose(runs, sweep.design, chosen, to_values, OUTCOMES)
    write_csv(out / "decomposition.csv", table)
    figure = decomposition_figure(table, FIGURE_OUTCOMES, from_, to, out / "decomposition.png", lang)
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
            "started": started,
            "finished": now(),
            "files": ["decomposition.csv", figure.name],
        },
    )
    return table


def format_decomposition(table: pd.DataFrame) -> str:
    lines = []
    for outcome in dict.fromkeys(table["outcome"]):
        block = table[table["outcome"] == outcome].set_index("knob")
        total = block.loc["total"]
        lines.append(
            f"{outcome_label(outcome)}: gap {total['shapley']:+.3f} "
            f"[{total['ci_low']:+.3f}, {total['ci_high']:+.3f}]"
        )
        for knob, row in block.drop(index="total").iterrows():
            share = f"{100 * row['share']:5.0f}%" if pd.notna(row["share"]) else "    -"
            lines.append(
                f"  {knob_label(knob):28s} {row['shapley']:+.3f} [{row['ci_low']:+.3f}, "
                f"{row['ci_high']:+.3f}]  {share} of the gap"
            )
    return "\n".join(lines)
