"""Figures of a strategy comparison: support groups over time, and outcomes at the end."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.analysis.effects import weekly_bands
from simulation.model.outcomes import HEADLINE_OUTCOMES, OUTCOMES
from simulation.plots.labels import outcome_label, strategy_label, unit_label, word
from simulation.plots.style import apply_style, save, strategy_colours

END_OUTCOMES = list(HEADLINE_OUTCOMES)


def _scale(outcome: str) -> float:
    return 100.0 if OUTCOMES[outcome].unit == "share" else 1.0


def support_group_over_time(weekly: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    """Share of clients with a support group per week, per strategy, with 95% bands."""
    apply_style()
    strategies = list(dict.fromkeys(weekly["strategy"]))
    colours = strategy_colours(strategies)
    bands = weekly_bands(weekly, "has_support_group")
    fig, ax = plt.subplots(figsize=(8, 4.8))
    for strategy in strategies:
        b = bands[bands["strategy"] == strategy]
        label = strategy_label(strategy, lang)
        ax.plot(b["week"], 100 * b["mean"], color=colours[strategy], lw=2, label=label)
        low = b["ci_low"].fillna(b["mean"])
        high = b["ci_high"].fillna(b["mean"])
        ax.fill_between(b["week"], 100 * low, 100 * high, color=colours[strategy], alpha=0.2, lw=0)
    last = bands[bands["week"] == bands["week"].max()].sort_values("mean", ascending=False)
    weeks = int(bands["week"].max())
    if len(last) >= 2:
        title = word(
            "group_title",
            lang,
            weeks=weeks,
            best=strategy_label(last.iloc[0]["strategy"], lang),
            value=100 * last.iloc[0]["mean"],
            runner=strategy_label(last.iloc[1]["strategy"], lang),
            runner_value=100 * last.iloc[1]["mean"],
        )
    else:
        title = outcome_label("has_support_group", lang)
    ax.set_title(textwrap.fill(title, 80), fontsize=10.5, loc="left")
    ax.set_xlabel(word("week", lang))
    ax.set_ylabel(word("share_with_group", lang))
    ax.set_ylim(0, 100)
    ax.set_xlim(1, weeks)
    ax.legend(title=word("strategy", lang), loc="center right", frameon=True)
    ax.annotate(
        word("interval_note", lang),
        xy=(1, -0.13),
        xycoords="axes fraction",
        ha="right",
        fontsize=8,
        color="#555555",
    )
    fig.tight_layout()
    return save(fig, path, lang)


def end_outcomes(
    summary: pd.DataFrame, weeks: int, path: Path, lang: str = "en", outcomes: list[str] | None = None
) -> Path:
    """A small panel per outcome: mean and 95% interval per strategy."""
    apply_style()
    outcomes = [o for o in (outcomes or END_OUTCOMES) if o in set(summary["outcome"])]
    strategies = list(dict.fromkeys(summary["strategy"]))
    colours = strategy_colours(strategies)
    ncols = 3
    nrows = int(np.ceil(len(outcomes) / ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(11, 1.0 + nrows * (0.9 + 0.32 * len(strategies))),
        squeeze=False,
        sharey=True,
    )
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        block = summary[summary["outcome"] == outcome].set_index("strategy").loc[strategies]
        k = _scale(outcome)
        y = np.arange(len(strategies))[::-1]
        means = k * block["mean"].to_numpy()
        low = k * block["ci_low"].fillna(block["mean"]).to_numpy()
        high = k * block["ci_high"].fillna(block["mean"]).to_numpy()
        for yi, m, lo, hi, s in zip(y, means, low, high, strategies, strict=True):
            ax.barh(yi, m, color=colours[s], alpha=0.85, height=0.65)
            ax.errorbar(m, yi, xerr=[[m - lo], [hi - m]], color="black", capsize=3, lw=1)
        ax.set_yticks(y)
        ax.set_yticklabels([strategy_label(s, lang) for s in strategies], fontsize=8.5)
        ax.set_title(textwrap.fill(outcome_label(outcome, lang), 34), fontsize=9.5, loc="left")
        ax.set_xlabel(unit_label(OUTCOMES[outcome].unit, lang), fontsize=8)
        if OUTCOMES[outcome].unit == "share":
            ax.set_xlim(0, 100)
    for ax in axes.flat[len(outcomes) :]:
        ax.axis("off")
    fig.suptitle(word("end_title", lang, weeks=weeks), x=0.01, ha="left", fontweight="bold")
    fig.tight_layout()
    return save(fig, path, lang)
