"""Figures of the global sensitivity analysis: Morris screening and Sobol indices.

One panel per response (an outcome under a strategy, or the paired difference between two
strategies); the title states the finding. Every text is in English and Dutch (`TEXT`, chosen by
`lang`); parameters keep their dotted paths, outcomes and strategies their usual labels.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.analysis.sensitivity import DIFFERENCE_SEP, is_difference, split_response
from simulation.model.outcomes import OUTCOMES
from simulation.plots.labels import outcome_label, strategy_label, translate
from simulation.plots.style import OKABE_ITO, apply_style, save

MU_STAR_COLOUR = OKABE_ITO[0]  # blue
SIGMA_COLOUR = OKABE_ITO[5]  # vermillion
S1_COLOUR = OKABE_ITO[0]  # blue
ST_COLOUR = OKABE_ITO[4]  # sky blue

TEXT: dict[str, dict[str, str]] = {
    "morris_title": {
        "en": "{parameter} matters most for {response} (μ* {value})",
        "nl": "{parameter} heeft de meeste invloed op {response} (μ* {value})",
    },
    "sobol_title": {
        "en": "{parameter} drives {response} most (ST {value:.2f})",
        "nl": "{parameter} bepaalt {response} het meest (ST {value:.2f})",
    },
    "no_finding": {
        "en": "No parameter changes {response} in this design",
        "nl": "Geen parameter verandert {response} in dit ontwerp",
    },
    "gap": {
        "en": "the gap in {outcome} between {a} and {b}",
        "nl": "het verschil in {outcome} tussen {a} en {b}",
    },
    "under": {"en": "{outcome} under {strategy}", "nl": "{outcome} bij {strategy}"},
    "panel_gap": {"en": "{outcome}: {a} minus {b}", "nl": "{outcome}: {a} min {b}"},
    "mu_star": {"en": "μ* (mean |elementary effect|)", "nl": "μ* (gemiddeld |elementair effect|)"},
    "sigma": {"en": "σ (interactions, non-linearity)", "nl": "σ (interacties, niet-lineariteit)"},
    "morris_axis": {
        "en": "change in outcome over the parameter's range ({unit})",
        "nl": "verandering in de uitkomst over het bereik van de parameter ({unit})",
    },
    "s1": {"en": "S1: first order (the parameter alone)", "nl": "S1: eerste orde (de parameter alleen)"},
    "st": {
        "en": "ST: total (with its interactions)",
        "nl": "ST: totaal (met de interacties)",
    },
    "sobol_axis": {
        "en": "Sobol index (share of the outcome's variance, 0-1)",
        "nl": "Sobol-index (aandeel in de variantie van de uitkomst, 0-1)",
    },
    "no_variation": {
        "en": "the outcome does not vary",
        "nl": "de uitkomst varieert niet",
    },
    "morris_note": {
        "en": (
            "Morris screening: {trajectories} trajectories x {k} parameters, {levels} levels, each range "
            "default ± {spread:.0%}; bars: μ*, lines: {level:.0%} bootstrap interval; top {show} per panel"
        ),
        "nl": (
            "Morris-screening: {trajectories} trajecten x {k} parameters, {levels} niveaus, elk bereik "
            "standaard ± {spread:.0%}; balk: μ*, lijn: {level:.0%}-bootstrapinterval; top {show} per paneel"
        ),
    },
    "sobol_note": {
        "en": (
            "Sobol indices from a Saltelli sample (N = {n}, {k} parameters; all others at their "
            "defaults); lines: {level:.0%} bootstrap interval; small N gives wide intervals"
        ),
        "nl": (
            "Sobol-indices uit een Saltelli-steekproef (N = {n}, {k} parameters; de rest op hun "
            "standaardwaarde); lijn: {level:.0%}-bootstrapinterval; kleine N geeft brede intervallen"
        ),
    },
    "unit_pp": {"en": "percentage points", "nl": "procentpunten"},
    "unit_0-1": {"en": "points on the 0-1 scale", "nl": "punten op de schaal 0-1"},
    "unit_hours": {"en": "hours", "nl": "uren"},
    "unit_naasten": {"en": "naasten", "nl": "naasten"},
    "unit_ties": {"en": "ties", "nl": "banden"},
    "unit_weeks": {"en": "weeks", "nl": "weken"},
    "unit_other": {"en": "outcome units", "nl": "eenheden van de uitkomst"},
}


def text(key: str, lang: str = "en", **fmt: object) -> str:
    return translate(TEXT, key, lang, **fmt)


def display_scale(outcome: str, lang: str = "en") -> tuple[float, str]:
    """How Morris effects of an outcome are shown: shares in percentage points, others as they are."""
    unit = OUTCOMES[outcome].unit if outcome in OUTCOMES else ""
    if unit == "share":
        return 100.0, text("unit_pp", lang)
    key = f"unit_{unit}"
    return 1.0, text(key if key in TEXT else "unit_other", lang)


def _strategies(part: str, lang: str) -> tuple[str, str | None]:
    if DIFFERENCE_SEP in part:
        a, b = part.split(DIFFERENCE_SEP, 1)
        return strategy_label(a, lang), strategy_label(b, lang)
    return strategy_label(part, lang), None


def response_phrase(response: str, lang: str = "en") -> str:
    """A response inside a sentence: 'the gap in housed between A and B' / 'housed under A'."""
    outcome, part = split_response(response)
    a, b = _strategies(part, lang)
    name = outcome_label(outcome, lang).lower()
    if b is not None:
        return text("gap", lang, outcome=name, a=a, b=b)
    return text("under", lang, outcome=name, strategy=a)


def panel_title(response: str, lang: str = "en") -> str:
    outcome, part = split_response(response)
    a, b = _strategies(part, lang)
    if b is not None:
        return text("panel_gap", lang, outcome=outcome_label(outcome, lang), a=a, b=b)
    return f"{outcome_label(outcome, lang)}: {a}"


def headline_response(responses: list[str]) -> str:
    """The response a figure's title is about: the first strategy difference, else the first."""
    differences = [r for r in responses if is_difference(r)]
    return (differences or responses)[0]


