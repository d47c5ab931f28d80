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

import pandas as pd

from simulation.model.outcomes import HEADLINE_OUTCOMES, OUTCOMES
from simulation.plots.analyses import decomposition_figure, knockout_figure
from simulation.plots.compare import end_outcomes, support_group_over_time
from simulation.plots.labels import knob_label, outcome_label, strategy_description, strategy_label
from simulation.plots.thresholds import finding as threshold_finding
from simulation.plots.thresholds import threshold_figure
from simulation.plots.validation import validation_figure
from simulation.report.texts import t

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


def pct(value: float, lang: str) -> str:
    return f"{100 * value:.0f}%" if pd.notna(value) else "-"


def num(value: float, lang: str, digits: int = 2) -> str:
    if pd.isna(value):
        return "-"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def signed(value: float, share: bool, lang: str) -> str:
    if share:
        text = f"{100 * value:+.0f} {'procentpunt' if lang == 'nl' else 'percentage points'}"
    else:
        text = f"{value:+.2f}"
    return text.replace(".", ",") if lang == "nl" else text


def fmt_value(outcome: str, value: float, lang: str) -> str:
    unit = OUTCOMES[outcome].unit if outcome in OUTCOMES else ""
    if unit == "share":
        return pct(value, lang)
    return num(value, lang, 1 if unit in ("hours", "weeks") else 2)


def join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {t('and', lang)} " + items[-1]


# --- figures ---------------------------------------------------------------------------------------


def figure(draw: Callable[[io.BytesIO], object]) -> str:
    """An <img> with the PNG embedded, so the report opens offline as one file."""
    buffer = io.BytesIO()
    draw(buffer)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="" src="data:image/png;base64,{data}">'


# --- sections --------------------------------------------------------------------------------------


def _row(summary: pd.DataFrame, strategy: str, outcome: str) -> pd.Series:
    return summary[(summary["strategy"] == strategy) & (summary["outcome"] == outcome)].iloc[0]


def findings_section(r: Results, lang: str) -> str:
    s = r.summary
    strategies = list(dict.fromkeys(s["strategy"]))
    baseline = strategies[0]
    weeks = int(r.weekly["week"].max())
    group = s[s["outcome"] == "has_support_group"].sort_values("mean", ascending=False)
    best = group.iloc[0]
    others = [
        t("finding_other", lang, name=strategy_label(row["strategy"], lang), value=pct(row["mean"], lang))
        for _, row in group.iloc[1:].iterrows()
    ]
    paragraphs = [
        t(
            "finding_group",
            lang,
            weeks=weeks,
            best=strategy_label(best["strategy"], lang),
            best_value=pct(best["mean"], lang),
            best_low=pct(best["ci_low"], lang),
            best_high=pct(best["ci_high"], lang),
            others=join(others, lang),
        )
    ]
    for strategy in strategies[1:]:
        for outcome in ("perceived_support", "housed"):
            row = _row(s, strategy, outcome)
            share = OUTCOMES[outcome].unit == "share"
            paragraphs.append(
                t(
                    "finding_diff",
                    lang,
                    baseline=strategy_label(baseline, lang),
                    strategy=strategy_label(strategy, lang),
                    outcome=outcome_label(outcome, lang).lower(),
                    diff=signed(row["diff_vs_baseline"], share, lang),
                    low=signed(row["diff_ci_low"], share, lang),
                    high=signed(row["diff_ci_high"], share, lang),
                )
            )
    hours = {st: _row(s, st, "professional_hours_per_client")["mean"] for st in strategies}
    costly = max(hours, key=hours.get)
    cheap = min((st for st in strategies if st != costly), key=lambda st: hours[st], default=None)
    if cheap is not None:
        paragraphs.append(
            t(
                "finding_cost",
                lang,
                hours=num(hours[costly], lang, 0),
                strategy=strategy_label(costly, lang),
                other_hours=num(hours[cheap], lang, 0),
                other=strategy_label(cheap, lang),
            )
        )
    head = "".join(f"<th>{html.escape(strategy_label(st, lang))}</th>" for st in strategies)
    rows = []
    for outcome in KEY_OUTCOMES:
        if outcome not in set(s["outcome"]):
            continue
        cells = []
        for st in strategies:
            row = _row(s, st, outcome)
            interval = (
                ""
                if pd.isna(row["ci_low"])
                else (
                    f" <span class=ci>({fmt_value(outcome, row['ci_low'], lang)} – "
                    f"{fmt_value(outcome, row['ci_high'], lang)})</span>"
                )
            )
            cells.append(f"<td>{fmt_value(outcome, row['mean'], lang)}{interval}</td>")
        rows.append(f"<tr><th>{html.escape(outcome_label(outcome, lang))}</th>{''.join(cells)}</tr>")
    table = (
        f"<table><tr><th>{t('col_outcome', lang)}</th>{head}</tr>{''.join(rows)}</table>"
        f"<p class=note>{t('table_note', lang)}</p>"
    )
    figs = figure(lambda b: support_group_over_time(r.weekly, b, lang)) + figure(
        lambda b: end_outcomes(r.summary, weeks, b, lang)
    )
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"<h2>{t('h_findings', lang)}</h2>{body}{figs}{table}"


