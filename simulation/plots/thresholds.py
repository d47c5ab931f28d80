"""Figure of the threshold map: the strict method's outcome as % of flexible support's, per setting."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Rectangle

from simulation.analysis.thresholds import NETWORK_SIZE, REFUSAL, TOLERANCE, describe_region
from simulation.plots.labels import outcome_label, strategy_label, translate
from simulation.plots.style import apply_style, save

COLORMAP = "cividis"  # sequential and colour-blind safe
OUTLINE = "#D55E00"  # Okabe-Ito vermillion: visible on both ends of cividis
MISSING = "#DDDDDD"

WORDS: dict[str, dict[str, str]] = {
    "title_nowhere": {
        "en": "{outcome}: the {strict} does not reach {reach}% of what {flexible} achieves anywhere on "
        "this map; at best {best}% (with {size} naasten, {refusal}% refusal, stramien tolerance "
        "{tolerance}), so the point where it would lies outside the map",
        "nl": "{outcome}: de {strict} haalt nergens op deze kaart {reach}% van wat {flexible} bereikt; "
        "hoogstens {best}% (bij {size} naasten, {refusal}% weigering, stramientolerantie {tolerance}); het "
        "punt waar dat wel lukt, ligt buiten de kaart",
    },
    "title_everywhere": {
        "en": "{outcome}: the {strict} reaches {reach}% of what {flexible} achieves everywhere on this map "
        "(lowest {worst}%)",
        "nl": "{outcome}: de {strict} haalt overal op deze kaart {reach}% van wat {flexible} bereikt "
        "(laagste {worst}%)",
    },
    "title_only": {
        "en": "{outcome}: the {strict} reaches {reach}% of what {flexible} achieves only with {conditions} "
        "({k} of {n} settings)",
        "nl": "{outcome}: de {strict} haalt alleen bij {conditions} {reach}% van wat {flexible} bereikt "
        "({k} van {n} situaties)",
    },
    "title_scattered": {
        "en": "{outcome}: the {strict} reaches {reach}% of what {flexible} achieves in {k} of {n} settings, "
        "with no single condition they all share",
        "nl": "{outcome}: de {strict} haalt {reach}% van wat {flexible} bereikt in {k} van {n} situaties, "
        "zonder één voorwaarde die ze allemaal delen",
    },
    "title_undefined": {
        "en": "{outcome}: {flexible} achieves nothing at any point of this map, so there is nothing "
        "for the {strict} to reach",
        "nl": "{outcome}: {flexible} bereikt op geen enkel punt van deze kaart iets, dus valt er voor de "
        "{strict} niets te halen",
    },
    "condition_size": {
        "en": "networks of at least {value} naasten",
        "nl": "netwerken van minstens {value} naasten",
    },
    "condition_refusal": {
        "en": "at most {value}% refusal",
        "nl": "hoogstens {value}% weigering",
    },
    "condition_tolerance": {
        "en": "a stramien tolerance of at least {value}",
        "nl": "een stramientolerantie van minstens {value}",
    },
    "and": {"en": "and", "nl": "en"},
    "x_label": {
        "en": "Mean network size (naasten per client who has any)",
        "nl": "Gemiddelde netwerkgrootte (naasten per cliënt met naasten)",
    },
    "y_label": {
        "en": "Clients refusing all contact with naasten (%)",
        "nl": "Cliënten die elk contact met naasten weigeren (%)",
    },
    "facet": {
        "en": "Stramien tolerance {value} (scale 0-1)",
        "nl": "Stramientolerantie {value} (schaal 0-1)",
    },
    "colour_bar": {
        "en": "{strict} as % of {flexible}",
        "nl": "{strict} als % van {flexible}",
    },
    "note": {
        "en": "Colour and number: mean {outcome} under {strict} as % of the mean under {flexible}; "
        "means over {reps} replications per setting, both strategies on the same seeds.",
        "nl": "Kleur en getal: gemiddelde {outcome} bij {strict} als % van het gemiddelde bij {flexible}; "
        "gemiddelden over {reps} herhalingen per situatie, beide strategieën met dezelfde seeds.",
    },
    "reaches": {
        "en": "reaches {reach}% (mean)",
        "nl": "haalt {reach}% (gemiddelde)",
    },
    "reaches_surely": {
        "en": "reaches {reach}% (also the lower 95% bound)",
        "nl": "haalt {reach}% (ook de ondergrens van het 95%-interval)",
    },
}


def word(key: str, lang: str = "en", **fmt: object) -> str:
    return translate(WORDS, key, lang, **fmt)


def number(value: float, lang: str = "en") -> str:
    """A grid value as people write it: no trailing zeros; a decimal comma in Dutch."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "nl" else text