def _grid(n: int, panel_height: float, width: float = 15.5):
    ncols = 1 if n == 1 else 2
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, panel_height * nrows + 1.4), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, list(axes.flat[:n])


def _finish(fig, title: str, note: str, path: Path, lang: str = "en") -> Path:
    fig.suptitle(textwrap.fill(title, 120), x=0.01, ha="left", fontweight="bold", fontsize=12)
    fig.text(0.99, 0.005, textwrap.fill(note, 170), ha="right", va="bottom", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.025, 1, 0.97))
    return save(fig, path, lang)


def morris_figure(
    table: pd.DataFrame,
    path: Path,
    lang: str = "en",
    show: int = 12,
    trajectories: int | None = None,
    levels: int | None = None,
    spread: float | None = None,
    level: float = 0.95,
) -> Path:
    """Per response: the `show` parameters with the largest μ* (bars, with the interval of μ*) and
    their σ (diamonds), in the outcome's units over each parameter's whole range."""
    apply_style()
    responses = list(dict.fromkeys(table["response"]))
    k = table["parameter"].nunique()
    show = min(show, k)
    fig, axes = _grid(len(responses), 0.27 * show + 1.3)
    for i, (ax, response) in enumerate(zip(axes, responses, strict=True)):
        block = table[table["response"] == response].sort_values("mu_star", ascending=False).head(show)
        scale, unit = display_scale(split_response(response)[0], lang)
        y = np.arange(len(block))[::-1]
        mu_star = scale * block["mu_star"].to_numpy()
        conf = scale * block["mu_star_conf"].to_numpy()
        ax.barh(y, mu_star, color=MU_STAR_COLOUR, height=0.65, label=text("mu_star", lang))
        ax.errorbar(mu_star, y, xerr=conf, fmt="none", color="black", capsize=2.5, lw=0.9)
        ax.scatter(
            scale * block["sigma"].to_numpy(),
            y,
            marker="D",
            s=22,
            color=SIGMA_COLOUR,
            zorder=3,
            label=text("sigma", lang),
        )
        if not (block["mu_star"] > 0).any():
            ax.text(0.5, 0.5, text("no_variation", lang), ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks(y)
        ax.set_yticklabels(block["parameter"], fontsize=8)
        ax.set_xlim(left=0)
        ax.set_xlabel(text("morris_axis", lang, unit=unit), fontsize=8.5)
        ax.set_title(textwrap.fill(panel_title(response, lang), 58), fontsize=9.5, loc="left")
        if i == 0:
            ax.legend(loc="best", fontsize=7.5)
    headline = headline_response(responses)
    block = table[table["response"] == headline].sort_values("mu_star", ascending=False)
    scale, unit = display_scale(split_response(headline)[0], lang)
    best = block.iloc[0]
    if best["mu_star"] > 0:
        value = f"{scale * best['mu_star']:.2g} {unit}"
        title = text(
            "morris_title",
            lang,
            parameter=best["parameter"],
            response=response_phrase(headline, lang),
            value=value,
        )
    else:
        title = text("no_finding", lang, response=response_phrase(headline, lang))
    note = text(
        "morris_note",
        lang,
        trajectories=trajectories if trajectories is not None else "?",
        k=k,
        levels=levels if levels is not None else "?",
        spread=spread if spread is not None else float("nan"),
        level=level,
        show=show,
    )
    return _finish(fig, title, note, path, lang)


def sobol_figure(
    table: pd.DataFrame,
    path: Path,
    lang: str = "en",
    samples: int | None = None,
    level: float = 0.95,
) -> Path:
    """Per response: S1 and ST of each parameter with their intervals (parameters in table order)."""
    apply_style()
    responses = list(dict.fromkeys(table["response"]))
    parameters = list(dict.fromkeys(table["parameter"]))
    fig, axes = _grid(len(responses), 0.5 * len(parameters) + 1.4)
    y = np.arange(len(parameters))[::-1].astype(float)
    for i, (ax, response) in enumerate(zip(axes, responses, strict=True)):
        block = table[table["response"] == response].set_index("parameter").loc[parameters]
        if block["ST"].isna().all():
            ax.text(0.5, 0.5, text("no_variation", lang), ha="center", va="center", transform=ax.transAxes)
        for column, colour, offset in (("ST", ST_COLOUR, 0.19), ("S1", S1_COLOUR, -0.19)):
            values = block[column].to_numpy()
            conf = block[f"{column}_conf"].to_numpy()
            ax.barh(y + offset, values, height=0.36, color=colour, label=text(column.lower(), lang))
            ok = np.isfinite(values) & np.isfinite(conf)
            ax.errorbar(
                values[ok], y[ok] + offset, xerr=conf[ok], fmt="none", color="black", capsize=2, lw=0.8
            )
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels(parameters if i % 2 == 0 else [], fontsize=8)
        low, high = ax.get_xlim()
        ax.set_xlim(min(low, -0.05), max(high, 1.0))
        ax.set_xlabel(text("sobol_axis", lang), fontsize=8.5)
        ax.set_title(textwrap.fill(panel_title(response, lang), 58), fontsize=9.5, loc="left")
        if i == 0:
            ax.legend(loc="best", fontsize=7.5)
    headline = headline_response(responses)
    block = table[table["response"] == headline]
    if block["ST"].notna().any():
        best = block.loc[block["ST"].idxmax()]
        title = text(
            "sobol_title",
            lang,
            parameter=best["parameter"],
            response=response_phrase(headline, lang),
            value=best["ST"],
        )
    else:
        title = text("no_finding", lang, response=response_phrase(headline, lang))
    note = text("sobol_note", lang, n=samples if samples is not None else "?", k=len(parameters), level=level)
    return _finish(fig, title, note, path, lang)
