"""The report: one self-contained HTML file per language, every part present or named as missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from simulation.cli import main


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    scenario = folder / "tiny.yaml"
    scenario.write_text(yaml.safe_dump({"name": "tiny", "weeks": 20, "population": {"n_clients": 40}}))
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
