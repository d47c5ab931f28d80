"""Live plots of the main outcomes over the weeks, from the model's weekly records.

Two panels because the units differ: shares of all clients (%) and mean scores (0-1). Every
outcome keeps one colour, on the page and between runs.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from simulation.app.words import page_word
from simulation.plots.labels import outcome_label

#: outcomes shown as a share of all clients (%), with their fixed colours
SHARE_OUTCOMES: dict[str, str] = {
    "has_support_group": "#0072B2",
    "formal_group": "#E69F00",
    "housed": "#009E73",
    "dropped_out": "#D55E00",
}
#: outcomes shown as a mean score (0-1), with their fixed colours and line styles
SCORE_OUTCOMES: dict[str, tuple[str, str]] = {
    "perceived_support": ("#CC79A7", "-"),
    "rust": ("#56B4E9", "--"),
    "eigen_regie": ("#000000", ":"),
}


def outcomes_figure(weekly: pd.DataFrame, weeks: int, lang: str = "en") -> Figure:
    """Shares (%) and scores (0-1) per week from `weekly` (a `PageModel.weekly_frame()`)."""
    fig = Figure(figsize=(6.8, 6.4), dpi=90, layout="constrained")
    top, bottom = fig.subplots(2, 1, sharex=True)
    x = weekly["week"] if len(weekly) else []
    for name, colour in SHARE_OUTCOMES.items():
        y = 100 * weekly[name] if len(weekly) else []
        top.plot(x, y, color=colour, lw=2, label=outcome_label(name, lang), marker="." if len(x) < 3 else "")
    for name, (colour, style) in SCORE_OUTCOMES.items():
        y = weekly[name] if len(weekly) else []
        bottom.plot(
            x,
            y,
            color=colour,
            lw=2,
            ls=style,
            label=outcome_label(name, lang),
            marker="." if len(x) < 3 else "",
        )
    top.set_ylim(0, 100)
    bottom.set_ylim(0, 1)
    top.set_ylabel(page_word("share_axis", lang))
    bottom.set_ylabel(page_word("score_axis", lang))
    bottom.set_xlabel(page_word("week", lang))
    top.set_title(page_word("shares_panel", lang), fontsize=10, loc="left")
    bottom.set_title(page_word("scores_panel", lang), fontsize=10, loc="left")
    bottom.set_xlim(0, max(weeks, 1))
    for ax in (top, bottom):
        ax.grid(True, color="#E5E5E5", lw=0.8)
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False)
    if len(weekly) <= 1:
        top.text(
            0.5,
            0.5,
            page_word("press_step", lang),
            transform=top.transAxes,
            ha="center",
            va="center",
            color="#555555",
        )
    return fig
