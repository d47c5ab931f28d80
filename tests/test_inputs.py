"""Input limits and design checks: what is refused stops exactly at its limit, and what is allowed
still works (a few aliases, merge keys, whole-valued floats, designs that vary tied parameters
together, results folders whose tables belong to their manifest)."""

from __future__ import annotations

import json

import pytest
import yaml
from test_input_fuzz import comparison

from simulation.experiments import design as design_module
from simulation.experiments.spec import ExperimentError, load_experiment
from simulation.model.parameters import excerpt
from simulation.report.inputs import ResultsInputError, check_results
from simulation.scenarios import (
    MAX_ALIAS_GROWTH,
    MAX_DEPTH,
    InputLimitError,
    ScenarioError,
    load_scenario,
    name_problem,
    parse_yaml,
)

BASE = {
    "name": "t",
    "scenario": "default",
    "strategies": ["resource", "flexible"],
    "replications": 2,
    "seed": 3,
}


def experiment(tmp_path, design: dict, **top):
    path = tmp_path / "e.yaml"
    path.write_text(yaml.safe_dump({**BASE, **top, "design": design}), encoding="utf-8")
    return load_experiment(path)


# --- YAML limits -----------------------------------------------------------------------------------


def test_nesting_is_allowed_up_to_the_limit_and_refused_beyond_it():
    depth_of = MAX_DEPTH - 1  # the document's mapping is one level, each list one more
    assert parse_yaml("weeks: " + "[" * depth_of + "]" * depth_of) is not None
    with pytest.raises(InputLimitError, match=f"more than {MAX_DEPTH} levels"):
        parse_yaml("weeks: " + "[" * (depth_of + 1) + "]" * (depth_of + 1))


def test_aliases_may_add_a_little_and_no_more():
    anchor = "a: &a [" + ", ".join(["1"] * 100) + "]\n"  # 101 values each time it is used
    uses = MAX_ALIAS_GROWTH // 101
    data = parse_yaml(anchor + "b: [" + ", ".join(["*a"] * uses) + "]\n")
    assert len(data["b"]) == uses and data["b"][0] == [1] * 100
    with pytest.raises(InputLimitError, match="aliases"):
        parse_yaml(anchor + "b: [" + ", ".join(["*a"] * (uses + 1)) + "]\n")


