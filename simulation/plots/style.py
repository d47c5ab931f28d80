"""One look for every figure: a colour-blind-safe palette with a fixed colour per strategy."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import IO

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.text import Text

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


#: a decimal point between two digits (in Dutch a decimal comma)
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


class _CommaFormatter(ticker.ScalarFormatter):
    """Matplotlib's usual tick labels, with a decimal comma."""

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _DECIMAL_POINT.sub(",", super().__call__(x, pos))

    def get_offset(self) -> str:
        return _DECIMAL_POINT.sub(",", super().get_offset())


def localise(fig: Figure, lang: str) -> None:
    """Dutch figures write numbers the Dutch way: 0,5 not 0.5, on ticks, labels, titles and notes."""
    if lang != "nl":
        return
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if type(formatter) is ticker.ScalarFormatter:
                axis.set_major_formatter(_CommaFormatter())
            elif isinstance(formatter, ticker.FixedFormatter):
                formatter.seq = [_DECIMAL_POINT.sub(",", str(s)) for s in formatter.seq]
    for text in fig.findobj(Text):
        content = text.get_text()
        if _DECIMAL_POINT.search(content):
            text.set_text(_DECIMAL_POINT.sub(",", content))


def save(fig: Figure, path: Path | IO[bytes], lang: str) -> Path | IO[bytes]:
    """Write a figure in the language's number format and close it. Text stays text in SVG, so
    a reader (and a test) can search it."""
    localise(fig, lang)
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(path)
    plt.close(fig)
    return path
