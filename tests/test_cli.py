"""The `snf` command line end to end, and every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli import main


def snf(*args: str) -> int:
    return main([str(a) for a in args])


def test_run_writes_weekly_clients_and_manifest(scenario_dir, tmp_path, capsys):
    out = tmp_path / "out"
    code = snf(
        "run",
        "--scenario",
        scenario_dir / "tiny.yaml",
        "--strategy",
        "resource",
        "--seed",
        3,
        "--weeks",
        12,
        "--out",
        out,
    )
    assert code == 0
    weekly = pd.read_csv(out / "weekly.csv")
    clients = pd.read_csv(out / "clients.csv")
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(weekly) == 12 and weekly["week"].tolist() == list(range(1, 13))
    assert (clients.arrival_week == 0).sum() == 30 and "no_group_reason" in clients
    assert clients.client.is_unique  # one row per person who arrived
    assert manifest["seed"] == 3 and manifest["weeks"] == 12
    assert manifest["scenario"]["population"]["n_clients"] == 30
    assert manifest["strategy"]["name"] == "resource"
    assert {"mesa", "numpy", "snf-simulation"} <= set(manifest["versions"])
    assert "git" in manifest
    assert "resource on tiny" in capsys.readouterr().out


@pytest.mark.slow
def test_run_twice_with_the_same_seed_gives_identical_files(scenario_dir, tmp_path):
    for name in ("a", "b"):
        assert (
            snf("run", "--scenario", scenario_dir / "tiny.yaml", "--seed", 5, "--out", tmp_path / name) == 0
        )
    for file in ("weekly.csv", "clients.csv"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


@pytest.mark.slow
def test_compare_writes_runs_summary_and_figures(scenario_dir, tmp_path, capsys):
    out = tmp_path / "cmp"
    code = snf(
        "compare",
        "--scenario",
        scenario_dir / "tiny.yaml",
        "--strategies",
        "care_as_usual,resource,flexible",
        "--reps",
        3,
        "--seed",
        2,
        "--jobs",
        2,
        "--out",
        out,
        "--quiet",
    )
    assert code == 0
    runs = pd.read_csv(out / "runs.csv")
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.columns[:3]) == ["strategy", "outcome", "n"]
    for column in (
        "strategy",
        "outcome",
        "mean",
        "ci_low",
        "ci_high",
        "diff_vs_baseline",
        "diff_ci_low",
        "diff_ci_high",
    ):
        assert column in summary
    for outcome in (
        "has_support_group",
        "formal_group",
        "perceived_support",
        "eigen_regie",
        "rust",
        "housed",
        "dropped_out",
        "naasten_withdrawn",
        "professional_hours_per_client",
    ):
        assert outcome in set(summary["outcome"])
    assert runs["run_id"].nunique() == 9
    # paired: each replication uses one seed for all strategies
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()
    baseline = summary[summary.strategy == "care_as_usual"]
    measured = baseline["n"] > 0
    assert (baseline.loc[measured, "diff_vs_baseline"] == 0).all()
    # an outcome nobody could be measured on (an age no arrival reached) is kept, as missing
    assert baseline.loc[~measured, "mean"].isna().all()
    for figure in ("support_group_over_time.png", "end_outcomes.png"):
        assert (out / figure).stat().st_size > 10_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {"total": 9, "ok": 9, "failed": 0, "missing": 0}
    assert len(manifest["replication_seeds"]) == 3
    assert "mean [95% interval]" in capsys.readouterr().out


@pytest.mark.slow
def test_compare_results_do_not_depend_on_the_number_of_jobs(scenario_dir, tmp_path):
    for jobs in (1, 2):
        snf(
            "compare",
            "--scenario",
            scenario_dir / "tiny.yaml",
            "--reps",
            2,
            "--jobs",
            jobs,
            "--out",
            tmp_path / f"j{jobs}",
            "--quiet",
        )
    for file in ("runs.csv", "summary.csv", "weekly.csv"):
        assert (tmp_path / "j1" / file).read_bytes() == (tmp_path / "j2" / file).read_bytes()


def test_set_overrides_a_scenario_value(scenario_dir, tmp_path):
    out = tmp_path / "o"
    snf(
        "run",
        "--scenario",
        scenario_dir / "tiny.yaml",
        "--set",
        "population.n_clients=12",
        "--set",
        "refusal_share=1.0",
        "--weeks",
        3,
        "--out",
        out,
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenario"]["population"]["n_clients"] == 12
    assert manifest["scenario"]["population"]["refusal_share"] == 1.0
    clients = pd.read_csv(out / "clients.csv")
    assert (clients.arrival_week == 0).sum() == 12  # the shelter's 12 places, full at the start


def test_scenarios_lists_every_file_with_its_description(capsys):
    assert snf("scenarios") == 0
    text = capsys.readouterr().out
    for name in ("default.yaml", "amsterdam.yaml", "haarlem.yaml", "large_networks.yaml"):
        assert name in text
    assert "Bottlenecks removed" in text


def test_strategies_lists_the_knobs(capsys):
    assert snf("strategies") == 0
    text = capsys.readouterr().out
    assert "consent_rule=up_front" in text and "consent_rule=per_tie_growing" in text


@pytest.mark.slow
def test_scenario_defined_strategies_can_be_run(tmp_path):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "weeks: 10\npopulation: {n_clients: 20}\nstrategies:\n"
        "  flexible_strict_size:\n    base: flexible\n    min_group_size: 2\n"
        "    description: flexible, but a group needs two naasten\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    assert (
        snf(
            "compare",
            "--scenario",
            scenario,
            "--strategies",
            "flexible,flexible_strict_size",
            "--reps",
            2,
            "--out",
            out,
            "--quiet",
        )
        == 0
    )
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["strategies"]["flexible_strict_size"]["min_group_size"] == 2
    assert manifest["strategies"]["flexible_strict_size"]["format"] == "client_paced"


def test_every_command_has_help():
    for command in ("run", "compare", "scenarios", "strategies", "params"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0


@pytest.mark.slow
def test_the_installed_entry_point_works(tmp_path):
    snf_bin = Path(sys.executable).parent / "snf"
    result = subprocess.run([str(snf_bin), "scenarios"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "default.yaml" in result.stdout


# --- bad input: one clear message, exit status 2, no traceback, nothing written ------------------

BAD_SCENARIOS = {
    "unknown_key": (
        "population:\n  n_clientz: 10\n",
        ["population.n_clientz", "unknown key", "did you mean 'n_clients'", "allowed here"],
    ),
    "unknown_section": ("populations:\n  n_clients: 10\n", ["populations", "unknown key"]),
    "wrong_type": ("population:\n  n_clients: many\n", ["population.n_clients", "'many'", "whole number"]),
    "float_for_int": ("weeks: 10.5\n", ["weeks", "10.5", "whole number"]),
    "out_of_range": (
        "population:\n  refusal_share: 1.5\n",
        ["population.refusal_share", "1.5", "at least 0 and at most 1"],
    ),
    "negative": ("professionals:\n  caseload: 0\n", ["professionals.caseload", "0", "at least 1"]),
    "bad_choice": (
        "strategies:\n  x:\n    base: flexible\n    format: chaos\n",
        ["strategies.x.format", "'chaos'", "stramien", "client_paced"],
    ),
    "unknown_base": ("strategies:\n  x:\n    base: nope\n", ["strategies.x.base", "nope", "resource"]),
    "missing_base": ("strategies:\n  x:\n    min_group_size: 2\n", ["strategies.x.base", "missing"]),
    "mix_not_one": (
        "population:\n  relation_mix: {family: 0.5, friend: 0.5, peer: 0.5, other: 0.0}\n",
        ["population.relation_mix", "sum to 1"],
    ),
    "bad_yaml": ("population: [unclosed\n", ["not valid YAML", "line"]),
    "not_a_mapping": ("- just\n- a list\n", ["mapping"]),
    "section_not_mapping": ("population: 5\n", ["population", "section"]),
    "bool_for_number": ("population:\n  n_clients: true\n", ["population.n_clients", "whole number"]),
}


@pytest.mark.parametrize("case", sorted(BAD_SCENARIOS))
def test_a_bad_scenario_stops_with_a_clear_message(case, tmp_path, capsys):
    text, expected = BAD_SCENARIOS[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "never"
    for command in (["run"], ["compare", "--reps", "2", "--quiet"]):
        code = snf(*command, "--scenario", path, "--out", out)
        err = capsys.readouterr().err
        assert code == 2
        assert str(path) in err
        for fragment in expected:
            assert fragment in err, (fragment, err)
        assert "Traceback" not in err
        assert not out.exists()


BAD_ARGUMENTS = {
    "missing_file": (["run", "--scenario", "no/such/file.yaml"], ["file not found"]),
    "unknown_strategy": (["run", "--strategy", "nope"], ["unknown strategy 'nope'", "flexible"]),
    "unknown_strategy_compare": (["compare", "--strategies", "resource,nope"], ["unknown strategy"]),
    "set_without_equals": (["run", "--set", "population.n_clients"], ["KEY=VALUE"]),
    "set_unknown_key": (
        ["run", "--set", "population.n_clientz=5"],
        ["population.n_clientz", "unknown parameter"],
    ),
    "set_out_of_range": (["run", "--set", "refusal_share=2"], ["population.refusal_share", "2", "at most 1"]),
    "set_wrong_type": (["compare", "--set", "weeks=soon"], ["weeks", "'soon'", "whole number"]),
    "calibrate_generation_outside_the_run": (
        ["calibrate", "--generations", "3", "--use-generation", "3"],
        ["--use-generation", "0 to 2"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_ARGUMENTS))
def test_bad_arguments_stop_with_a_clear_message(case, tmp_path, capsys):
    args, expected = BAD_ARGUMENTS[case]
    out = tmp_path / "never"
    code = snf(*args, "--out", out)
    err = capsys.readouterr().err
    assert code == 2
    for fragment in expected:
        assert fragment in err, (fragment, err)
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["compare", "--reps", "0"],
        ["run", "--seed", "-3"],
        ["run", "--weeks", "x"],
        ["compare", "--jobs", "0"],
        ["nope"],
    ],
)
def test_argument_errors_exit_with_status_2(args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_the_process_exit_status_and_stderr_for_a_bad_file(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("population:\n  refusal_share: 7\n", encoding="utf-8")
    snf_bin = Path(sys.executable).parent / "snf"
    result = subprocess.run(
        [str(snf_bin), "run", "--scenario", str(path), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "population.refusal_share = 7 is out of range" in result.stderr
    assert not (tmp_path / "o").exists()
