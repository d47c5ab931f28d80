"""The validation figure: each check's simulated value and interval against its expected band.

Targets and patterns have different units (shares, weeks, Cohen's d, ratios), so each row is drawn
on its own scale: the expected band spans the grey bar, and the numbers are written beside it.
Calibrated targets are drawn hollow: they were fitted, so they show the fit, not validation.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.analysis.validation import FIT, PATTERN_TEXT, ROLE_WORDS, pattern_words
from simulation.plots.style import apply_style, save

TEXT = {
    "title": {
        "en": "Held-out targets and known patterns: {passed} of {total} pass",
        "nl": "Achtergehouden doelen en bekende patronen: {passed} van de {total} goed",
    },
    "xlabel": {
        "en": "each row on its own scale: grey = expected band",
        "nl": "elke rij op eigen schaal: grijs = verwacht bereik",
    },
    "to": {"en": "to", "nl": "tot"},
    "note": {
        "en": (
            "dot and line: simulated mean and 95% interval; green pass, red fail; "
            "hollow: calibrated target (fit, not validation)"
        ),
        "nl": (
            "punt en lijn: gesimuleerd gemiddelde en 95%-interval; groen goed, rood fout; "
            "open: gekalibreerd doel (fit, geen validatie)"
        ),
    },
}
PASS, FAIL = "#009E73", "#D55E00"


def _scale(r: pd.Series) -> tuple[float, float, float, float]:
    """(left, right) of the drawn range and (band_low, band_high) within it, in the row's units."""
    values = [v for v in (r["simulated"], r["ci_low"], r["ci_high"]) if pd.notna(v)]
    low = r["low"] if pd.notna(r["low"]) else None
    high = r["high"] if pd.notna(r["high"]) else None
    ends = [v for v in (low, high) if v is not None] + values
    left, right = (min(ends), max(ends)) if ends else (0.0, 1.0)
    pad = 0.15 * (right - left) if right > left else 0.5
    left, right = left - pad, right + pad
    return left, right, low if low is not None else left, high if high is not None else right


def _fmt(x: float) -> str:
    return "–" if pd.isna(x) else (f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}")


def validation_figure(table: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    apply_style()
    n = len(table)
    fig, ax = plt.subplots(figsize=(13, 0.42 * n + 1.8))
    y = np.arange(n)[::-1]
    labels = []
    for yi, (_, r) in zip(y, table.iterrows(), strict=True):
        left, right, band_low, band_high = _scale(r)
        width = right - left

        def x(v: float, left: float = left, width: float = width) -> float:
            return (v - left) / width

        ax.barh(yi, x(band_high) - x(band_low), left=x(band_low), height=0.6, color="#DDDDDD", zorder=1)
        colour = PASS if r["passed"] else FAIL
        hollow = r["role"] == FIT
        if pd.notna(r["ci_low"]):
            ax.plot([x(r["ci_low"]), x(r["ci_high"])], [yi, yi], color=colour, lw=2, zorder=2)
        if pd.notna(r["simulated"]):
            ax.plot(
                x(r["simulated"]),
                yi,
                "o",
                color=colour,
                markerfacecolor="white" if hollow else colour,
                zorder=3,
            )
        expected = f"{_fmt(r['low'])} {TEXT['to'][lang]} {_fmt(r['high'])}"
        ax.text(
            1.02,
            yi,
            f"{_fmt(r['simulated'])}  ({expected})",
            va="center",
            fontsize=7.5,
            transform=ax.get_yaxis_transform(),
        )
        name = pattern_words(r["key"], lang)[0] if r["key"] in PATTERN_TEXT else str(r["pattern"])
        labels.append(f"[{ROLE_WORDS[r['role']][lang]}] {name}")
    ax.set_yticks(y)
    ax.set_yticklabels([textwrap.shorten(label, 85) for label in labels], fontsize=7.5)
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    ax.set_xlabel(TEXT["xlabel"][lang])
    counted = table[table["role"] != FIT]
    ax.set_title(
        TEXT["title"][lang].format(passed=int(counted["passed"].sum()), total=len(counted)), loc="left"
    )
    fig.text(0.99, 0.01, TEXT["note"][lang], ha="right", fontsize=7.5, color="#555555")
    fig.subplots_adjust(
        left=0.42, right=0.85, top=1 - 0.5 / fig.get_figheight(), bottom=0.9 / fig.get_figheight()
    )
    return save(fig, path, lang)