def _percent(value: float) -> str:
    return f"{100 * value:.0f}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def finding(table: pd.DataFrame, lang: str = "en") -> str:
    """The map's message in one sentence, computed from the table."""
    region = describe_region(table)
    strict, flexible = str(table["strict"].iloc[0]), str(table["flexible"].iloc[0])
    common = {
        "strict": _lower(strategy_label(strict, lang)),
        "flexible": _lower(strategy_label(flexible, lang)),
        "outcome": _capital(outcome_label(str(table["outcome"].iloc[0]), lang)),
        "reach": _percent(region["reach"]),
    }
    if not np.isfinite(region["best_ratio"]):
        return word("title_undefined", lang, **common)
    if region["reaching"] == 0:
        return word(
            "title_nowhere",
            lang,
            **common,
            best=_percent(region["best_ratio"]),
            size=number(region["best_size"], lang),
            refusal=_percent(region["best_refusal"]),
            tolerance=number(region["best_tolerance"], lang),
        )
    if region["everywhere"]:
        return word("title_everywhere", lang, **common, worst=_percent(region["worst_ratio"]))
    conditions = []
    if region["min_size"] is not None:
        conditions.append(word("condition_size", lang, value=number(region["min_size"], lang)))
    if region["max_refusal"] is not None:
        conditions.append(word("condition_refusal", lang, value=_percent(region["max_refusal"])))
    if region["min_tolerance"] is not None:
        conditions.append(word("condition_tolerance", lang, value=number(region["min_tolerance"], lang)))
    counts = {"k": region["reaching"], "n": region["points"]}
    if not conditions:
        return word("title_scattered", lang, **common, **counts)
    joined = (
        conditions[0]
        if len(conditions) == 1
        else ", ".join(conditions[:-1]) + f" {word('and', lang)} " + conditions[-1]
    )
    return word("title_only", lang, **common, **counts, conditions=joined)


def _text_colour(rgba: tuple[float, ...]) -> str:
    luminance = 0.299 * rgba[0] + 0.587 * rgba[1] + 0.114 * rgba[2]
    return "black" if luminance > 0.5 else "white"


