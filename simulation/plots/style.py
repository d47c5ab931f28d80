"""One look for every figure: a colour-blind-safe palette with a fixed colour per strategy."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import seaborn as sns

# Okabe-Ito colours (safe for the common forms of colour blindness)
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FIXED = {
    "care_as_usual": "#7F7F7F",
    "resource": "#E69F00",
    "flexible": "#0072B2",
    "peer_first": "#009E73",
}


def strategy_colours(strategies: list[str]) -> dict[str, str]:
    """Known strategies keep their colour everywhere; others take the next free one in order."""
    free = [c for c in OKABE_ITO if c not in FIXED.values()]
    colours = {}
    for name in strategies:
        if name in FIXED:
            colours[name] = FIXED[name]
        else:
            colours[name] = free[len([n for n in colours if n not in FIXED]) % len(free)]
    return colours


def apply_style() -> None:
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95)
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 130, "axes.titleweight": "bold"})