def test_merge_keys_are_not_taken_for_duplicates():
    data = parse_yaml("base: &b {x: 1, y: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert data["other"] == {"x": 1, "y": 2}


def test_a_duplicate_key_is_named_with_both_lines(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("weeks: 10\npopulation:\n  n_clients: 5\nweeks: 20\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert "line 4" in str(info.value) and "duplicate key 'weeks' (first at line 1)" in str(info.value)


def test_a_bad_value_is_shown_as_a_short_excerpt(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("population:\n  n_clients: " + "x" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert len(str(info.value)) < 300 + len(str(path))
    assert len(excerpt("y" * 10_000)) <= 80


# --- names -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["default", "den-haag 2", "zuid_oost.v2", "Zwolle", "n" * 100])
def test_names_that_stay_inside_results_are_accepted(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["../../etc", "/etc", "a\\b", "a\x00b", ".hidden", "", "n" * 101, "é" * 51])
def test_names_that_could_leave_results_are_refused(name):
    assert name_problem(name) is not None


# --- designs ---------------------------------------------------------------------------------------


def test_a_design_varying_relation_shares_together_is_accepted(tmp_path):
    points = [
        {"population.relation_mix.family": 0.5, "population.relation_mix.friend": 0.25},
        {"population.relation_mix.family": 0.3, "population.relation_mix.friend": 0.45},
    ]
    exp = experiment(tmp_path, {"type": "points", "points": points})
    assert exp.n_points == 2
    assert exp.point(1) == points[1]


def test_readiness_weights_varied_together_are_accepted_and_a_bad_point_is_refused_by_name(tmp_path):
    good = [
        {
            "housing.readiness_weight_rust": 0.5,
            "housing.readiness_weight_eigen_regie": 0.2,
            "housing.readiness_weight_support": 0.3,
        },
        {
            "housing.readiness_weight_rust": 0.2,
            "housing.readiness_weight_eigen_regie": 0.5,
            "housing.readiness_weight_support": 0.3,
        },
    ]
    assert experiment(tmp_path, {"type": "points", "points": good}).n_points == 2
    bad = [*good, {**good[0], "housing.readiness_weight_rust": 0.6}]
    with pytest.raises(
        ExperimentError, match=r"design.points\[2\]: housing: readiness weights must sum to 1"
    ):
        experiment(tmp_path, {"type": "points", "points": bad})


def test_knobs_tied_by_a_rule_are_checked_per_point(tmp_path):
    ok = {"type": "points", "points": [{"strategy.min_group_size": 4, "strategy.max_nominees": 8}]}
    assert experiment(tmp_path, ok).n_points == 1
    bad = {
        "type": "points",
        "points": [
            {"strategy.min_group_size": 4, "strategy.max_nominees": 8},
            {"strategy.min_group_size": 9},
        ],
    }
    with pytest.raises(
        ExperimentError, match=r"design.points\[1\] \(resource\): min_group_size \(9\) must not exceed"
    ):
        experiment(tmp_path, bad)


def test_whole_valued_floats_count_as_whole_numbers(tmp_path):
    exp = experiment(tmp_path, {"type": "grid", "parameters": {"population.n_clients": [20.0, 30]}})
    assert [exp.point(i)["population.n_clients"] for i in range(2)] == [20, 30]
    assert all(type(exp.point(i)["population.n_clients"]) is int for i in range(2))


def test_a_csv_design_keeps_its_types_and_names_points_by_line(tmp_path):
    (tmp_path / "p.csv").write_text(
        "population.n_clients,population.refusal_share,strategy.consent_rule\n40,0.1,up_front\n\n60,0.3,per_tie_growing\n",
        encoding="utf-8",
    )
    exp = experiment(tmp_path, {"type": "csv", "file": "p.csv"})
    assert exp.point(1) == {
        "population.n_clients": 60,
        "population.refusal_share": 0.3,
        "strategy.consent_rule": "per_tie_growing",
    }
    assert exp.design.attrs["lines"] == [2, 4]
    (tmp_path / "p.csv").write_text("population.n_clients\n40\n\n0\n", encoding="utf-8")
    with pytest.raises(
        ExperimentError,
        match=r"design point 1 \(line 4 of the file\): population.n_clients = 0 is out of range",
    ):
        experiment(tmp_path, {"type": "csv", "file": "p.csv"})


def test_a_csv_written_on_windows_reads_the_same(tmp_path):
    (tmp_path / "p.csv").write_bytes(
        "\ufeffpopulation.n_clients,population.refusal_share\r\n40,0.1\r\n".encode()
    )
    exp = experiment(tmp_path, {"type": "csv", "file": "p.csv"})
    assert exp.point(0) == {"population.n_clients": 40, "population.refusal_share": 0.1}


def test_a_grid_is_counted_before_it_is_built(tmp_path, monkeypatch):
    def never(*args):
        raise AssertionError("the grid was built")

    monkeypatch.setattr(design_module.itertools, "product", never)
    values = [0.1 * i for i in range(1, 11)]
    parameters = {
        p: values for p in ("population.refusal_share", "population.share_no_naasten", "clients.base_dropout")
    }
    parameters |= {
        p: values
        for p in ("naasten.withdraw_probability", "naasten.join_probability", "clients.misfit_dropout")
    }
    parameters["population.tie_strength_mean"] = values[:2]
    with pytest.raises(ExperimentError, match="2,000,000 points"):
        experiment(tmp_path, {"type": "grid", "parameters": parameters})


# --- report inputs ---------------------------------------------------------------------------------


def test_a_results_folder_whose_tables_match_its_manifest_passes(tmp_path):
    comparison(tmp_path / "r")
    check_results(tmp_path / "r", tmp_path / "r" / "report_en.html")
    check_results(tmp_path / "r", tmp_path / "elsewhere" / "report.html")


def test_a_table_changed_after_the_run_is_refused(tmp_path):
    comparison(tmp_path / "r")
    weekly = tmp_path / "r" / "weekly.csv"
    weekly.write_text(weekly.read_text().replace("flexible,1,2", "flexible,1,3"))
    with pytest.raises(ResultsInputError, match=r"weekly.csv: not the table manifest.json was written with"):
        check_results(tmp_path / "r")


def test_without_digests_more_replications_than_the_manifest_is_refused(tmp_path):
    comparison(tmp_path / "r", digests=False)
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    check_results(tmp_path / "r")
    (tmp_path / "r" / "manifest.json").write_text(json.dumps({**manifest, "replications": 1}))
    with pytest.raises(ResultsInputError, match="another run"):
        check_results(tmp_path / "r")


def test_a_real_comparison_is_reported_and_a_manifest_from_another_run_is_refused(tmp_path, capsys):
    from simulation.cli import main

    def compare(out, seed):
        args = ["compare", "--strategies", "resource,flexible", "--reps", "2", "--seed", str(seed), "--quiet"]
        tiny = ["population.n_clients=20", "weeks=20", "shelter.warmup_weeks=4"]
        assert main([*args, *[a for s in tiny for a in ("--set", s)], "--out", str(out)]) == 0

    compare(tmp_path / "a", 1)
    compare(tmp_path / "b", 2)
    assert main(["report", str(tmp_path / "a"), "--out", str(tmp_path / "a.html")]) == 0
    (tmp_path / "a" / "manifest.json").write_bytes((tmp_path / "b" / "manifest.json").read_bytes())
    capsys.readouterr()
    assert main(["report", str(tmp_path / "a"), "--out", str(tmp_path / "a2.html")]) == 2
    assert "not the table manifest.json was written with" in capsys.readouterr().err
    assert not (tmp_path / "a2.html").exists()
