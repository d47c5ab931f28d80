"""The report: one self-contained HTML file per language, every part present or named as missing."""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.analysis import survival
from simulation.analysis.effects import subgroup_effects
from simulation.cli import main
from simulation.commands.compare import format_table
from simulation.plots.compare import end_outcomes
from simulation.plots.flow import time_to_event_figure
from simulation.report.build import in_words


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    scenario = folder / "tiny.yaml"
    # a small open shelter: a short warm-up, and long enough after it that arrivals reach 26 weeks
    tiny = {"name": "tiny", "weeks": 40, "population": {"n_clients": 40}, "shelter": {"warmup_weeks": 20}}
    scenario.write_text(yaml.safe_dump(tiny))
    out = folder / "results"
    assert main(["compare", "--scenario", str(scenario), "--reps", "3", "--out", str(out), "--quiet"]) == 0
    assert (
        main(
            [
                "decompose",
                "--scenario",
                str(scenario),
                "--reps",
                "2",
                "--executor",
                "serial",
                "--out",
                str(out / "decompose"),
                "--quiet",
            ]
        )
        == 0
    )
    return out


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.slow
def test_the_report_is_one_self_contained_file(results, lang, tmp_path):
    out = tmp_path / f"report_{lang}.html"
    assert main(["report", str(results), "--lang", lang, "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in text
    # figures are embedded; nothing is fetched from elsewhere
    images = re.findall(r'<img[^>]*src="([^"]+)"', text)
    assert len(images) >= 3
    assert all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(src|href)="(https?:)?//', text)
    # the sections are there; parts that were not run say how to run them
    assert "snf threshold-map" in text and "snf validate" in text


@pytest.mark.slow
def test_each_language_speaks_its_own_words(results, tmp_path):
    texts = {}
    for lang in ("en", "nl"):
        out = tmp_path / f"{lang}.html"
        main(["report", str(results), "--lang", lang, "--out", str(out)])
        texts[lang] = out.read_text(encoding="utf-8")
    assert "Key findings" in texts["en"] and "Belangrijkste uitkomsten" in texts["nl"]
    assert "Flexibele netwerkondersteuning" in texts["nl"] and "Gebruikelijke zorg" in texts["nl"]
    assert "Key findings" not in texts["nl"]
    for lang, text in texts.items():
        assert "git" in text and "snf compare" in text, lang  # the reproducibility footer


@pytest.mark.slow
def test_the_default_output_name_follows_the_language(results):
    assert main(["report", str(results), "--lang", "nl"]) == 0
    assert (results / "report_nl.html").exists()


def test_a_folder_without_results_is_refused(tmp_path, capsys):
    assert main(["report", str(tmp_path)]) == 2
    assert "not a comparison's results" in capsys.readouterr().err
    assert main(["report", str(tmp_path / "nowhere")]) == 2


# --- the answer first, in the reader's words and numbers -------------------------------------------


def _report(results: Path, lang: str, tmp_path: Path) -> str:
    out = tmp_path / f"report_{lang}.html"
    assert main(["report", str(results), "--lang", lang, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _reader_text(page: str) -> str:
    """What a reader reads: no styles, images, commands or the reproducibility footer."""
    for pattern in (
        r"<style>.*?</style>",
        r"<footer>.*?</footer>",
        r"<code>.*?</code>",
        r"<img[^>]*>",
        r"<[^>]+>",
    ):
        page = re.sub(pattern, " ", page, flags=re.S)
    return html.unescape(page)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_findings_come_first_with_their_uncertainty(results, lang, tmp_path):
    page = _report(results, lang, tmp_path)
    findings = re.search(r"<ol class=findings>(.*?)</ol>", page, flags=re.S)
    assert findings, "no findings list"
    start = findings.start()
    # before the question, the definitions and any figure
    assert start < page.index("<img")
    assert start < page.index("Amsterdam")  # the question's text
    items = re.findall(r"<li>(.*?)</li>", findings.group(1), flags=re.S)
    assert 3 <= len(items) <= 5
    # each finding carries a number; the first says how sure it is (an interval)
    assert all(re.search(r"\d", item) for item in items)
    assert re.search(r"\d+% (to|tot) \d+%", items[0])
    # costs, for whom and what to do follow straight after the findings
    order = [page.index(f"id={part}") for part in ("findings", "costs", "whom", "todo")]
    assert order == sorted(order)


def test_dutch_numbers_use_decimal_commas_in_the_report(results, tmp_path):
    text = {lang: _reader_text(_report(results, lang, tmp_path)) for lang in ("en", "nl")}
    decimal_point = re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])")
    assert decimal_point.search(text["en"]), "the English report should show decimals at all"
    assert not decimal_point.findall(text["nl"])
    assert re.search(r"\d,\d", text["nl"])


def _svg_text(path: Path) -> list[str]:
    return [
        html.unescape(s)
        for s in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"), re.S)
    ]


def test_dutch_figures_use_decimal_commas_on_their_axes(results, tmp_path):
    summary = pd.read_csv(results / "summary.csv")
    texts = {}
    for lang in ("en", "nl"):
        path = end_outcomes(summary, 40, tmp_path / f"end_{lang}.svg", lang)
        texts[lang] = " ".join(_svg_text(path))
    # perceived support and the other 0-1 scores have decimal ticks
    assert re.search(r"\d\.\d", texts["en"])
    assert not re.search(r"\d\.\d", texts["nl"])
    assert re.search(r"\d,\d", texts["nl"])


def test_dutch_figures_of_the_flow_use_decimal_commas(results, tmp_path):
    clients = pd.read_csv(results / "clients.csv")
    times = survival.durations(clients, "exit")
    curve = survival.curves(times)
    path = time_to_event_figure(curve, tmp_path / "exit_nl.svg", "nl", "exit")
    labels = _svg_text(path)
    assert labels and not any(re.search(r"\d\.\d", s) for s in labels)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_code_names_in_what_the_reader_reads(results, lang, tmp_path):
    text = _reader_text(_report(results, lang, tmp_path))
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []
    assert "care_as_usual" not in text and "too_few_ties" not in text


def test_every_figure_says_what_it_shows(results, tmp_path):
    page = _report(results, "nl", tmp_path)
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert alts and all(alt.strip() for alt in alts)


# --- survival: censoring done right ------------------------------------------------------------------


def test_kaplan_meier_counts_censored_clients_while_they_were_followed():
    # four arrivals: housed after 2 weeks; followed 3 weeks, never housed; housed after 5 weeks;
    # followed 5 weeks, never housed (censored at the same week as the event)
    clients = pd.DataFrame(
        {
            "strategy": ["a"] * 4,
            "replication": [0] * 4,
            "client": [1, 2, 3, 4],
            "arrival_week": [10, 10, 12, 10],
            "week_housed": [12, -1, 17, -1],
            "first_exit_week": [12, -1, 17, 14],
            "record_week": [30, 13, 30, 15],
        }
    )
    times = survival.durations(clients, "housing")
    assert times["duration"].tolist() == [2, 3, 5, 5]
    assert times["observed"].tolist() == [1, 0, 1, 0]
    curve = survival.kaplan_meier(times)
    # S(2) = 3/4; the client censored at 3 leaves the risk set; S(5) = 3/4 * (1 - 1/2) = 3/8
    assert survival.survival_at(curve, 2) == pytest.approx(0.75)
    assert survival.survival_at(curve, 4) == pytest.approx(0.75)
    assert survival.survival_at(curve, 5) == pytest.approx(0.375)
    assert survival.median_time(curve) == 5
    # dropping the censored as if they never came would claim everyone is housed by week 5
    naive = survival.kaplan_meier(times[times["observed"] == 1])
    assert survival.survival_at(naive, 5) == pytest.approx(0.0)
    # the exit curve: client 4 left at week 14, four weeks after arriving
    exits = survival.durations(clients, "exit")
    assert exits["duration"].tolist() == [2, 3, 5, 4]
    assert exits["observed"].tolist() == [1, 0, 1, 1]


def test_survival_table_pairs_replications_and_reads_the_curve():
    rows = []
    for replication in range(3):
        for strategy, housed_after in (("base", 10), ("better", 4)):
            for client in range(4):
                housed = client < 2  # two housed, two followed 20 weeks without a home
                rows.append(
                    {
                        "strategy": strategy,
                        "replication": replication,
                        "client": client,
                        "arrival_week": 0,
                        "week_housed": housed_after + replication if housed else -1,
                        "first_exit_week": -1,
                        "record_week": 20,
                    }
                )
    times = survival.durations(pd.DataFrame(rows), "housing")
    table = survival.survival_table(times, weeks=(8, 13)).set_index(["strategy", "measure"])
    assert table.loc[("base", "by_8w"), "mean"] == pytest.approx(0.0)
    assert table.loc[("better", "by_8w"), "mean"] == pytest.approx(0.5)
    assert table.loc[("better", "by_8w"), "diff_vs_baseline"] == pytest.approx(0.5)
    assert table.loc[("base", "by_13w"), "mean"] == pytest.approx(0.5)
    assert np.isnan(table.loc[("base", "median"), "mean"]) or table.loc[("base", "median"), "mean"] >= 10


def test_subgroup_effects_pair_the_same_clients():
    rows = []
    for replication in range(3):
        for client in range(20):
            naasten = 0 if client < 10 else 6
            for strategy in ("base", "new"):
                gain = 0.8 if (strategy == "new" and naasten) else 0.0
                rows.append(
                    {
                        "strategy": strategy,
                        "replication": replication,
                        "client": client,
                        "naasten": naasten,
                        "ties_built": 0,
                        "refuses_all": client % 2 == 0,
                        "stramien_tolerance": 0.5,
                        "value": gain,
                    }
                )
    clients = pd.DataFrame(rows)
    effects = subgroup_effects(clients, clients["value"], "base").set_index(
        ["strategy", "dimension", "group"]
    )
    assert effects.loc[("new", "network", "4-7"), "diff_vs_baseline"] == pytest.approx(0.8)
    assert effects.loc[("new", "network", "none"), "diff_vs_baseline"] == pytest.approx(0.0)
    assert effects.loc[("new", "refusal", "refuses"), "diff_vs_baseline"] == pytest.approx(0.4)


def test_the_printed_comparison_fits_in_100_columns(results):
    summary = pd.read_csv(results / "summary.csv")
    table = format_table(summary)
    assert max(len(line) for line in table.splitlines()) <= 100
    assert "care_as_usual" in table or "Care as usual" in table


def test_shares_are_told_as_people_say_them():
    assert in_words(0.74, "en") == "about 3 in 4"
    assert in_words(0.11, "nl") == "ongeveer 1 op de 8"
    assert in_words(0.0, "nl", alone=True) == "niemand"
    assert in_words(0.5, "en", alone=True) == "about half"


def test_the_report_says_which_uncertainty_its_intervals_hold(tmp_path):
    """Chance only at fixed parameters; chance and the calibrated parameters over posterior draws,
    with the parameters' share of the spread from posterior_summary.csv."""
    from simulation.report.build import Results, uncertainty

    summary = pd.DataFrame({"strategy": ["care_as_usual", "flexible"], "outcome": ["exits_per_year"] * 2})
    fixed = Results(tmp_path, {"replications": 10}, summary, pd.DataFrame())
    assert "chance only" in uncertainty(fixed, "en")
    pd.DataFrame(
        {"strategy": ["flexible"], "outcome": ["exits_per_year"], "diff_parameter_share": [0.62]}
    ).to_csv(tmp_path / "posterior_summary.csv", index=False)
    manifest = {"replications": 5, "posterior_draws": 10, "posterior_parameters": ["a", "b", "c"]}
    both = Results(tmp_path, manifest, summary, pd.DataFrame())
    assert "62%" in uncertainty(both, "en") and "two kinds" in uncertainty(both, "en")
    assert "62%" in uncertainty(both, "nl") and "10 trekkingen" in uncertainty(both, "nl")
