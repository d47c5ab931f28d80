"""The validation figure: each pattern's simulated value and interval against the expected band."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.analysis.validation import PATTERN_TEXT, pattern_words
from simulation.plots.style import apply_style, save

TEXT = {
    "title": {
        "en": "{passed} of {total} known patterns are reproduced by the model",
        "nl": "Het model reproduceert {passed} van de {total} bekende patronen",
    },
    "xlabel": {"en": "simulated value (share or ratio)", "nl": "gesimuleerde waarde (aandeel of verhouding)"},
    "note": {
        "en": "grey: expected range; dot and line: simulated mean and 95% interval; green pass, red fail",
        "nl": (
            "grijs: verwacht bereik; punt en lijn: gesimuleerd gemiddelde en 95%-interval; "
            "groen goed, rood fout"
        ),
    },
}
PASS, FAIL = "#009E73", "#D55E00"


def validation_figure(table: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    apply_style()
    n = len(table)
    fig, ax = plt.subplots(figsize=(10, 0.42 * n + 1.6))
    y = np.arange(n)[::-1]
    for yi, (_, r) in zip(y, table.iterrows(), strict=True):
        low = r["low"] if pd.notna(r["low"]) else min(0.0, r["simulated"])
        high = r["high"] if pd.notna(r["high"]) else max(1.0, r["simulated"])
        ax.barh(yi, high - low, left=low, height=0.6, color="#DDDDDD", zorder=1)
        colour = PASS if r["passed"] else FAIL
        if pd.notna(r["ci_low"]):
            ax.plot([r["ci_low"], r["ci_high"]], [yi, yi], color=colour, lw=2, zorder=2)
        ax.plot(r["simulated"], yi, "o", color=colour, zorder=3)
    ax.set_yticks(y)
    labels = [
        pattern_words(key, lang, weeks=int(weeks))[0] if key in PATTERN_TEXT else pattern
        for key, pattern, weeks in zip(table["key"], table["pattern"], table["weeks"], strict=True)
    ]
    ax.set_yticklabels([textwrap.shorten(label, 80) for label in labels], fontsize=8)
    ax.set_xlabel(TEXT["xlabel"][lang])
    ax.set_title(TEXT["title"][lang].format(passed=int(table["passed"].sum()), total=n), loc="left")
    fig.text(0.99, 0.01, TEXT["note"][lang], ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return save(fig, path, lang)
