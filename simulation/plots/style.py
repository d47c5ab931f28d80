"""One look for every figure: a colour-blind-safe palette with a fixed colour per strategy."""

from __future__ import annotations

import zlib

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
    """Known strategies keep their colour everywhere; any other strategy gets a colour from its name,
    so it too is the same in every figure (two unknown names can share one)."""
    free = [c for c in OKABE_ITO if c not in FIXED.values()]
    return {name: FIXED.get(name, free[zlib.crc32(name.encode("utf-8")) % len(free)]) for name in strategies}


def apply_style() -> None:
    sns.set_theme(context="notebook", style="whitegrid", font_scale=0.95)
    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 130, "axes.titleweight": "bold"})
