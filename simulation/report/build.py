"""`snf report`: one self-contained HTML file (figures embedded) from a results folder.

The folder is what `make run` leaves: a strategy comparison (summary.csv, weekly.csv, manifest.json)
and, where they were run, sub-folders with a bottleneck decomposition, mechanism knockouts, a
threshold map and the pattern validation. Figures are drawn again in the report's language.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.analysis import survival
from simulation.analysis.effects import subgroup_effects, t_interval
from simulation.model.outcomes import HEADLINE_OUTCOMES, OUTCOMES
from simulation.plots.analyses import decomposition_figure, knockout_figure, knockout_headline
from simulation.plots.compare import end_outcomes, support_group_over_time
from simulation.plots.flow import ROUTES, exits_by_route_figure, subgroup_figure, time_to_event_figure
from simulation.plots.labels import knob_label, outcome_label, strategy_description, strategy_label, translate
from simulation.plots.thresholds import finding as threshold_finding
from simulation.plots.thresholds import threshold_figure
from simulation.plots.validation import validation_figure
from simulation.report.texts import TEXT, t

KEY_OUTCOMES = list(HEADLINE_OUTCOMES)


class ReportError(ValueError):
    """The folder cannot be reported on; the message says why."""


@dataclass
class Results:
    folder: Path
    manifest: dict[str, Any]
    summary: pd.DataFrame
    weekly: pd.DataFrame
    parts: dict[str, tuple[Path, dict[str, Any]]] = field(default_factory=dict)  # kind -> (folder, manifest)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load_results(folder: Path) -> Results:
    folder = Path(folder)
    if not folder.is_dir():
        raise ReportError(f"{folder}: no such folder")
    needed = [folder / name for name in ("summary.csv", "weekly.csv", "manifest.json")]
    missing = [p.name for p in needed if not p.exists()]
    if missing:
        raise ReportError(
            f"{folder}: not a comparison's results (missing {', '.join(missing)}); "
            "make one with `snf compare --out FOLDER` or `make run`"
        )
    results = Results(
        folder,
        _read_json(folder / "manifest.json"),
        pd.read_csv(folder / "summary.csv"),
        pd.read_csv(folder / "weekly.csv"),
    )
    for manifest_path in sorted(folder.glob("*/manifest.json")):
        manifest = _read_json(manifest_path)
        kind = manifest.get("kind")
        if kind in ("decompose", "mechanisms", "threshold_map", "validate"):
            results.parts[kind] = (manifest_path.parent, manifest)
    return results


# --- numbers in words ------------------------------------------------------------------------------


def _dutch(text: str, lang: str) -> str:
    """Dutch writes 1.234,5 where English writes 1,234.5."""
    if lang != "nl":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def pct(value: float, lang: str) -> str:
    return f"{100 * value:.0f}%" if pd.notna(value) else "-"


def num(value: float, lang: str, digits: int = 2) -> str:
    if pd.isna(value):
        return "-"
    return _dutch(f"{value:,.{digits}f}", lang)


def euros(value: float, lang: str) -> str:
    if pd.isna(value):
        return "-"
    rounded = round(value, -2) if abs(value) >= 10_000 else round(value, -1)
    return "€ " + _dutch(f"{rounded:,.0f}", lang) if lang == "nl" else f"€{rounded:,.0f}"


def signed(value: float, share: bool, lang: str, digits: int = 2) -> str:
    if pd.isna(value):
        return "-"
    if share:
        unit = (
            "procentpunt"
            if lang == "nl"
            else ("percentage point" if round(abs(100 * value)) == 1 else "percentage points")
        )
        return _dutch(f"{100 * value:+.0f} {unit}", lang)
    return _dutch(f"{value:+,.{digits}f}", lang)


def points(value: float, lang: str) -> str:
    """A difference in shares, as percentage points."""
    return signed(value, True, lang)


def fmt_value(outcome: str, value: float, lang: str) -> str:
    unit = OUTCOMES[outcome].unit if outcome in OUTCOMES else ""
    if unit == "share":
        return pct(value, lang)
    if unit.endswith("/year") or unit.endswith("/client-year") or unit == "clients":
        return num(value, lang, 0 if abs(value) >= 10 else 1)
    return num(value, lang, 1 if unit in ("hours", "weeks") else 2)


def in_words(share: float, lang: str, alone: bool = False) -> str:
    """A share as people say it: 'about 3 in 4' (the nearest simple fraction); `alone` when no noun
    follows ('none' rather than 'no')."""
    if pd.isna(share):
        return "-"
    if share <= 0.0005:
        return t("alone_none" if alone else "words_none", lang)
    if share < 0.02:
        return t("words_almost_none", lang)
    if share < 0.05:
        return t("words_few", lang)
    if share > 0.97:
        return t("words_all", lang)
    if abs(share - 0.5) <= 0.03:
        return t("alone_half" if alone else "words_half", lang)
    for d in (2, 3, 4, 5, 8, 10):  # the fractions people use
        n = round(share * d)
        if n >= 1 and abs(n / d - share) <= 0.025:
            return t("words_fraction", lang, n=n, d=d)
    return t("words_fraction", lang, n=round(share * 10), d=10)


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t('and', lang)} " + items[-1]


IN_SENTENCE: dict[str, dict[str, str]] = {
    "care_as_usual": {"en": "care as usual", "nl": "gebruikelijke zorg"},
    "resource": {"en": "the strict Resource method", "nl": "de strikte Resourcemethode"},
    "flexible": {"en": "flexible netwerkondersteuning", "nl": "flexibele netwerkondersteuning"},
    "peer_first": {
        "en": "support that starts with a peer",
        "nl": "steun die begint bij een ervaringsdeskundige",
    },
}


def name(strategy: str, lang: str) -> str:
    """A strategy's name as it reads inside a sentence."""
    if strategy in IN_SENTENCE:
        return IN_SENTENCE[strategy][lang]
    return _lower(strategy_label(strategy, lang))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _interval(low: str, high: str, lang: str) -> str:
    return f"{low} {'tot' if lang == 'nl' else 'to'} {high}"


def _with_interval(row: pd.Series, fmt: Callable[[float], str], lang: str) -> str:
    """'6% (5% to 7%)' in a sentence."""
    if pd.isna(row["ci_low"]):
        return fmt(row["mean"])
    return f"{fmt(row['mean'])} ({_interval(fmt(row['ci_low']), fmt(row['ci_high']), lang)})"


def _magnitudes(low: float, high: float, lang: str) -> dict[str, str]:
    """An interval of a difference told as 'weeks sooner': sizes when it lies on one side of zero,
    signed values when it crosses zero."""
    if low < 0 < high:
        return {"low": signed(low, False, lang, 0), "high": signed(high, False, lang, 0)}
    a, b = sorted((abs(low), abs(high)))
    return {"low": num(a, lang, 0), "high": num(b, lang, 0)}


