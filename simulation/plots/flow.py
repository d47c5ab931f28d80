"""Figures of the shelter as a flow: time to housing, exits by route, and effects by subgroup."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import IO

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.plots.labels import strategy_label, translate
from simulation.plots.style import apply_style, save, strategy_colours

ROUTES = ("housing_market", "network_home", "naaste_stay", "care", "unknown")

TEXT: dict[str, dict[str, str]] = {
    "weeks_after_arrival": {
        "en": "weeks after arriving at the shelter",
        "nl": "weken na aankomst in de opvang",
    },
    "share_housed": {"en": "has a home of their own (%)", "nl": "heeft een eigen woning (%)"},
    "share_left": {"en": "has left the shelter (%)", "nl": "heeft de opvang verlaten (%)"},
    "title_housing": {
        "en": "Time to a home of one's own, from arrival (Kaplan-Meier)",
        "nl": "Tijd tot een eigen woning, vanaf aankomst (Kaplan-Meier)",
    },
    "title_exit": {
        "en": "Time to leaving the shelter by any route, from arrival (Kaplan-Meier)",
        "nl": "Tijd tot vertrek uit de opvang langs elke route, vanaf aankomst (Kaplan-Meier)",
    },
    "km_note": {
        "en": "lines: share reached, counting clients not yet housed (or no longer followed) for as long as "
        "they were seen; bands: 95% interval",
        "nl": "lijnen: aandeel dat het bereikt, met cliënten die (nog) geen woning hebben of niet meer "
        "gevolgd worden meegeteld zolang ze in beeld waren; banden: 95%-interval",
    },
    "exits_title": {
        "en": "Exits from the shelter per year, by route",
        "nl": "Vertrek uit de opvang per jaar, naar route",
    },
    "exits_axis": {
        "en": "people per year (mean and 95% interval)",
        "nl": "mensen per jaar (gemiddelde en 95%-interval)",
    },
    "route_housing_market": {"en": "home through the housing market", "nl": "woning via de woningmarkt"},
    "route_network_home": {"en": "room or home through the network", "nl": "kamer of woning via het netwerk"},
    "route_naaste_stay": {"en": "staying with a naaste", "nl": "logeren bij een naaste"},
    "route_care": {"en": "supported housing or care", "nl": "beschermd wonen of zorg"},
    "route_unknown": {"en": "left, destination unknown", "nl": "vertrokken, bestemming onbekend"},
    "whom_title": {
        "en": "For whom: support group 26 weeks after arrival, difference from {baseline}",
        "nl": "Voor wie: steungroep 26 weken na aankomst, verschil met {baseline}",
    },
    "whom_axis": {"en": "difference (percentage points)", "nl": "verschil (procentpunt)"},
    "whom_note": {
        "en": "paired: the same arrivals under each strategy; lines: 95% interval over replications",
        "nl": "gepaard: dezelfde cliënten onder elke strategie; lijnen: 95%-interval over herhalingen",
    },
    "dim_network": {"en": "naasten at arrival", "nl": "naasten bij aankomst"},
    "dim_refusal": {"en": "contact with naasten", "nl": "contact met naasten"},
    "dim_stramien": {"en": "fit with a fixed structure", "nl": "passing bij een vaste structuur"},
    "group_none": {"en": "no naasten at all", "nl": "helemaal geen naasten"},
    "group_1-3": {"en": "1 to 3", "nl": "1 tot 3"},
    "group_4-7": {"en": "4 to 7", "nl": "4 tot 7"},
    "group_8+": {"en": "8 or more", "nl": "8 of meer"},
    "group_refuses": {"en": "refuses all contact", "nl": "weigert elk contact"},
    "group_allows": {"en": "allows some contact", "nl": "staat contact toe"},
    "group_low": {"en": "low", "nl": "laag"},
    "group_middle": {"en": "middle", "nl": "midden"},
    "group_high": {"en": "high", "nl": "hoog"},
}


#: subgroups in reading order
GROUP_ORDER: dict[str, tuple[str, ...]] = {
    "network": ("none", "1-3", "4-7", "8+"),
    "refusal": ("allows", "refuses"),
    "stramien": ("low", "middle", "high"),
}


def word(key: str, lang: str = "en", **fmt: object) -> str:
    return translate(TEXT, key, lang, **fmt)


def route_label(route: str, lang: str = "en") -> str:
    return word(f"route_{route}", lang)


def group_label(dimension: str, group: str, lang: str = "en") -> str:
    return word(f"group_{group}", lang)


def time_to_event_figure(
    curves: pd.DataFrame,
    path: Path | IO[bytes],
    lang: str = "en",
    event: str = "housing",
    horizon: float | None = None,
) -> Path | IO[bytes]:
    """Share of arrivals who reached the event by each week after arrival (1 - Kaplan-Meier), per
    strategy, as steps with their band."""
    apply_style()
    strategies = list(dict.fromkeys(curves["strategy"]))
    colours = strategy_colours(strategies)
    fig, ax = plt.subplots(figsize=(8, 4.6))
    for strategy in strategies:
        c = curves[curves["strategy"] == strategy]
        if horizon is not None:
            c = c[c["week"] <= horizon]
        colour = colours[strategy]
        ax.step(
            c["week"],
            100 * c["reached"],
            where="post",
            color=colour,
            lw=2,
            label=strategy_label(strategy, lang),
        )
        ax.fill_between(
            c["week"],
            100 * (1 - c["ci_high"]),
            100 * (1 - c["ci_low"]),
            step="post",
            color=colour,
            alpha=0.18,
            lw=0,
        )
    ax.set_xlabel(word("weeks_after_arrival", lang))
    ax.set_ylabel(word("share_housed" if event == "housing" else "share_left", lang))
    top = 100 * float((1 - curves["ci_low"]).max()) if len(curves) else 100.0
    ax.set_ylim(0, min(100.0, max(10.0, 10 * np.ceil(top / 10 + 0.5))))
    ax.set_xlim(0, None)
    ax.set_title(word(f"title_{event}", lang), loc="left", fontsize=10.5)
    ax.legend(loc="upper left", frameon=True)
    fig.text(0.99, 0.01, textwrap.fill(word("km_note", lang), 130), ha="right", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return save(fig, path, lang)


def exits_by_route_figure(
    summary: pd.DataFrame, path: Path | IO[bytes], lang: str = "en"
) -> Path | IO[bytes]:
    """Exits per year by route: a group of bars per route, a bar per strategy (zero drawn as zero)."""
    apply_style()
    strategies = list(dict.fromkeys(summary["strategy"]))
    colours = strategy_colours(strategies)
    routes = [r for r in ROUTES if f"exits_{r}_per_year" in set(summary["outcome"])]
    fig, ax = plt.subplots(figsize=(8, 0.9 * len(routes) + 1.6))
    height = 0.8 / len(strategies)
    y0 = np.arange(len(routes))[::-1]
    rows = summary.set_index(["outcome", "strategy"])
    for j, strategy in enumerate(strategies):
        y = y0 + ((len(strategies) - 1) / 2 - j) * height
        r = [rows.loc[(f"exits_{route}_per_year", strategy)] for route in routes]
        mean = np.array([x["mean"] for x in r], dtype=float)
        low = np.array([x["ci_low"] for x in r], dtype=float)
        high = np.array([x["ci_high"] for x in r], dtype=float)
        low, high = np.where(np.isnan(low), mean, low), np.where(np.isnan(high), mean, high)
        ax.barh(y, mean, height=height * 0.9, color=colours[strategy], label=strategy_label(strategy, lang))
        ax.errorbar(mean, y, xerr=[mean - low, high - mean], fmt="none", color="black", capsize=2, lw=0.9)
        for yi, m, h in zip(y, mean, high, strict=True):
            ax.text(h, yi, f"  {m:.0f}", va="center", fontsize=8)
    ax.set_yticks(y0)
    ax.set_yticklabels([textwrap.fill(route_label(r, lang), 24) for r in routes])
    ax.set_xlabel(word("exits_axis", lang))
    ax.set_xlim(0, None)
    ax.set_xlim(0, ax.get_xlim()[1] * 1.08)  # room for the numbers
    ax.set_title(word("exits_title", lang), loc="left", fontsize=10.5)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(strategies), fontsize=8.5, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return save(fig, path, lang)


def subgroup_figure(
    effects: pd.DataFrame, baseline: str, path: Path | IO[bytes], lang: str = "en"
) -> Path | IO[bytes]:
    """A panel per way of grouping clients; per group, each strategy's paired difference from the
    baseline with its interval."""
    apply_style()
    effects = effects[effects["strategy"] != baseline]
    strategies = list(dict.fromkeys(effects["strategy"]))
    colours = strategy_colours(strategies)
    dimensions = list(dict.fromkeys(effects["dimension"]))
    counts = [effects.loc[effects["dimension"] == d, "group"].nunique() for d in dimensions]
    fig, axes = plt.subplots(
        len(dimensions),
        1,
        figsize=(8, 0.45 * sum(counts) + 0.9 * len(dimensions) + 1.0),
        squeeze=False,
        gridspec_kw={"height_ratios": counts},
        sharex=True,
    )
    height = 0.8 / max(1, len(strategies))
    for ax, dimension in zip(axes[:, 0], dimensions, strict=True):
        block = effects[effects["dimension"] == dimension]
        groups = [g for g in GROUP_ORDER[dimension] if g in set(block["group"])]
        y0 = np.arange(len(groups))[::-1]
        for j, strategy in enumerate(strategies):
            rows = block[block["strategy"] == strategy].set_index("group").reindex(groups)
            y = y0 + ((len(strategies) - 1) / 2 - j) * height
            d = 100 * rows["diff_vs_baseline"].to_numpy(dtype=float)
            low = 100 * rows["diff_ci_low"].fillna(rows["diff_vs_baseline"]).to_numpy(dtype=float)
            high = 100 * rows["diff_ci_high"].fillna(rows["diff_vs_baseline"]).to_numpy(dtype=float)
            ax.barh(y, d, height=height * 0.9, color=colours[strategy], label=strategy_label(strategy, lang))
            ax.errorbar(d, y, xerr=[d - low, high - d], fmt="none", color="black", capsize=2, lw=0.9)
            for yi, value in zip(y, d, strict=True):
                if np.isfinite(value) and abs(value) < 0.5:  # a zero is a result, not a missing bar
                    ax.text(0, yi, " 0", va="center", fontsize=8)
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_yticks(y0)
        ax.set_yticklabels([group_label(dimension, g, lang) for g in groups], fontsize=8.5)
        ax.set_title(word(f"dim_{dimension}", lang), loc="left", fontsize=9.5)
    axes[-1, 0].set_xlabel(word("whom_axis", lang))
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.01, 0.025),
        ncol=len(strategies),
        fontsize=8.5,
        frameon=False,
    )
    fig.suptitle(
        textwrap.fill(word("whom_title", lang, baseline=strategy_label(baseline, lang).lower()), 90),
        x=0.01,
        ha="left",
        fontweight="bold",
        fontsize=10.5,
    )
    fig.text(0.99, 0.005, word("whom_note", lang), ha="right", va="bottom", fontsize=7.5, color="#555555")
    fig.tight_layout(rect=(0, 0.07, 1, 0.97))
    return save(fig, path, lang)
