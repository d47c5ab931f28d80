"""Figures of the mechanism analyses: bottleneck decomposition and knockouts."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from simulation.plots.labels import knob_label, mechanism_label, outcome_label, strategy_label, word
from simulation.plots.style import apply_style, save, strategy_colours

#: knob bars: one neutral colour, so they are not read as strategies
KNOB_COLOUR = "#5B6770"

#: an effect smaller than this (2 percentage points of a share) is too small to split into parts
MIN_EFFECT = 0.02


def decomposition_figure(
    table: pd.DataFrame, outcomes: list[str], from_: str, to: str, path: Path, lang: str = "en"
) -> Path:
    """Per outcome: each knob's share of the gap (%), with 95% intervals; two panels a row, so the
    figure keeps its size on a page."""
    apply_style()
    knobs = [k for k in dict.fromkeys(table["knob"]) if k != "total"]
    outcomes = [o for o in outcomes if o in set(table["outcome"])]
    ncols = min(2, len(outcomes))
    nrows = int(np.ceil(len(outcomes) / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(10, nrows * (0.42 * len(knobs) + 1.3) + 1.0),
        sharey=True,
        squeeze=False,
    )
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        block = table[table["outcome"] == outcome].set_index("knob")
        total = block.loc["total", "shapley"]
        y = np.arange(len(knobs))[::-1]
        for yi, knob in zip(y, knobs, strict=True):
            share = 100 * block.loc[knob, "shapley"] / total if total else np.nan
            low = 100 * block.loc[knob, "ci_low"] / total if total else np.nan
            high = 100 * block.loc[knob, "ci_high"] / total if total else np.nan
            low, high = min(low, high), max(low, high)
            if not np.isfinite(share):
                continue
            ax.barh(yi, share, color=KNOB_COLOUR, height=0.6)
            if abs(share) < 0.5:
                ax.text(0, yi, " 0", va="center", fontsize=8)  # a zero is a result, not a missing bar
            if np.isfinite(low):
                ax.errorbar(share, yi, xerr=[[share - low], [high - share]], color="black", capsize=3, lw=1)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([knob_label(k, lang) for k in knobs])
        gap = block.loc["total"]
        gap_text = f"{gap['shapley']:+.2f}"
        ax.set_title(
            textwrap.fill(f"{outcome_label(outcome, lang)} ({word('gap', lang)} {gap_text})", 44),
            fontsize=9.5,
            loc="left",
        )
        ax.set_xlabel(word("share_of_gap", lang), fontsize=8.5)
    for ax in axes.flat[len(outcomes) :]:
        ax.axis("off")
    first = table[(table["outcome"] == outcomes[0]) & (table["knob"] != "total")]
    top = first.sort_values("share", ascending=False).iloc[0]
    title = word(
        "decompose_title",
        lang,
        share=100 * (top["share"] if pd.notna(top["share"]) else 0.0),
        outcome=outcome_label(outcomes[0], lang).lower(),
        a=strategy_label(from_, lang),
        b=strategy_label(to, lang),
        knob=knob_label(top["knob"], lang),
    )
    fig.suptitle(textwrap.fill(title, 100), x=0.01, ha="left", fontweight="bold", fontsize=11)
    fig.text(0.99, 0.01, word("decompose_note", lang), ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    return save(fig, path, lang)


def knockout_headline(
    table: pd.DataFrame, outcome: str, lang: str = "en", min_effect: float = MIN_EFFECT
) -> str:
    """The figure's message in one sentence, shared by the figure's title and the report's text so
    the two agree: the largest dependence among effects big enough to split."""
    block = table[(table["outcome"] == outcome) & (table["effect_all_on"].abs() >= min_effect)]
    block = block[np.isfinite(block["share_dependent"])]
    if block.empty:
        return word("knockout_none", lang, outcome=outcome_label(outcome, lang).lower())
    top = block.sort_values("share_dependent", ascending=False).iloc[0]
    return word(
        "knockout_title",
        lang,
        mechanism=mechanism_label(top["mechanism"], lang),
        strategy=strategy_label(top["strategy"], lang),
        share=100 * min(1.0, top["share_dependent"]),
        outcome=outcome_label(outcome, lang).lower(),
    )


def knockout_figure(
    table: pd.DataFrame, outcome: str, path: Path, lang: str = "en", min_effect: float = MIN_EFFECT
) -> Path:
    """For one outcome: per mechanism, the share of each strategy's effect that depends on it. A
    strategy whose effect is too small to split is named in the legend, without bars."""
    apply_style()
    block = table[table["outcome"] == outcome]
    strategies = list(dict.fromkeys(block["strategy"]))
    mechanisms = list(dict.fromkeys(block["mechanism"]))
    colours = strategy_colours(strategies)
    fig, ax = plt.subplots(figsize=(8.5, 0.55 * len(mechanisms) * max(1, len(strategies)) / 1.6 + 2))
    height = 0.8 / len(strategies)
    y0 = np.arange(len(mechanisms))[::-1]
    too_small: list[Patch] = []
    for j, strategy in enumerate(strategies):
        rows = block[block["strategy"] == strategy].set_index("mechanism").loc[mechanisms]
        label = strategy_label(strategy, lang)
        if (rows["effect_all_on"].abs() < min_effect).all():
            too_small.append(
                Patch(
                    facecolor="white",
                    edgecolor=colours[strategy],
                    label=f"{label} ({word('effect_too_small', lang)})",
                )
            )
            continue
        y = y0 + (len(strategies) - 1 - j - (len(strategies) - 1) / 2) * height
        share = 100 * rows["share_dependent"].to_numpy()
        low = 100 * rows["share_ci_low"].to_numpy()
        high = 100 * rows["share_ci_high"].to_numpy()
        ax.barh(y, share, height=height * 0.9, color=colours[strategy], label=label)
        for yi, value in zip(y, share, strict=True):
            if np.isfinite(value) and abs(value) < 0.5:
                ax.text(0, yi, " 0", va="center", fontsize=8)
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
    ax.set_title(
        textwrap.fill(knockout_headline(table, outcome, lang, min_effect), 64), loc="left", fontsize=10.5
    )
    handles, _ = ax.get_legend_handles_labels()
    ax.legend(handles=[*handles, *too_small], loc="lower right", fontsize=8)
    fig.text(0.99, 0.01, word("knockout_note", lang), ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, path, lang)