def _ci_span(low: str, high: str) -> str:
    """The interval after a value in a table cell."""
    return f" <span class=ci>({low} – {high})</span>"


# --- figures ---------------------------------------------------------------------------------------


def figure(draw: Callable[[io.BytesIO], object], alt: str) -> str:
    """An <img> with the PNG embedded, so the report opens offline as one file; `alt` says what it shows."""
    buffer = io.BytesIO()
    draw(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}">'


# --- the tables behind the sections --------------------------------------------------------------


@dataclass
class Tables:
    """What the sections compute once: strategies in order, the baseline, per-run values, the
    per-client table (if the comparison recorded it) and its survival and subgroup tables."""

    strategies: list[str]
    baseline: str
    runs: pd.DataFrame | None
    clients: pd.DataFrame | None
    exit_times: pd.DataFrame | None = None
    housing_times: pd.DataFrame | None = None
    exit_table: pd.DataFrame | None = None
    housing_table: pd.DataFrame | None = None
    subgroups: pd.DataFrame | None = None


def tables(r: Results) -> Tables:
    strategies = list(dict.fromkeys(r.summary["strategy"]))
    runs_path, clients_path = r.folder / "runs.csv", r.folder / "clients.csv"
    runs = pd.read_csv(runs_path) if runs_path.exists() else None
    clients = pd.read_csv(clients_path) if clients_path.exists() else None
    tb = Tables(strategies, strategies[0], runs, clients)
    if clients is not None and len(clients) and {"week_housed", "arrival_week"} <= set(clients.columns):
        tb.housing_times = survival.durations(clients, "housing")
        tb.housing_table = survival.survival_table(tb.housing_times, baseline=tb.baseline)
        if "first_exit_week" in clients.columns:
            tb.exit_times = survival.durations(clients, "exit")
            tb.exit_table = survival.survival_table(tb.exit_times, baseline=tb.baseline)
        if "group_at_26w" in clients.columns and len(strategies) > 1:
            reached = clients["group_at_26w"].where(clients["group_at_26w"] >= 0)
            tb.subgroups = subgroup_effects(clients, reached, tb.baseline)
    return tb


def _row(summary: pd.DataFrame, strategy: str, outcome: str) -> pd.Series:
    return summary[(summary["strategy"] == strategy) & (summary["outcome"] == outcome)].iloc[0]


def _has(summary: pd.DataFrame, *outcomes: str) -> bool:
    return set(outcomes) <= set(summary["outcome"])


def _surv(table: pd.DataFrame | None, strategy: str, measure: str) -> pd.Series | None:
    if table is None:
        return None
    rows = table[(table["strategy"] == strategy) & (table["measure"] == measure)]
    return rows.iloc[0] if len(rows) else None


def _scenario(r: Results) -> dict[str, Any]:
    return r.manifest.get("scenario", {}) if isinstance(r.manifest.get("scenario"), dict) else {}


def _places(r: Results) -> float:
    return float(_scenario(r).get("population", {}).get("n_clients", float("nan")))


def _per_run(tb: Tables, outcome: str) -> pd.DataFrame:
    """Replications x strategies of one outcome (from runs.csv)."""
    runs = tb.runs
    block = runs[runs["outcome"] == outcome]
    return block.pivot_table(index="replication", columns="strategy", values="value", aggfunc="first")


@dataclass
class Cost:
    hours: pd.Series  # per client-year: mean, ci_low, ci_high
    euros: float
    fte: float
    budget: float
    per_group: tuple[float, float, float]
    per_exit: tuple[float, float, float]
    extra_groups: tuple[float, float, float]
    extra_exits: tuple[float, float, float]


def _ratio(extra_hours: np.ndarray, extra: np.ndarray) -> tuple[float, float, float]:
    """Extra hours per extra unit as a ratio of means, with a seeded bootstrap interval over runs;
    NaN where the extra is not clearly above zero."""
    ok = ~(np.isnan(extra_hours) | np.isnan(extra))
    extra_hours, extra = extra_hours[ok], extra[ok]
    if len(extra) < 2:
        return (np.nan, np.nan, np.nan)
    _, low, _ = t_interval(extra)
    if not low > 0:
        return (np.nan, np.nan, np.nan)
    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(extra), (2000, len(extra)))
    ratios = extra_hours[picks].mean(axis=1) / extra[picks].mean(axis=1)
    return (float(extra_hours.mean() / extra.mean()), *np.quantile(ratios, [0.025, 0.975]).tolist())


def costs(r: Results, tb: Tables) -> dict[str, Cost] | None:
    s = r.summary
    needed = (
        "hours_used_per_client_year",
        "occupancy",
        "exits_per_year",
        "arrivals_per_year",
        "support_group_ever",
    )
    if tb.runs is None or not _has(s, *needed):
        return None
    prof = _scenario(r).get("professionals", {})
    hourly, fte_hours = float(prof.get("hourly_cost", np.nan)), float(prof.get("hours_per_fte", np.nan))
    places = _places(r)
    hours = _per_run(tb, "hours_used_per_client_year")
    present = _per_run(tb, "occupancy") * places
    shelter_hours = hours * present
    groups = _per_run(tb, "support_group_ever") * _per_run(tb, "arrivals_per_year")
    exits = _per_run(tb, "exits_per_year")
    out = {}
    for st in tb.strategies:
        extra_h = (shelter_hours[st] - shelter_hours[tb.baseline]).to_numpy()
        extra_g = (groups[st] - groups[tb.baseline]).to_numpy()
        extra_e = (exits[st] - exits[tb.baseline]).to_numpy()
        mean_h = float(shelter_hours[st].mean())
        out[st] = Cost(
            hours=_row(s, st, "hours_used_per_client_year"),
            euros=float(hours[st].mean()) * hourly,
            fte=mean_h / (fte_hours * 52),
            budget=mean_h * hourly,
            per_group=_ratio(extra_h, extra_g) if st != tb.baseline else (np.nan,) * 3,
            per_exit=_ratio(extra_h, extra_e) if st != tb.baseline else (np.nan,) * 3,
            extra_groups=t_interval(extra_g),
            extra_exits=t_interval(extra_e),
        )
    return out


# --- the answer first -----------------------------------------------------------------------------


def _network_exits_gain(r: Results, tb: Tables, strategy: str) -> tuple[float, float, float]:
    """Extra exits a year through naasten (a home through the network or a stay with a naaste) against
    the baseline: paired per run when the runs are there, else the sum of the two differences with
    the sum of their bounds (wider than the paired interval)."""
    routes = ("exits_network_home_per_year", "exits_naaste_stay_per_year")
    if tb.runs is not None:
        network = _per_run(tb, routes[0]) + _per_run(tb, routes[1])
        return t_interval((network[strategy] - network[tb.baseline]).to_numpy())
    rows = [_row(r.summary, strategy, o) for o in routes]
    return tuple(
        float(sum(row[c] for row in rows)) for c in ("diff_vs_baseline", "diff_ci_low", "diff_ci_high")
    )