def threshold_figure(table: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    """Heatmaps of the ratio strict / flexible (%): x network size, y refusal share, a facet per
    stramien tolerance; cells that reach the threshold outlined (solid: also the lower bound)."""
    apply_style()
    sizes = sorted(table[NETWORK_SIZE].unique())
    refusals = sorted(table[REFUSAL].unique())
    tolerances = sorted(table[TOLERANCE].unique())
    strict, flexible = str(table["strict"].iloc[0]), str(table["flexible"].iloc[0])
    outcome = str(table["outcome"].iloc[0])
    reach = float(table["reach"].iloc[0])
    cmap = plt.get_cmap(COLORMAP).with_extremes(bad=MISSING)
    norm = Normalize(vmin=0, vmax=100)

    n = len(tolerances)
    fig, axes = plt.subplots(
        1,
        n + 1,
        figsize=(n * (0.62 * len(sizes) + 1.1) + 1.6, 0.5 * len(refusals) + 3.2),
        gridspec_kw={"width_ratios": [1.0] * n + [0.06]},
        squeeze=False,
    )
    axes, cax = axes[0][:n], axes[0][n]
    image = None
    for ax, tolerance in zip(axes, tolerances, strict=True):
        block = table[table[TOLERANCE] == tolerance]
        grid = block.pivot_table(index=REFUSAL, columns=NETWORK_SIZE, values="ratio", aggfunc="first")
        grid = grid.reindex(index=refusals, columns=sizes)
        flags = block.set_index([REFUSAL, NETWORK_SIZE])[["reaches", "reaches_surely"]]
        values = 100 * grid.to_numpy(dtype=float)
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, origin="lower", aspect="auto")
        for i, refusal in enumerate(refusals):
            for j, size in enumerate(sizes):
                value = values[i, j]
                if np.isnan(value):
                    ax.text(j, i, "-", ha="center", va="center", fontsize=8.5, color="#555555")
                    continue
                ax.text(
                    j,
                    i,
                    f"{value:.0f}%",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color=_text_colour(cmap(norm(value))),
                )
                if (refusal, size) in flags.index and flags.loc[(refusal, size), "reaches"]:
                    surely = bool(flags.loc[(refusal, size), "reaches_surely"])
                    ax.add_patch(
                        Rectangle(
                            (j - 0.45, i - 0.45),
                            0.9,
                            0.9,
                            fill=False,
                            edgecolor=OUTLINE,
                            lw=2.4,
                            linestyle="-" if surely else "--",
                        )
                    )
        ax.set_xticks(range(len(sizes)))
        ax.set_xticklabels([number(s, lang) for s in sizes])
        ax.set_yticks(range(len(refusals)))
        ax.set_yticklabels([_percent(r) for r in refusals] if ax is axes[0] else [])
        ax.grid(False)
        ax.set_title(word("facet", lang, value=number(tolerance, lang)), fontsize=9.5, loc="left")
        ax.set_xlabel(textwrap.fill(word("x_label", lang), 34), fontsize=8.5)
    axes[0].set_ylabel(textwrap.fill(word("y_label", lang), 34), fontsize=8.5)
    colour_bar = fig.colorbar(image, cax=cax)
    colour_bar.set_label(
        textwrap.fill(
            word(
                "colour_bar",
                lang,
                strict=strategy_label(strict, lang),
                flexible=_lower(strategy_label(flexible, lang)),
            ),
            40,
        ),
        fontsize=8.5,
    )
    colour_bar.ax.axhline(100 * reach, color=OUTLINE, lw=2)

    width = int(10 * fig.get_size_inches()[0])  # characters of the bold title per line
    fig.suptitle(
        textwrap.fill(finding(table, lang), width), x=0.01, ha="left", fontweight="bold", fontsize=11
    )
    reps = sorted(set(int(r) for r in table["n"]))
    note = word(
        "note",
        lang,
        outcome=_lower(outcome_label(outcome, lang)),
        strict=_lower(strategy_label(strict, lang)),
        flexible=_lower(strategy_label(flexible, lang)),
        reps=str(reps[0]) if len(reps) == 1 else f"{reps[0]}-{reps[-1]}",
    )
    fig.text(
        0.01,
        0.015,
        textwrap.fill(note, int(0.55 * 14 * fig.get_size_inches()[0])),
        ha="left",
        va="bottom",
        fontsize=7.5,
        color="#555555",
    )
    handles = [
        Patch(
            facecolor="none",
            edgecolor=OUTLINE,
            lw=2,
            linestyle="--",
            label=word("reaches", lang, reach=_percent(reach)),
        ),
        Patch(
            facecolor="none",
            edgecolor=OUTLINE,
            lw=2,
            linestyle="-",
            label=word("reaches_surely", lang, reach=_percent(reach)),
        ),
    ]
    fig.legend(handles=handles, loc="lower right", fontsize=7.5, frameon=False, ncol=2)
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return save(fig, path, lang)
