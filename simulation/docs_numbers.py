"""Numbers in the documentation, generated rather than typed.

The README's findings paragraph and the tutorial's result tables sit between markers
`<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. This module reruns the runs those texts
describe (same scenarios, strategies, replications and root seed as the commands shown beside
them) and renders each block; `scripts/doc-numbers --write` puts them in place and
`scripts/doc-numbers` (and a test) fails when a committed block differs from what the model gives
now. The tutorial's own strategy, `family_last`, is taken from the tutorial's code block and
registered in this process, so its numbers come from the code a student actually types.
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from simulation.analysis.effects import crn_narrowing, summarise
from simulation.experiments.runner import RunTask, build_model
from simulation.experiments.seeds import replication_seeds
from simulation.scenarios import load_scenario

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TUTORIAL = ROOT / "docs" / "tutorial.md"
REPS = 10
SEED = 1
#: the tutorial's strategies, in the order of its `snf compare` commands
TUTORIAL_STRATEGIES = ("care_as_usual", "flexible", "peer_first", "family_last")
PAIRS_STRATEGIES = ("flexible", "flexible_pairs", "peer_first", "peer_first_pairs")
TABLE_OUTCOMES = (
    "has_support_group",
    "perceived_support",
    "rust",
    "housed_52w",
    "naasten_withdrawn",
    "hours_used_per_client_year",
)
MARKER = re.compile(
    r"(<!-- generated:(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /generated:(?P=name) -->)", re.S
)


class DocsDrift(RuntimeError):
    """A generated block in the documentation no longer matches what the model gives."""


def register_tutorial_strategy(tutorial: Path = TUTORIAL) -> None:
    """Register `family_last` from the tutorial's code block, exactly as a student would save it."""
    from simulation.model.strategies import registered_strategies

    if "family_last" in registered_strategies():
        return
    blocks = re.findall(r"```python\n(.*?)```", tutorial.read_text(encoding="utf-8"), re.S)
    code = next((b for b in blocks if '@register_strategy("family_last"' in b), None)
    if code is None:
        raise DocsDrift(f"{tutorial}: the family_last code block is gone")
    exec(compile(code, f"{tutorial}:family_last", "exec"), {"__name__": "tutorial_family_last"})


def _one(task: RunTask) -> list[dict]:
    model = build_model(task)
    model.run()
    return [
        {"strategy": task.strategy, "replication": task.replication, "outcome": k, "value": v}
        for k, v in model.outcomes().items()
    ]


@cache
def runs(scenario: str, strategies: tuple[str, ...], reps: int = REPS, seed: int = SEED) -> pd.DataFrame:
    """Long run table (strategy, replication, outcome, value) of a comparison, as `snf compare` runs it."""
    params = load_scenario(scenario)
    seeds = replication_seeds(seed, reps)
    tasks = [
        RunTask(run_id=0, strategy=s, replication=r, seed=seeds[r], scenario=params, weeks=params.weeks)
        for r in range(reps)
        for s in strategies
    ]
    # fork: the workers inherit the strategy registered from the tutorial
    with multiprocessing.get_context("fork").Pool(min(2, multiprocessing.cpu_count())) as pool:
        rows = [row for chunk in pool.map(_one, tasks) for row in chunk]
    return pd.DataFrame(rows)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _row(summary: pd.DataFrame, strategy: str, outcome: str) -> pd.Series:
    return summary[(summary["strategy"] == strategy) & (summary["outcome"] == outcome)].iloc[0]


def readme_findings() -> str:
    table = runs("default", ("care_as_usual", "resource", "flexible"))
    s = summarise(table, baseline="care_as_usual")

    def m(strategy: str, outcome: str) -> float:
        return float(_row(s, strategy, outcome)["mean"])

    def ci(strategy: str, outcome: str, digits: int = 0) -> str:
        r = _row(s, strategy, outcome)
        return f"{r['mean']:.{digits}f} [{r['ci_low']:.{digits}f}, {r['ci_high']:.{digits}f}]"

    return (
        f"On the default scenario ({REPS} replications, root seed {SEED}; 95% intervals): under the strict "
        f"method {_pct(m('resource', 'formal_group_formed'))} of the clients who arrive ever start a "
        f"formal group, and {_pct(m('resource', 'has_support_group'))} of the clients in the shelter "
        f"have a group in some form; under flexible netwerkondersteuning "
        f"{_pct(m('flexible', 'has_support_group'))} do. The housing market allocates "
        f"{m('care_as_usual', 'homes_allocated_per_year'):.0f} homes a year under every strategy (supply "
        f"is fixed; under care as usual {m('care_as_usual', 'exits_housing_market_per_year'):.0f} of them "
        "go to clients leaving the shelter, the others mostly to clients moving on from supported "
        f"housing), yet exits from the shelter rise from {ci('care_as_usual', 'exits_per_year')} a year "
        f"under care as usual to {ci('flexible', 'exits_per_year')} under flexible support: more homes "
        f"found through naasten ({m('care_as_usual', 'exits_network_home_per_year'):.0f} against "
        f"{m('flexible', 'exits_network_home_per_year'):.0f}) and more stays with naasten "
        f"({m('care_as_usual', 'exits_naaste_stay_per_year'):.0f} against "
        f"{m('flexible', 'exits_naaste_stay_per_year'):.0f}). Professionals use "
        f"{m('resource', 'hours_used_per_client_year'):.1f} network hours per client-year under the strict "
        f"method (leaving {m('resource', 'hours_idle_per_client_year'):.1f} idle) and "
        f"{m('flexible', 'hours_used_per_client_year'):.1f} under flexible support.\n"
    )