def findings(r: Results, tb: Tables, lang: str) -> list[str]:
    """Three to five findings in plain sentences, each with its uncertainty, computed from the results."""
    s = r.summary
    base = tb.baseline
    out: list[str] = []
    best = None
    if _has(s, "has_support_group"):
        group = s[s["outcome"] == "has_support_group"].sort_values("mean", ascending=False)
        top = group.iloc[0]
        best = top["strategy"]
        others = [
            t(
                "f_support_other",
                lang,
                name=name(row["strategy"], lang),
                words=in_words(row["mean"], lang, alone=True),
                value=pct(row["mean"], lang),
            )
            for _, row in group.iloc[1:].iterrows()
        ]
        out.append(
            t(
                "f_support",
                lang,
                best=name(best, lang),
                best_words=in_words(top["mean"], lang),
                best_value=pct(top["mean"], lang),
                best_low=pct(top["ci_low"], lang),
                best_high=pct(top["ci_high"], lang),
                others=join(others, lang),
            )
        )
    others = [st for st in tb.strategies if st != base]
    flow = (
        "homes_allocated_per_year",
        "exits_network_home_per_year",
        "exits_naaste_stay_per_year",
        "exits_per_year",
    )
    if others and _has(s, *flow):
        extra = {st: _network_exits_gain(r, tb, st) for st in others}
        st = max(extra, key=lambda k: extra[k][0])
        homes = _row(s, st, "homes_allocated_per_year")
        slack = pd.notna(homes["diff_ci_low"]) and (
            homes["diff_ci_low"] > 0.5 or homes["diff_ci_high"] < -0.5
        )
        common = {
            "strategy": name(st, lang),
            "extra": num(extra[st][0], lang, 0),
            "low": num(extra[st][1], lang, 0),
            "high": num(extra[st][2], lang, 0),
        }
        if slack:
            out.append(
                t(
                    "f_homes_slack",
                    lang,
                    **{
                        **common,
                        "low": num(homes["diff_ci_low"], lang, 0),
                        "high": num(homes["diff_ci_high"], lang, 0),
                    },
                    homes=num(homes["diff_vs_baseline"], lang, 0),
                )
            )
        else:
            out.append(
                t(
                    "f_homes_fixed",
                    lang,
                    **common,
                    homes=num(_row(s, base, "homes_allocated_per_year")["mean"], lang, 0),
                    exits=num(_row(s, st, "exits_per_year")["diff_vs_baseline"], lang, 0),
                )
            )
    if best is not None and best != base:
        m_best, m_base = _surv(tb.exit_table, best, "median"), _surv(tb.exit_table, base, "median")
        h_best, h_base = _surv(tb.housing_table, best, "by_52w"), _surv(tb.housing_table, base, "by_52w")
        runs = int(r.manifest.get("replications", 0) or 0)
        complete = (
            m_best is not None
            and m_base is not None
            and min(m_best["runs_reached"], m_base["runs_reached"]) >= max(runs, 1)
        )
        housed = ""
        if h_best is not None and pd.notna(h_best["mean"]) and _has(s, "homes_allocated_per_year"):
            homes = _row(s, best, "homes_allocated_per_year")
            fixed = pd.isna(homes["diff_ci_low"]) or abs(homes["diff_vs_baseline"]) < 0.5
            clear = pd.notna(h_best["diff_ci_low"]) and h_best["diff_ci_low"] > 0
            key = ("f_housed_queue" if fixed else "f_housed_more") if clear else "f_housed_unclear"
            housed = t(
                key + ("" if complete or not clear else "_year"),
                lang,
                best_value=(
                    _with_interval(h_best, lambda v: pct(v, lang), lang)
                    if clear
                    else pct(h_best["mean"], lang)
                ),
                base_value=pct(h_base["mean"], lang),
            )
        left_best, left_base = _surv(tb.exit_table, best, "by_52w"), _surv(tb.exit_table, base, "by_52w")
        if complete:
            out.append(
                t(
                    "f_time",
                    lang,
                    best=name(best, lang),
                    baseline=name(base, lang),
                    t_best=num(m_best["mean"], lang, 0),
                    t_base=num(m_base["mean"], lang, 0),
                    diff=num(abs(m_best["diff_vs_baseline"]), lang, 0),
                    direction=t("sooner" if m_best["diff_vs_baseline"] < 0 else "later", lang),
                    **_magnitudes(m_best["diff_ci_low"], m_best["diff_ci_high"], lang),
                    housed=housed,
                ).strip()
            )
        elif left_best is not None and pd.notna(left_best["mean"]) and pd.notna(left_base["mean"]):
            # half of the arrivals did not leave within the follow-up in some run: a year is always measured
            out.append(
                t(
                    "f_time_year" if left_best["diff_ci_low"] > 0 else "f_time_year_unclear",
                    lang,
                    best=name(best, lang),
                    baseline=name(base, lang),
                    left_best=_with_interval(left_best, lambda v: pct(v, lang), lang),
                    left_base=pct(left_base["mean"], lang),
                    housed=housed,
                ).strip()
            )
        elif housed:
            out.append(housed)
    cost = costs(r, tb)
    if cost is not None and best is not None and best != base:
        c = cost[best]
        per_exit = c.per_exit
        out.append(
            t(
                "f_cost",
                lang,
                Strategy=strategy_label(best, lang),
                hours=num(c.hours["mean"], lang, 0),
                euros=euros(c.euros, lang),
                fte=num(c.fte, lang, 1),
                per=""
                if pd.isna(c.per_group[0])
                else t(
                    "f_cost_per_group" if pd.isna(per_exit[0]) else "f_cost_per",
                    lang,
                    per_group=num(c.per_group[0], lang, 0),
                    per_exit=num(per_exit[0], lang, 0) + (" uur" if lang == "nl" else " hours"),
                    baseline=name(base, lang),
                ),
            )
        )
    whom = whom_sentence(tb, best, lang)
    if whom:
        out.append(whom)
    return out[:5]


