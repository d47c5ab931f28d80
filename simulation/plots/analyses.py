"""Figures of the mechanism analyses: bottleneck decomposition and knockouts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.plots.labels import knob_label, mechanism_label, outcome_label, strategy_label, word
from simulation.plots.style import OKABE_ITO, apply_style, save, strategy_colours


def decomposition_figure(
    table: pd.DataFrame, outcomes: list[str], from_: str, to: str, path: Path, lang: str = "en"
) -> Path:
    """Per outcome: each knob's share of the gap (%), with 95% intervals."""
    apply_style()
    knobs = [k for k in dict.fromkeys(table["knob"]) if k != "total"]
    outcomes = [o for o in outcomes if o in set(table["outcome"])]
    fig, axes = plt.subplots(
        1,
        len(outcomes),
        figsize=(3.6 * len(outcomes) + 1.2, 0.45 * len(knobs) + 2.2),
        sharey=True,
        squeeze=False,
    )
    colours = {k: OKABE_ITO[i % len(OKABE_ITO)] for i, k in enumerate(knobs)}
    for ax, outcome in zip(axes[0], outcomes, strict=True):
        block = table[table["outcome"] == outcome].set_index("knob")
        total = block.loc["total", "shapley"]
        y = np.arange(len(knobs))[::-1]
        for yi, knob in zip(y, knobs, strict=True):
            share = 100 * block.loc[knob, "shapley"] / total if total else np.nan
            low = 100 * block.loc[knob, "ci_low"] / total if total else np.nan
            high = 100 * block.loc[knob, "ci_high"] / total if total else np.nan
            low, high = min(low, high), max(low, high)
            ax.barh(yi, share, color=colours[knob], height=0.65)
            if np.isfinite(low):
                ax.errorbar(share, yi, xerr=[[share - low], [high - share]], color="black", capsize=3, lw=1)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([knob_label(k, lang) for k in knobs])
        gap = block.loc["total"]
        gap_text = f"{gap['shapley']:+.2f}"
        gap_text = gap_text.replace(".", ",") if lang == "nl" else gap_text
        ax.set_title(
            textwrap.fill(f"{outcome_label(outcome, lang)} ({word('gap', lang)} {gap_text})", 32),
            fontsize=9.5,
            loc="left",
        )
        ax.set_xlabel(word("share_of_gap", lang), fontsize=8.5)
    first = table[(table["outcome"] == outcomes[0]) & (table["knob"] != "total")]
    top = first.sort_values("share", ascending=False).iloc[0]
    title = word(
        "decompose_title",
        lang,
        share=100 * top["share"],
        outcome=outcome_label(outcomes[0], lang).lower(),
        a=strategy_label(from_, lang),
        b=strategy_label(to, lang),
        knob=knob_label(top["knob"], lang),
    )
    fig.suptitle(textwrap.fill(title, 110), x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.text(0.99, 0.01, word("decompose_note", lang), ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    return save(fig, path, lang)


def knockout_figure(table: pd.DataFrame, outcome: str, path: Path, lang: str = "en") -> Path:
    """For one outcome: per mechanism, the share of each strategy's effect that depends on it."""
    apply_style()
    block = table[table["outcome"] == outcome]
    strategies = list(dict.fromkeys(block["strategy"]))
    mechanisms = list(dict.fromkeys(block["mechanism"]))
    colours = strategy_colours(strategies)
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(mechanisms) * max(1, len(strategies)) / 1.6 + 2))
    height = 0.8 / len(strategies)
    y0 = np.arange(len(mechanisms))[::-1]
    for j, strategy in enumerate(strategies):
        rows = block[block["strategy"] == strategy].set_index("mechanism").loc[mechanisms]
        y = y0 + (len(strategies) - 1 - j - (len(strategies) - 1) / 2) * height
        share = 100 * rows["share_dependent"].to_numpy()
        low = 100 * rows["share_ci_low"].to_numpy()
        high = 100 * rows["share_ci_high"].to_numpy()
        ax.barh(y, share, height=height * 0.9, color=colours[strategy], label=strategy_label(strategy, lang))
        ok = np.isfinite(low) & np.isfinite(high)
        ax.errorbar(
            share[ok],
            y[ok],
            xerr=[share[ok] - low[ok], high[ok] - share[ok]],
            fmt="none",
            color="black",
            capsize=2,
            lw=0.9,
        )
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y0)
    ax.set_yticklabels([mechanism_label(m, lang) for m in mechanisms])
    ax.set_xlabel(word("share_dependent", lang))
    top = block.sort_values("share_dependent", ascending=False).iloc[0]
    ax.set_title(
        textwrap.fill(
            word(
                "knockout_title",
                lang,
                mechanism=mechanism_label(top["mechanism"], lang),
                strategy=strategy_label(top["strategy"], lang),
                share=100 * top["share_dependent"],
                outcome=outcome_label(outcome, lang).lower(),
            ),
            64,
        ),
        loc="left",
        fontsize=10.5,
    )
    ax.legend(loc="lower right", fontsize=8)
    fig.text(0.99, 0.01, word("knockout_note", lang), ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, path, lang)