def funnel_section(r: Results, lang: str) -> str:
    s = r.summary
    parts = [f"<h2>{t('h_funnel', lang)}</h2>"]
    if "resource" in set(s["strategy"]):

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
            t("decomposition_part", lang, share=pct(row["share"], lang), knob=knob_label(row["knob"], lang))
            for _, row in block.iterrows()
            if pd.notna(row["share"])
        ]
        parts.append("<p>" + html.escape(t("decomposition", lang, parts=join(pieces, lang))) + "</p>")
        parts.append(
            figure(
                lambda b: decomposition_figure(
                    table,
                    ["has_support_group", "perceived_support", "housed", "professional_hours_per_client"],
                    manifest.get("from", "resource"),
                    manifest.get("to", "flexible"),
                    b,
                    lang,
                )
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
        parts.append(f"<p><strong>{html.escape(threshold_finding(table, lang))}</strong></p>")
        parts.append(figure(lambda b: threshold_figure(table, b, lang)))
    else:
        parts.append(_missing("snf threshold-map --out RESULTS/threshold-map", lang))
    return "".join(parts)


def mechanisms_section(r: Results, lang: str) -> str:
    if "mechanisms" not in r.parts:
        return ""
    folder, _ = r.parts["mechanisms"]
    knockouts = pd.read_csv(folder / "knockouts.csv")
    mediation = pd.read_csv(folder / "mediation.csv")
    parts = [f"<h2>{t('h_mechanisms', lang)}</h2>", f"<p>{html.escape(t('mechanisms_intro', lang))}</p>"]
    for strategy in dict.fromkeys(mediation["strategy"]):
        rows = mediation[mediation["strategy"] == strategy].set_index("mediator")
        if {"perceived_support", "eigen_regie"} <= set(rows.index):
            parts.append(
                "<p>"
                + html.escape(
                    t(
                        "mechanisms",
                        lang,
                        strategy=strategy_label(strategy, lang),
                        mediated=pct(rows.loc["perceived_support", "share_mediated"], lang),
                        regie=pct(rows.loc["eigen_regie", "share_mediated"], lang),
                    )
                )
                + "</p>"
            )
    parts.append(figure(lambda b: knockout_figure(knockouts, "has_support_group", b, lang)))
    return "".join(parts)


def validation_section(r: Results, lang: str) -> str:
    parts = [f"<h2>{t('h_validation', lang)}</h2>"]
    if "validate" in r.parts:
        folder, _ = r.parts["validate"]
        table = pd.read_csv(folder / "validation.csv")
        parts.append(
            "<p>"
            + html.escape(t("validation", lang, passed=int(table["passed"].sum()), total=len(table)))
            + "</p>"
        )
        parts.append(figure(lambda b: validation_figure(table, b, lang)))
    else:
        parts.append(_missing("snf validate --out RESULTS/validate", lang))
    return "".join(parts)


def _missing(command: str, lang: str) -> str:
    return f"<p class=note>{html.escape(t('missing', lang, command=command))}</p>"


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
        scenario=f"{spec.get('scenario', '?')} ({m.get('scenario', {}).get('name', '')})",
        seed=m.get("root_seed", spec.get("seed", "?")),
        reps=m.get("replications", spec.get("replications", "?")),
        weeks=m.get("weeks", experiment.get("weeks", "?")),
        command=" ; ".join(c for c in commands if c),
    )
    return f"<footer><h2>{t('h_reproduce', lang)}</h2><p>{html.escape(text)}</p></footer>"


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:980px;margin:2em auto;
padding:0 1.2em;color:#1d1d1d;line-height:1.5}
h1{font-size:1.7em;margin-bottom:.1em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:.2em}
.sub{color:#555;margin-top:0}img{max-width:100%;display:block;margin:1em 0}
table{border-collapse:collapse;margin:1em 0;font-size:.92em}td,th{border:1px solid #ddd;padding:.35em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.ci{color:#666;font-size:.9em}
.note{color:#555;font-size:.9em}footer{margin-top:2.5em;color:#444;font-size:.9em}
dl dt{font-weight:600;margin-top:.6em}
"""


def render(r: Results, lang: str) -> str:
    strategies = list(dict.fromkeys(r.summary["strategy"]))
    settings = r.manifest.get("strategies", {})
    items = "".join(
        f"<dt>{html.escape(strategy_label(s, lang))}</dt>"
        f"<dd>{html.escape(strategy_description(s, lang, settings.get(s, {}).get('description', '')))}</dd>"
        for s in strategies
    )
    reps = r.manifest.get("replications", "?")
    body = "".join(
        [
            f"<h1>{t('title', lang)}</h1><p class=sub>{t('subtitle', lang)}</p>",
            f"<h2>{t('h_question', lang)}</h2><p>{html.escape(t('question', lang))}</p>",
            f"<p class=note>{html.escape(t('how_to_read', lang, reps=reps))}</p>",
            f"<h2>{t('h_strategies', lang)}</h2><dl>{items}</dl>",
            findings_section(r, lang),
            funnel_section(r, lang),
            threshold_section(r, lang),
            mechanisms_section(r, lang),
            validation_section(r, lang),
            f"<h2>{t('h_assumptions', lang)}</h2><p>{html.escape(t('assumptions', lang))}</p>",
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