def whom_sentence(tb: Tables, best: str | None, lang: str) -> str:
    e = tb.subgroups
    if e is None or best is None or best == tb.baseline or e.empty:
        return ""
    mine = e[e["strategy"] == best]
    if mine.empty:
        return ""
    top, bottom = mine.loc[mine["diff_vs_baseline"].idxmax()], mine.loc[mine["diff_vs_baseline"].idxmin()]

    def describe(row: pd.Series) -> str:
        return _whom_group(row["dimension"], row["group"], lang)

    strict_text = ""
    strict = "resource" if "resource" in set(e["strategy"]) and best != "resource" else None
    if strict:
        pair = e[e["strategy"] == strict].merge(mine, on=["dimension", "group"], suffixes=("_s", "_f"))
        pair = pair[pair["diff_vs_baseline_f"] > 0.05]
        if len(pair):
            ratio = pair["diff_vs_baseline_s"] / pair["diff_vs_baseline_f"]
            closest = pair.loc[ratio.idxmax()]
            strict_text = t(
                "f_whom_strict_same" if ratio.max() >= 0.9 else "f_whom_strict",
                lang,
                group=_whom_group(closest["dimension"], closest["group"], lang),
                strict_value=points(closest["diff_vs_baseline_s"], lang),
                flex_value=points(closest["diff_vs_baseline_f"], lang),
            )
    return t(
        "f_whom",
        lang,
        Strategy=strategy_label(best, lang),
        top=describe(top),
        top_value=points(top["diff_vs_baseline"], lang),
        bottom=describe(bottom),
        bottom_value=points(bottom["diff_vs_baseline"], lang),
        strict=strict_text,
    )


WHOM_PHRASES: dict[str, dict[str, str]] = {
    "network:none": {"en": "no naasten at all", "nl": "helemaal geen naasten"},
    "network:1-3": {"en": "1 to 3 naasten", "nl": "1 tot 3 naasten"},
    "network:4-7": {"en": "4 to 7 naasten", "nl": "4 tot 7 naasten"},
    "network:8+": {"en": "8 or more naasten", "nl": "8 of meer naasten"},
    "refusal:refuses": {
        "en": "a refusal of all contact with naasten",
        "nl": "een weigering van elk contact met naasten",
    },
    "refusal:allows": {
        "en": "some contact with naasten allowed",
        "nl": "enig contact met naasten toegestaan",
    },
    "stramien:low": {
        "en": "a poor fit with a fixed structure",
        "nl": "weinig passing bij een vaste structuur",
    },
    "stramien:middle": {
        "en": "a middling fit with a fixed structure",
        "nl": "middelmatige passing bij een vaste structuur",
    },
    "stramien:high": {
        "en": "a good fit with a fixed structure",
        "nl": "goede passing bij een vaste structuur",
    },
}


def _whom_group(dimension: str, group: str, lang: str) -> str:
    return translate(WHOM_PHRASES, f"{dimension}:{group}", lang)


def findings_section(r: Results, tb: Tables, lang: str) -> str:
    places = _places(r)
    years = num(int(r.manifest.get("weeks", r.weekly["week"].max())) / 52, lang, 0)
    lead = t(
        "lead",
        lang,
        places=num(places, lang, 0),
        years=years,
        reps=_runs_per_strategy(r),
    )
    items = "".join(f"<li>{html.escape(f)}</li>" for f in findings(r, tb, lang))
    return (
        f"<section id=findings><h2>{t('h_findings', lang)}</h2><p class=lead>{html.escape(lead)}</p>"
        f"<ol class=findings>{items}</ol><p class=lead>{html.escape(uncertainty(r, lang))}</p></section>"
    )


def _runs_per_strategy(r: Results) -> object:
    """Replications per strategy; over posterior draws every draw runs them all."""
    reps = r.manifest.get("replications", "?")
    draws = r.manifest.get("posterior_draws")
    return reps * draws if isinstance(reps, int) and isinstance(draws, int) else reps


def uncertainty(r: Results, lang: str) -> str:
    """Which uncertainty the intervals hold: chance only, or chance and the calibrated parameters
    (a comparison over posterior draws writes posterior_summary.csv with the parameters' share)."""
    path = r.folder / "posterior_summary.csv"
    draws = r.manifest.get("posterior_draws")
    if not draws or not path.exists():
        return t("uncertainty_chance", lang)
    table = pd.read_csv(path)
    strategies = list(dict.fromkeys(r.summary["strategy"]))
    row = table[(table["outcome"] == "exits_per_year") & (table["strategy"] == strategies[-1])]
    share = row["diff_parameter_share"].iloc[0] if len(row) else np.nan
    parameters = r.manifest.get("posterior_parameters") or []
    text = t(
        "uncertainty_both",
        lang,
        n_params=num(len(parameters), lang, 0) if parameters else "5",
        draws=num(draws, lang, 0),
        reps=r.manifest.get("replications", "?"),
        share=pct(share, lang) if pd.notna(share) else "-",
    )
    distinct = distinct_draws(r.folder, parameters)
    if distinct is not None and distinct < draws:
        text += " " + t(
            "uncertainty_few_distinct", lang, draws=num(draws, lang, 0), distinct=num(distinct, lang, 0)
        )
    return text


def distinct_draws(folder: Path, parameters: list[str]) -> int | None:
    """How many different sets of calibrated numbers the draws hold (a posterior resampled from few
    particles repeats some); None when the run's design is not there to tell."""
    path = folder / "design.parquet"
    if not parameters or not path.exists():
        return None
    design = pd.read_parquet(path)
    columns = [p for p in parameters if p in design]
    return len(design[columns].drop_duplicates()) if columns else None


# --- costs, for whom, what to do -----------------------------------------------------------------