def _fmt(r: pd.Series, interval: bool) -> str:
    digits = 1 if r["outcome"] == "hours_used_per_client_year" else 3
    text = f"{r['mean']:.{digits}f}"
    if interval and r["ci_high"] > r["ci_low"]:
        text += f" [{r['ci_low']:.{digits}f}, {r['ci_high']:.{digits}f}]"
    return text


def tutorial_table() -> str:
    s = summarise(runs("default", TUTORIAL_STRATEGIES), baseline="care_as_usual")
    lines = [
        "| outcome | " + " | ".join(TUTORIAL_STRATEGIES) + " |",
        "|---" * (len(TUTORIAL_STRATEGIES) + 1) + "|",
    ]
    for outcome in TABLE_OUTCOMES:
        cells = [_fmt(_row(s, st, outcome), outcome == "has_support_group") for st in TUTORIAL_STRATEGIES]
        lines.append(f"| `{outcome}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _versus_flexible() -> pd.DataFrame:
    table = runs("default", TUTORIAL_STRATEGIES)
    return table[table["strategy"] != "care_as_usual"]


def tutorial_versus_flexible() -> str:
    s = summarise(_versus_flexible(), baseline="flexible")
    others = ("peer_first", "family_last")
    lines = ["| paired difference vs `flexible` [95%] | " + " | ".join(others) + " |", "|---|---|---|"]
    for outcome in TABLE_OUTCOMES:
        cells = []
        for st in others:
            r = _row(s, st, outcome)
            d = 1 if outcome == "hours_used_per_client_year" else 3
            cells.append(
                f"{r['diff_vs_baseline']:+.{d}f} [{r['diff_ci_low']:.{d}f}, {r['diff_ci_high']:.{d}f}]"
            )
        lines.append(f"| `{outcome}` | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def tutorial_perceived() -> str:
    """What the tutorial's `python -c` on summary.csv prints."""
    s = summarise(_versus_flexible(), baseline="flexible")
    cols = ["strategy", "mean", "diff_vs_baseline", "diff_ci_low", "diff_ci_high"]
    text = s[s.outcome == "perceived_support"][cols].round(3).to_string(index=False)
    return f"```\n{text}\n```\n"


def tutorial_crn() -> str:
    """What the tutorial's `python -c` on crn_narrowing.csv prints."""
    c = crn_narrowing(_versus_flexible(), baseline="flexible")
    text = c[c.outcome == "perceived_support"].round(3).to_string(index=False)
    return f"```\n{text}\n```\n"


def tutorial_pairs() -> str:
    s = summarise(runs("peer_first", PAIRS_STRATEGIES), baseline="flexible")
    parts = [f"{_row(s, st, 'has_support_group')['mean']:.3f} under `{st}`" for st in PAIRS_STRATEGIES]
    return f"What we got (`has_support_group`, clients in the shelter): {', '.join(parts)}.\n"


#: block name -> (file, renderer)
BLOCKS: dict[str, tuple[Path, Callable[[], str]]] = {
    "readme-findings": (README, readme_findings),
    "tutorial-compare": (TUTORIAL, tutorial_table),
    "tutorial-versus-flexible": (TUTORIAL, tutorial_versus_flexible),
    "tutorial-perceived": (TUTORIAL, tutorial_perceived),
    "tutorial-crn": (TUTORIAL, tutorial_crn),
    "tutorial-pairs": (TUTORIAL, tutorial_pairs),
}


def render(names: list[str] | None = None) -> dict[str, str]:
    """Each block's text as the model gives it now."""
    register_tutorial_strategy()
    return {name: BLOCKS[name][1]() for name in (names or BLOCKS)}


def blocks_in(path: Path) -> dict[str, str]:
    """The generated blocks a file holds now."""
    return {m["name"]: m["body"] for m in MARKER.finditer(path.read_text(encoding="utf-8"))}


def drifted(rendered: dict[str, str]) -> list[str]:
    """Blocks whose committed text differs from `rendered` (or whose markers are missing)."""
    out = []
    for name, text in rendered.items():
        committed = blocks_in(BLOCKS[name][0]).get(name)
        if committed != text:
            out.append(name)
    return out


def write(rendered: dict[str, str]) -> list[Path]:
    """Put each rendered block between its markers."""
    changed = []
    for path in dict.fromkeys(BLOCKS[name][0] for name in rendered):
        text = path.read_text(encoding="utf-8")

        def fill(m: re.Match[str]) -> str:
            body = rendered.get(m["name"], m["body"])
            return f"{m.group(1)}{body}{m.group(4)}"

        new = MARKER.sub(fill, text)
        missing = [n for n in rendered if BLOCKS[n][0] == path and n not in blocks_in(path)]
        if missing:
            raise DocsDrift(f"{path.name}: no markers for {', '.join(missing)}")
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
