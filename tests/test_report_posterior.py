"""The report on analyses run over posterior draws, and on analyses run at fixed parameters.

Over draws, the decomposition and the knockouts show each effect's range over the calibrated numbers
and how much of its spread comes from them versus chance, read from the tables the commands wrote.
At fixed parameters the report says plainly that those intervals cover chance only."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.cli import main
from simulation.report.build import spread
from tests.conftest import write_posterior

#: a housing market from scarce to plentiful, so the draws really differ
HOMES = [0.2, 2.5]


def _analyses(scenario: Path, out: Path, posterior: Path | None) -> None:
    """The decomposition and the knockouts (flexible only) into `out`, small and serial."""
    extra = ["--posterior", str(posterior), "--draws", "2"] if posterior else []
    common = ["--scenario", str(scenario), "--reps", "2", "--executor", "serial", "--quiet", *extra]
    assert main(["decompose", *common, "--out", str(out / "decompose")]) == 0
    mechanisms = ["mechanisms", *common, "--strategies", "flexible", "--out", str(out / "mechanisms")]
    assert main(mechanisms) == 0


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """One comparison, with the analyses run over posterior draws ('draws') and at fixed parameters
    ('fixed'). Long enough after the warm-up that arrivals are followed a year (housed_52w)."""
    root = tmp_path_factory.mktemp("report_posterior")
    scenario = root / "tiny.yaml"
    tiny = {"name": "tiny", "weeks": 56, "population": {"n_clients": 20}, "shelter": {"warmup_weeks": 8}}
    scenario.write_text(yaml.safe_dump(tiny))
    base = root / "compare"
    assert main(["compare", "--scenario", str(scenario), "--reps", "2", "--out", str(base), "--quiet"]) == 0
    out = {}
    for kind, posterior in (
        (
            "draws",
            write_posterior(
                root / "posterior", {"housing.homes_per_week": HOMES, "shelter.leave_rate": [0.01, 0.03]}
            ),
        ),
        ("fixed", None),
    ):
        out[kind] = root / kind
        shutil.copytree(base, out[kind])
        _analyses(scenario, out[kind], posterior)
    return out


def _reader_text(folder: Path, lang: str, tmp_path: Path) -> str:
    """The report as a reader reads it: tags, styles, images and the footer removed."""
    path = tmp_path / f"report_{lang}.html"
    assert main(["report", str(folder), "--lang", lang, "--out", str(path)]) == 0
    page = path.read_text(encoding="utf-8")
    for pattern in (r"<style>.*?</style>", r"<footer>.*?</footer>", r"<img[^>]*>", r"<[^>]+>"):
        page = re.sub(pattern, " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(page))


def _end(share: float) -> str:
    """An end of a range of a difference in shares as the report writes it: '+12', '-3', '0'."""
    text = f"{100 * share:+.0f}"
    return "0" if text in ("+0", "-0") else text


def _percent(share: float) -> int:
    return round(100 * min(max(share, 0.0), 1.0))


SPREAD = {
    "en": r"Of the spread, (\d+)% comes from what the evidence leaves open about the calibrated numbers "
    r"and (\d+)% from chance",
    "nl": r"Van de spreiding komt (\d+)% uit wat het onderzoek openlaat over de gekalibreerde getallen en "
    r"(\d+)% uit toeval",
}
CHANCE_ONLY = {
    "en": "cover chance only, not what the evidence",
    "nl": "alleen toeval, niet wat het onderzoek",
}
OVER_DRAWS = {"en": "2 draws of the calibrated numbers", "nl": "2 trekkingen van de gekalibreerde getallen"}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_over_draws_the_report_splits_each_effects_spread_from_the_tables(folders, lang, tmp_path):
    folder = folders["draws"]
    text = _reader_text(folder, lang, tmp_path)
    assert OVER_DRAWS[lang] in text
    assert CHANCE_ONLY[lang] not in text
    # the whole gap in clients with a steungroep: its range over the draws and its parameter share,
    # as decomposition.csv has them
    table = pd.read_csv(folder / "decompose" / "decomposition.csv")
    total = table[(table["outcome"] == "has_support_group") & (table["knob"] == "total")].iloc[0]
    word = {"en": "and", "nl": "en"}[lang]
    gap = re.escape(f"{_end(total['param_low'])} {word} {_end(total['param_high'])}")
    assert re.search(rf"{gap} (percentage points?|procentpunt)", text)
    shares = [tuple(map(int, m)) for m in re.findall(SPREAD[lang], text)]
    assert shares and all(a + b == 100 for a, b in shares)
    assert (_percent(total["parameter_share"]), 100 - _percent(total["parameter_share"])) in shares
    # every knob's part carries its own range over the draws
    assert text.count({"en": "Depending on the calibrated numbers:", "nl": "Afhankelijk van de"}[lang]) >= 5
    # the knockouts: flexible support's effect on clients with a steungroep, range and split as in
    # knockouts.csv, in the table of effects
    knockouts = pd.read_csv(folder / "mechanisms" / "knockouts.csv")
    effect = knockouts[knockouts["outcome"] == "has_support_group"].iloc[0]
    assert effect["strategy"] == "flexible"
    low, high = _end(effect["effect_param_low"]), _end(effect["effect_param_high"])
    to = {"en": "to", "nl": "tot"}[lang]
    unit = {"en": "percentage point", "nl": "procentpunt"}[lang]
    assert f"{low} {to} {high} {unit}" in text
    param = _percent(effect["effect_parameter_share"])
    assert f"{param}% {100 - param}%" in text  # the table's two columns, side by side


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_at_fixed_parameters_the_report_says_its_intervals_cover_chance_only(folders, lang, tmp_path):
    text = _reader_text(folders["fixed"], lang, tmp_path)
    # said for the decomposition and for the knockouts, each with the command that adds the rest
    assert text.count(CHANCE_ONLY[lang]) == 2
    assert "snf decompose --posterior calibration/posterior" in text
    assert "snf mechanisms --posterior calibration/posterior" in text
    assert OVER_DRAWS[lang] not in text
    assert not re.search(SPREAD[lang], text)


def test_tables_without_the_draws_columns_under_a_manifest_that_claims_draws_are_refused(
    folders, tmp_path, capsys
):
    folder = tmp_path / "mixed"
    shutil.copytree(folders["draws"], folder)
    # the decomposition made at fixed parameters, under the manifest of the one made over draws
    shutil.copy(folders["fixed"] / "decompose" / "decomposition.csv", folder / "decompose")
    manifest = json.loads((folder / "decompose" / "manifest.json").read_text())
    del manifest["tables"]  # no digests: the columns alone must give it away
    (folder / "decompose" / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    err = capsys.readouterr().err
    assert "ran over posterior draws" in err and "param_low" in err
    assert not (tmp_path / "report.html").exists()


def test_no_code_names_in_the_uncertainty_the_reader_reads(folders, tmp_path):
    for lang in ("en", "nl"):
        text = _reader_text(folders["draws"], lang, tmp_path)
        text = re.sub(r"snf [^.]*", " ", text)  # the commands a reader may copy
        assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == [], lang


def test_the_split_of_the_spread_is_told_in_whole_percents_that_add_up():
    assert spread(0.304, "en") == (
        "Of the spread, 30% comes from what the evidence leaves open about the calibrated numbers "
        "and 70% from chance."
    )
    assert "96% uit wat het onderzoek openlaat" in spread(0.955, "nl") and "4% uit toeval" in spread(
        0.955, "nl"
    )
    assert spread(1.0, "en").count("100%") == 1 and "0% from chance" in spread(1.0, "en")
    assert spread(np.nan, "en") == ""  # one draw cannot tell parameters from chance


FEW_DISTINCT = {
    "en": "The 3 draws hold only 2 different sets of those numbers",
    "nl": "De 3 trekkingen bevatten maar 2 verschillende sets van die getallen",
}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_comparison_over_repeated_draws_says_how_few_different_sets_it_rests_on(lang, tmp_path):
    """A posterior resampled from few well-fitting particles repeats draws; the reader is told how
    many different sets of calibrated numbers the intervals rest on, and only then."""
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump({"name": "tiny", "weeks": 12, "population": {"n_clients": 12}}))
    texts = {}
    for name, homes in (("repeated", [0.2, 2.5, 0.2]), ("distinct", [0.2, 2.5, 1.0])):
        posterior = write_posterior(tmp_path / f"posterior_{name}", {"housing.homes_per_week": homes})
        out = tmp_path / name
        args = ["compare", "--scenario", str(scenario), "--reps", "1", "--quiet", "--out", str(out)]
        assert main([*args, "--posterior", str(posterior), "--draws", "3"]) == 0
        texts[name] = _reader_text(out, lang, tmp_path)
    assert FEW_DISTINCT[lang] in texts["repeated"]
    assert {"en": "different sets", "nl": "verschillende sets"}[lang] not in texts["distinct"]