def costs_section(r: Results, tb: Tables, lang: str) -> str:
    cost = costs(r, tb)
    if cost is None:
        return ""
    prof = _scenario(r).get("professionals", {})
    intro = t(
        "costs_intro",
        lang,
        cost=euros(float(prof.get("hourly_cost", np.nan)), lang),
        fte_hours=num(float(prof.get("hours_per_fte", np.nan)), lang, 0),
    )
    s = r.summary

    def ci(mean: float, low: float, high: float, digits: int = 0) -> str:
        if pd.isna(mean):
            return "-"
        inner = (
            ""
            if pd.isna(low)
            else f" <span class=ci>({num(low, lang, digits)} – {num(high, lang, digits)})</span>"
        )
        return num(mean, lang, digits) + inner

    head = [
        t(k, lang) for k in ("c_strategy", "c_hours", "c_euros", "c_fte", "c_budget", "c_idle", "c_withdrawn")
    ]
    rows = []
    for st in tb.strategies:
        c = cost[st]
        idle = _row(s, st, "hours_idle_per_client_year") if _has(s, "hours_idle_per_client_year") else None
        withdrawn = _row(s, st, "naasten_withdrawn") if _has(s, "naasten_withdrawn") else None
        cells = [
            html.escape(strategy_label(st, lang)),
            ci(c.hours["mean"], c.hours["ci_low"], c.hours["ci_high"]),
            euros(c.euros, lang),
            num(c.fte, lang, 1),
            euros(c.budget, lang),
            "-" if idle is None else ci(idle["mean"], idle["ci_low"], idle["ci_high"]),
            "-" if withdrawn is None else ci(withdrawn["mean"], withdrawn["ci_low"], withdrawn["ci_high"], 2),
        ]
        rows.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    table1 = _table(head, rows)
    head2 = [
        t(k, lang) for k in ("c_strategy", "c_extra_groups", "c_per_group", "c_extra_exits", "c_per_exit")
    ]
    rows2 = []
    for st in tb.strategies[1:]:
        c = cost[st]
        cells = [
            html.escape(strategy_label(st, lang)),
            ci(*c.extra_groups),
            ci(*c.per_group),
            ci(*c.extra_exits),
            ci(*c.per_exit),
        ]
        rows2.append("<tr>" + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    note = t("costs_note", lang, baseline=name(tb.baseline, lang))
    return (
        f"<section id=costs><h2>{t('h_costs', lang)}</h2><p>{html.escape(intro)}</p>{table1}"
        f"{_table(head2, rows2) if rows2 else ''}<p class=note>{html.escape(note)}</p></section>"
    )


def _table(head: list[str], rows: list[str]) -> str:
    return (
        "<table><tr>"
        + "".join(f"<th>{html.escape(h)}</th>" for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def whom_section(r: Results, tb: Tables, lang: str) -> str:
    if tb.subgroups is None or tb.subgroups.empty:
        return ""
    best = r.summary[r.summary["outcome"] == "has_support_group"].sort_values("mean").iloc[-1]["strategy"]
    sentence = whom_sentence(tb, best, lang)
    alt = sentence or t("whom_intro", lang)
    img = figure(lambda b: subgroup_figure(tb.subgroups, tb.baseline, b, lang), alt)
    return (
        f"<section id=whom><h2>{t('h_whom', lang)}</h2><p>{html.escape(t('whom_intro', lang))}</p>"
        f"<p><strong>{html.escape(sentence)}</strong></p>{img}</section>"
    )


def todo_section(r: Results, tb: Tables, lang: str) -> str:
    parts = [f"<section id=todo><h2>{t('h_todo', lang)}</h2>"]
    if "decompose" in r.parts:
        folder, manifest = r.parts["decompose"]
        table = pd.read_csv(folder / "decomposition.csv")
        draws = posterior_draws(manifest) and "param_low" in table.columns
        block = table[table["outcome"] == "has_support_group"]
        total = block[block["knob"] == "total"]
        knobs = block[block["knob"] != "total"].sort_values("shapley", ascending=False)
        gap = points(float(total["shapley"].iloc[0]), lang) if len(total) else "-"
        items = []
        for _, row in knobs.iterrows():
            action = (
                t(f"action_{row['knob']}", lang)
                if f"action_{row['knob']}" in TEXT
                else knob_label(row["knob"], lang)
            )
            total_gap = float(total["shapley"].iloc[0]) if len(total) else np.nan
            clear = pd.notna(row["ci_low"]) and row["ci_low"] > 0
            if total_gap and clear:
                items.append(
                    t(
                        "todo_item",
                        lang,
                        action=action,
                        share=pct(row["shapley"] / total_gap, lang),
                        low=pct(row["ci_low"] / total_gap, lang),
                        high=pct(row["ci_high"] / total_gap, lang),
                        points=points(row["shapley"], lang).lstrip("+"),
                    )
                )
            else:
                items.append(t("todo_item_none", lang, action=action))
            if draws:
                items[-1] += " " + _over_draws_text(row, lang)
        parts.append(f"<p>{html.escape(t('todo_intro', lang, gap=gap))}</p>")
        parts.append("<ol>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ol>")
        parts.append(_decomposition_uncertainty(total, manifest, lang))
    else:
        best = r.summary[r.summary["outcome"] == "has_support_group"].sort_values("mean").iloc[-1]["strategy"]
        parts.append(f"<p>{html.escape(t('todo_fallback', lang, best=name(best, lang)))}</p>")
    if "threshold_map" in r.parts:
        folder, _ = r.parts["threshold_map"]
        finding = threshold_finding(pd.read_csv(folder / "thresholds.csv"), lang)
        parts.append(f"<p>{html.escape(t('todo_threshold', lang, finding=finding))}</p>")
    parts.append("</section>")
    return "".join(parts)


# --- both kinds of uncertainty in the analyses --------------------------------------------------


def posterior_draws(manifest: dict[str, Any]) -> int | None:
    """The posterior draws an analysis ran over (its manifest says so); None at fixed parameters."""
    draws = manifest.get("posterior_draws")
    return draws if isinstance(draws, int) and not isinstance(draws, bool) and draws > 0 else None


def _parameter_percent(share: float) -> int | None:
    """The parameters' share of the variance in whole percent (chance has the rest); None when one
    draw cannot tell."""
    return None if pd.isna(share) else round(100 * min(max(float(share), 0.0), 1.0))


def spread(share: float, lang: str, key: str = "spread") -> str:
    """The parameters' share of the variance as a reader says it ('of the spread, 30% comes from what
    the evidence leaves open ... and 70% from chance'); empty when one draw cannot tell."""
    param = _parameter_percent(share)
    return "" if param is None else t(key, lang, param=f"{param}%", chance=f"{100 - param}%")


def _point_bounds(low: float, high: float, lang: str) -> tuple[str, str]:
    """'+10' and '+14 percentage points': the ends of an interval of a difference in shares; an end
    that rounds to zero is '0' (not '-0' or '+0')."""
    ends = [signed(100 * v, False, lang, 0) for v in (low, high)]
    ends = ["0" if e in ("+0", "-0") else e for e in ends]
    unit = points(high, lang).split(" ", 1)[1]
    return ends[0], f"{ends[1]} {unit}"


def _points_range(low: float, high: float, lang: str) -> str:
    """'+10 to +14 percentage points': an interval of a difference in shares."""
    return _interval(*_point_bounds(low, high, lang), lang)


def _over_draws_text(row: pd.Series, lang: str) -> str:
    """A decomposition part over posterior draws: its range over the draws and where its spread comes from."""
    return t(
        "todo_item_draws",
        lang,
        range=_points_range(row["param_low"], row["param_high"], lang),
        spread=spread(row["parameter_share"], lang, "spread_short"),
    )


def _decomposition_uncertainty(total: pd.DataFrame, manifest: dict[str, Any], lang: str) -> str:
    """Which uncertainty the decomposition's intervals hold: over posterior draws, the whole gap's
    range and the parameters' share of its spread; at fixed parameters, plainly chance only."""
    draws = posterior_draws(manifest)
    if not draws or "param_low" not in total.columns:
        return _note_with_command(
            t("todo_chance", lang), "snf decompose --posterior calibration/posterior --out RESULTS/decompose"
        )
    if total.empty:
        return ""
    row = total.iloc[0]
    low, high = _point_bounds(row["param_low"], row["param_high"], lang)
    reps = manifest.get("replications", "?")
    text = t("todo_draws", lang, draws=num(draws, lang, 0), reps=reps, low=low, high=high)
    text = f"{text} {spread(row['parameter_share'], lang)}".strip()
    return f"<p>{html.escape(text)}</p>"


def _note_with_command(text: str, command: str) -> str:
    return f"<p class=note>{html.escape(text)} <code>{html.escape(command)}</code></p>"


# --- the shelter as a flow ------------------------------------------------------------------------

FLOW_ROWS = (
    "arrivals_per_year",
    "exits_per_year",
    "exits_housing_market_per_year",
    "exits_network_home_per_year",
    "exits_naaste_stay_per_year",
    "exits_care_per_year",
    "exits_unknown_per_year",
    "returns_per_year",
    "homes_allocated_per_year",
    "occupancy",
    "waiting_for_place",
    "turned_away_per_year",
    "hours_used_per_client_year",
    "hours_idle_per_client_year",
)


def _value_cell(s: pd.DataFrame, st: str, outcome: str, lang: str) -> str:
    row = _row(s, st, outcome)
    if pd.isna(row["mean"]):
        return "<td>-</td>"
    interval = (
        ""
        if pd.isna(row["ci_low"])
        else _ci_span(fmt_value(outcome, row["ci_low"], lang), fmt_value(outcome, row["ci_high"], lang))
    )
    return f"<td>{fmt_value(outcome, row['mean'], lang)}{interval}</td>"


def outcome_table(r: Results, outcomes: list[str] | tuple[str, ...], lang: str, note: str = "") -> str:
    s = r.summary
    strategies = list(dict.fromkeys(s["strategy"]))
    head = "".join(f"<th>{html.escape(strategy_label(st, lang))}</th>" for st in strategies)
    rows = [
        f"<tr><th>{html.escape(outcome_label(o, lang))}</th>"
        + "".join(_value_cell(s, st, o, lang) for st in strategies)
        + "</tr>"
        for o in outcomes
        if o in set(s["outcome"])
    ]
    if not rows:
        return ""
    footnote = f"<p class=note>{html.escape(note)}</p>" if note else ""
    return f"<table><tr><th>{t('col_outcome', lang)}</th>{head}</tr>{''.join(rows)}</table>{footnote}"


def flow_section(r: Results, tb: Tables, lang: str) -> str:
    s = r.summary
    if not _has(s, "exits_per_year"):
        return ""
    parts = [f"<section id=flow><h2>{t('h_flow', lang)}</h2><p>{html.escape(t('flow_intro', lang))}</p>"]
    if _has(s, *[f"exits_{route}_per_year" for route in ROUTES]):
        alt = t("flow_intro", lang)
        parts.append(figure(lambda b: exits_by_route_figure(s, b, lang), alt))
    parts.append(outcome_table(r, FLOW_ROWS, lang, t("table_note", lang).split(";")[0] + "."))
    parts.append(both_levels(r, tb, lang))
    parts.append("</section>")
    return "".join(parts)


def both_levels(r: Results, tb: Tables, lang: str) -> str:
    s = r.summary
    if len(tb.strategies) < 2 or not _has(s, "homes_allocated_per_year", "exits_per_year"):
        return ""

    def diff_cell(mean: float, low: float, high: float, share: bool) -> str:
        if pd.isna(mean):
            return "<td>-</td>"
        inner = (
            ""
            if pd.isna(low)
            else _ci_span(
                signed(100 * low if share else low, False, lang, 0),
                signed(100 * high if share else high, False, lang, 0),
            )
        )
        return f"<td>{signed(mean, share, lang, 0)}{inner}</td>"

    rows = []
    for st in tb.strategies[1:]:
        cells = []
        for table in (tb.housing_table, tb.exit_table):
            row = _surv(table, st, "by_52w")
            cells.append(
                "<td>-</td>"
                if row is None
                else diff_cell(row["diff_vs_baseline"], row["diff_ci_low"], row["diff_ci_high"], True)
            )
        for outcome in ("homes_allocated_per_year", "exits_per_year"):
            row = _row(s, st, outcome)
            cells.append(diff_cell(row["diff_vs_baseline"], row["diff_ci_low"], row["diff_ci_high"], False))
        rows.append(f"<tr><th>{html.escape(strategy_label(st, lang))}</th>{''.join(cells)}</tr>")
    head = (
        f"<tr><th rowspan=2>{t('c_strategy', lang)}</th><th colspan=2>{t('l_per_client', lang)}</th>"
        f"<th colspan=2>{t('l_per_shelter', lang)}</th></tr><tr>"
        + "".join(f"<th>{t(k, lang)}</th>" for k in ("l_home_1y", "l_left_1y", "l_homes", "l_exits"))
        + "</tr>"
    )
    intro = t("both_levels", lang, baseline=name(tb.baseline, lang))
    return (
        f"<h3>{t('h_both_levels', lang)}</h3><p>{html.escape(intro)}</p><table>{head}{''.join(rows)}</table>"
    )


def time_section(r: Results, tb: Tables, lang: str) -> str:
    if tb.housing_times is None:
        return ""
    parts = [f"<section id=time><h2>{t('h_time', lang)}</h2><p>{html.escape(t('time_intro', lang))}</p>"]
    horizon = float(r.manifest.get("weeks", 104))
    for event, times in (
        ("housing", tb.housing_times),
        ("exit", tb.exit_times),
    ):
        if times is None:
            continue
        curve = survival.curves(times)
        alt = t("s_home" if event == "housing" else "s_exit", lang)
        parts.append(figure(lambda b, c=curve, e=event: time_to_event_figure(c, b, lang, e, horizon), alt))
    measured = [
        w
        for w in survival.TABLE_WEEKS
        if any(
            tab is not None and tab.loc[tab["measure"] == f"by_{w}w", "mean"].notna().any()
            for tab in (tb.housing_table, tb.exit_table)
        )
    ]
    head = [t("c_strategy", lang)] + [t("s_by", lang, week=w) for w in measured] + [t("s_median", lang)]
    for key, table in (("s_home", tb.housing_table), ("s_exit", tb.exit_table)):
        if table is None:
            continue
        rows = []
        for st in tb.strategies:
            cells = [html.escape(strategy_label(st, lang))]
            for w in measured:
                row = _surv(table, st, f"by_{w}w")
                cells.append(
                    "-"
                    if row is None or pd.isna(row["mean"])
                    else pct(row["mean"], lang)
                    + _ci_span(pct(row["ci_low"], lang), pct(row["ci_high"], lang))
                )
            med = _surv(table, st, "median")
            runs = int(r.manifest.get("replications", 0) or 0)
            if med is None or pd.isna(med["mean"]) or (runs and med["runs_reached"] < runs):
                cells.append(t("s_not_reached", lang, weeks=num(horizon, lang, 0)))
            else:
                cells.append(
                    num(med["mean"], lang, 0)
                    + _ci_span(num(med["ci_low"], lang, 0), num(med["ci_high"], lang, 0))
                )
            rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        parts.append(f"<h3>{t(key, lang)}</h3>" + _table(head, rows))
    parts.append("</section>")
    return "".join(parts)


def details_section(r: Results, lang: str) -> str:
    weeks = int(r.weekly["week"].max())
    group_alt = outcome_label("has_support_group", lang)
    figs = figure(lambda b: support_group_over_time(r.weekly, b, lang), group_alt) + figure(
        lambda b: end_outcomes(r.summary, weeks, b, lang), t("h_details", lang)
    )
    table = outcome_table(r, KEY_OUTCOMES, lang, t("table_note", lang))
    return f"<section id=details><h2>{t('h_details', lang)}</h2>{figs}{table}</section>"


def funnel_section(r: Results, lang: str) -> str:
    s = r.summary
    parts = [f"<h2>{t('h_funnel', lang)}</h2>"]
    if "resource" in set(s["strategy"]) and _has(
        s, "willing", "formal_group_formed", "no_group_too_few_ties"
    ):

        def v(outcome: str) -> str:
            return pct(_row(s, "resource", outcome)["mean"], lang)

        parts.append(
            "<p>"
            + html.escape(
                t(
                    "funnel",
                    lang,
                    willing=v("willing"),
                    formed=v("formal_group_formed"),
                    sustained=v("formal_group"),
                    too_few=v("no_group_too_few_ties"),
                    no_consent=v("no_group_no_consent"),
                    dropped=v("no_group_dropped_out"),
                )
            )
            + "</p>"
        )
    if "decompose" in r.parts:
        folder, manifest = r.parts["decompose"]
        table = pd.read_csv(folder / "decomposition.csv")
        block = table[(table["outcome"] == "has_support_group") & (table["knob"] != "total")]
        block = block.sort_values("share", ascending=False)
        pieces = [
            t(
                "decomposition_part",
                lang,
                share=pct(row["share"], lang),
                knob=knob_label(row["knob"], lang),
            )
            for _, row in block.iterrows()
            if pd.notna(row["share"])  # no share where there is no clear gap to share
        ]
        sentence = t("decomposition", lang, parts=join(pieces, lang))
        parts.append("<p>" + html.escape(sentence) + "</p>")
        parts.append(
            figure(
                lambda b: decomposition_figure(
                    table,
                    ["has_support_group", "perceived_support", "housed", "professional_hours_per_client"],
                    manifest.get("from", "resource"),
                    manifest.get("to", "flexible"),
                    b,
                    lang,
                ),
                sentence,
            )
        )
    else:
        parts.append(_missing("snf decompose --out RESULTS/decompose", lang))
    return "".join(parts)


def threshold_section(r: Results, lang: str) -> str:
    parts = [f"<h2>{t('h_threshold', lang)}</h2>", f"<p>{html.escape(t('threshold_intro', lang))}</p>"]
    if "threshold_map" in r.parts:
        folder, _ = r.parts["threshold_map"]
        table = pd.read_csv(folder / "thresholds.csv")
        finding = threshold_finding(table, lang)
        parts.append(f"<p><strong>{html.escape(finding)}</strong></p>")
        parts.append(figure(lambda b: threshold_figure(table, b, lang), finding))
    else:
        parts.append(_missing("snf threshold-map --out RESULTS/threshold-map", lang))
    return "".join(parts)


def mechanisms_section(r: Results, lang: str) -> str:
    if "mechanisms" not in r.parts:
        return ""
    folder, manifest = r.parts["mechanisms"]
    knockouts = pd.read_csv(folder / "knockouts.csv")
    mediation = pd.read_csv(folder / "mediation.csv")
    draws = posterior_draws(manifest) and "effect_param_low" in knockouts.columns
    headline = knockout_headline(knockouts, "has_support_group", lang)
    parts = [
        f"<h2>{t('h_mechanisms', lang)}</h2>",
        f"<p>{html.escape(t('mechanisms_intro', lang))}</p>",
        f"<p><strong>{html.escape(headline)}.</strong></p>",
    ]
    for strategy in dict.fromkeys(mediation["strategy"]):
        rows = mediation[mediation["strategy"] == strategy].set_index("mediator")
        if {"perceived_support", "eigen_regie"} <= set(rows.index):
            ps, er = rows.loc["perceived_support"], rows.loc["eigen_regie"]
            if pd.isna(ps["share_mediated"]) and pd.isna(er["share_mediated"]):
                continue  # no effect on housing to split (e.g. too short a run to measure it)
            words = {
                "strategy": strategy_label(strategy, lang),
                "mediated": pct(ps["share_mediated"], lang),
                "regie": pct(er["share_mediated"], lang),
            }
            if draws:
                words |= {
                    "mediated_low": pct(ps["share_param_low"], lang),
                    "mediated_high": pct(ps["share_param_high"], lang),
                    "regie_low": pct(er["share_param_low"], lang),
                    "regie_high": pct(er["share_param_high"], lang),
                }
            sentence = t("mechanisms_draws" if draws else "mechanisms", lang, **words)
            parts.append(f"<p>{html.escape(sentence)}</p>")
    parts.append(
        figure(
            lambda b: knockout_figure(knockouts, "has_support_group", b, lang), t("mechanisms_intro", lang)
        )
    )
    if draws:
        parts.append(knockout_uncertainty(knockouts, manifest, lang))
    else:
        command = "snf mechanisms --posterior calibration/posterior --out RESULTS/mechanisms"
        parts.append(_note_with_command(t("mech_chance", lang), command))
    return "".join(parts)


#: the strategies' effects whose uncertainty the mechanisms section shows, as in its figure and mediation
SURE_OUTCOMES = ("has_support_group", "housed_52w")


def knockout_uncertainty(knockouts: pd.DataFrame, manifest: dict[str, Any], lang: str) -> str:
    """Each strategy's effect (all mechanisms on) over posterior draws: its range over the draws and
    the share of its spread from the calibrated parameters and from chance, with one example in words."""
    baseline = name(str(manifest.get("baseline", "care_as_usual")), lang)
    effects = knockouts[knockouts["outcome"].isin(SURE_OUTCOMES)].drop_duplicates(["strategy", "outcome"])
    if effects.empty:
        return ""

    def is_share(outcome: str) -> bool:
        return outcome in OUTCOMES and OUTCOMES[outcome].unit == "share"

    def value(outcome: str, v: float) -> str:
        return signed(v, is_share(outcome), lang)

    def bounds(outcome: str, low: float, high: float) -> tuple[str, str]:
        """'+30' and '+35 percentage points' for shares; the two values otherwise."""
        if is_share(outcome):
            return _point_bounds(low, high, lang)
        return signed(low, False, lang), signed(high, False, lang)

    rows = []
    for _, e in effects.iterrows():
        param = _parameter_percent(e["effect_parameter_share"])
        cells = [
            html.escape(strategy_label(e["strategy"], lang)),
            html.escape(outcome_label(e["outcome"], lang)),
            html.escape(value(e["outcome"], e["effect_all_on"])),
            html.escape(
                _interval(*bounds(e["outcome"], e["effect_param_low"], e["effect_param_high"]), lang)
            ),
            "-" if param is None else f"{param}%",
            "-" if param is None else f"{100 - param}%",
        ]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = [
        t("c_strategy", lang),
        t("col_outcome", lang),
        t("m_effect", lang, baseline=baseline),
        t("m_range", lang),
        t("m_from_numbers", lang),
        t("m_from_chance", lang),
    ]
    # the example in words: the largest effect on the first outcome shown
    first = effects[effects["outcome"] == effects["outcome"].iloc[0]]
    top = first.loc[first["effect_all_on"].abs().idxmax()]
    low, high = bounds(top["outcome"], top["effect_param_low"], top["effect_param_high"])
    example = t(
        "mech_sure_example",
        lang,
        Strategy=strategy_label(top["strategy"], lang),
        outcome=_lower(outcome_label(top["outcome"], lang)),
        effect=value(top["outcome"], top["effect_all_on"]),
        baseline=baseline,
        low=low,
        high=high,
        spread=spread(top["effect_parameter_share"], lang),
    ).strip()
    intro = t(
        "mech_sure_intro",
        lang,
        draws=num(posterior_draws(manifest), lang, 0),
        reps=manifest.get("replications", "?"),
    )
    return (
        f"<h3>{t('h_mech_sure', lang)}</h3><p>{html.escape(intro)}</p>"
        f"<p><strong>{html.escape(example)}</strong></p>{_table(head, rows)}"
    )


def validation_section(r: Results, lang: str) -> str:
    parts = [f"<h2>{t('h_validation', lang)}</h2>"]
    if "validate" in r.parts:
        folder, _ = r.parts["validate"]
        table = pd.read_csv(folder / "validation.csv")
        counted = table[table["role"] != "fit"] if "role" in table else table
        sentence = t(
            "validation",
            lang,
            passed=int(counted["passed"].sum()),
            total=len(counted),
            failed=int((~counted["passed"].astype(bool)).sum()),
            fit=len(table) - len(counted),
        )
        parts.append("<p>" + html.escape(sentence) + "</p>")
        parts.append(figure(lambda b: validation_figure(table, b, lang), sentence))
    else:
        parts.append(_missing("snf validate --out RESULTS/validate", lang))
    return "".join(parts)


def _missing(command: str, lang: str) -> str:
    return f"<p class=note>{html.escape(t('missing', lang))} <code>{html.escape(command)}</code></p>"


def limitations(r: Results, lang: str) -> str:
    sensitivity = any(_read_json(p).get("kind") == "sensitivity" for p in r.folder.glob("*/manifest.json"))
    text = t(
        "assumptions",
        lang,
        sensitivity=t("sensitivity_present" if sensitivity else "sensitivity_absent", lang),
    )
    return f"<h2>{t('h_assumptions', lang)}</h2><p>{html.escape(text)}</p>"


def footer(r: Results, lang: str) -> str:
    m = r.manifest
    git = m.get("git") or {}
    experiment = m.get("experiment", {})
    spec = experiment.get("spec", {})
    commands = [m.get("command", "")] + [part[1].get("command", "") for part in r.parts.values()]
    text = t(
        "footer",
        lang,
        version=m.get("versions", {}).get("snf-simulation", "?"),
        commit=(git.get("commit") or "none")[:12],
        dirty=t("dirty", lang) if git.get("uncommitted_changes") else "",
        date=m.get("finished", m.get("started", "?")),
        scenario=f"{spec.get('scenario', '?')} ({_scenario(r).get('name', '')})",
        seed=m.get("root_seed", spec.get("seed", "?")),
        reps=m.get("replications", spec.get("replications", "?")),
        weeks=m.get("weeks", experiment.get("weeks", "?")),
        command=" ; ".join(c for c in commands if c),
    )
    return f"<footer><h2>{t('h_reproduce', lang)}</h2><p>{html.escape(text)}</p></footer>"


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:980px;margin:1.2em auto;
padding:0 1.2em;color:#1d1d1d;line-height:1.45}
h1{font-size:1.5em;margin:0 0 .1em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}
#findings h2{margin-top:.6em}.lead{color:#444;margin:.3em 0}
ol.findings{padding-left:1.3em;margin:.4em 0}ol.findings li{margin:.35em 0;font-size:1.02em}
.sub{color:#555;margin-top:0}img{max-width:100%;display:block;margin:1em 0}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.3em .55em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.ci{color:#666;font-size:.88em;white-space:nowrap}
.note{color:#555;font-size:.9em}footer{margin-top:2.5em;color:#444;font-size:.9em}
dl dt{font-weight:600;margin-top:.6em}code{font-size:.92em;background:#f4f4f4;padding:0 .2em}
"""


def render(r: Results, lang: str) -> str:
    tb = tables(r)
    strategies = tb.strategies
    settings = r.manifest.get("strategies", {})
    items = "".join(
        f"<dt>{html.escape(strategy_label(s, lang))}</dt>"
        f"<dd>{html.escape(strategy_description(s, lang, settings.get(s, {}).get('description', '')))}</dd>"
        for s in strategies
    )
    reps = r.manifest.get("replications", "?")
    body = "".join(
        [
            f"<h1>{t('title', lang)}</h1>",
            findings_section(r, tb, lang),
            costs_section(r, tb, lang),
            whom_section(r, tb, lang),
            todo_section(r, tb, lang),
            f"<h2>{t('h_question', lang)}</h2><p>{html.escape(t('question', lang))}</p>",
            f"<p class=note>{html.escape(t('how_to_read', lang, reps=reps))}</p>",
            f"<h2>{t('h_strategies', lang)}</h2><dl>{items}</dl>",
            flow_section(r, tb, lang),
            time_section(r, tb, lang),
            details_section(r, lang),
            funnel_section(r, lang),
            threshold_section(r, lang),
            mechanisms_section(r, lang),
            validation_section(r, lang),
            limitations(r, lang),
            footer(r, lang),
        ]
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{t('title', lang)}</title><style>{CSS}</style></head><body>{body}</body></html>\n"
    )


def write_report(folder: Path, lang: str = "en", out: Path | None = None) -> Path:
    from simulation.experiments.io import write_text
    from simulation.report.inputs import ResultsInputError, check_results

    out = out or Path(folder) / f"report_{lang}.html"
    try:
        check_results(Path(folder), out)
    except ResultsInputError as e:
        raise ReportError(str(e)) from None
    results = load_results(folder)
    return write_text(out, render(results, lang))
