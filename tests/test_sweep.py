"""The sweep engine: designs, seeds, streaming storage, faults and resuming, executors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.cli import main
from simulation.experiments.design import expected_points
from simulation.experiments.seeds import replication_seeds
from simulation.experiments.spec import load_experiment
from simulation.experiments.store import load_sweep
from simulation.experiments.sweep import run_sweep
from simulation.model.parameters import StrategySettings
from simulation.model.strategies import Strategy, register_strategy

TINY = {"weeks": 12, "population": {"n_clients": 25}}


def write_experiment(folder: Path, name: str = "exp", **fields) -> Path:
    """An experiment file with a tiny scenario beside it."""
    (folder / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    data = {
        "name": name,
        "scenario": "tiny.yaml",
        "strategies": ["resource", "flexible"],
        "replications": 2,
        "seed": 11,
        **fields,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def tables(folder: Path) -> dict[str, pd.DataFrame]:
    sweep = load_sweep(folder)
    return {"runs": sweep.runs, "weekly": sweep.weekly, "clients": sweep.clients, "design": sweep.design}


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for name in ta:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


# --- designs --------------------------------------------------------------------------------------


def test_a_grid_has_every_combination(tmp_path):
    path = write_experiment(
        tmp_path,
        design={
            "type": "grid",
            "parameters": {
                "population.refusal_share": [0.0, 0.3],
                "population.network_size_mean": [2.0, 4.0, 8.0],
                "strategy.min_group_size": [1, 2],
            },
        },
    )
    exp = load_experiment(path)
    assert exp.n_points == 12 == expected_points(exp.spec)
    combos = set(map(tuple, exp.design.drop(columns="point_id").to_numpy().tolist()))
    assert len(combos) == 12
    assert exp.n_runs == 12 * 2 * 2


def test_a_latin_hypercube_stratifies_every_parameter(tmp_path):
    n = 20
    path = write_experiment(
        tmp_path,
        design={
            "type": "lhs",
            "samples": n,
            "parameters": {
                "population.refusal_share": {"low": 0.1, "high": 0.5},
                "housing.homes_per_week": {"low": 0.5, "high": 1.5},
            },
        },
    )
    design = load_experiment(path).design
    assert len(design) == n
    for column, (low, high) in {
        "population.refusal_share": (0.1, 0.5),
        "housing.homes_per_week": (0.5, 1.5),
    }.items():
        values = design[column].to_numpy()
        assert ((values >= low) & (values <= high)).all()
        bins = np.floor((values - low) / (high - low) * n).astype(int)
        assert sorted(bins) == list(range(n))  # one point in each of the n equal slices


def test_whole_number_parameters_are_rounded_in_sampled_designs(tmp_path):
    path = write_experiment(
        tmp_path,
        design={
            "type": "lhs",
            "samples": 10,
            "parameters": {"professionals.caseload": {"low": 5, "high": 30}},
        },
    )
    values = load_experiment(path).design["professionals.caseload"]
    assert pd.api.types.is_integer_dtype(values)
    assert values.between(5, 30).all()


def test_a_sobol_sample_has_the_saltelli_structure(tmp_path):
    params = {
        "population.refusal_share": {"low": 0.0, "high": 0.5},
        "population.willingness_mean": {"low": 0.4, "high": 0.9},
        "housing.homes_per_week": {"low": 0.5, "high": 1.5},
    }
    n, d = 8, 3
    path = write_experiment(tmp_path, design={"type": "sobol", "samples": n, "parameters": params})
    exp = load_experiment(path)
    values = exp.design.drop(columns="point_id").to_numpy()
    assert len(values) == n * (d + 2) == expected_points(exp.spec)
    blocks = values.reshape(n, d + 2, d)  # per base sample: A, AB_1..AB_d, B
    a, b = blocks[:, 0], blocks[:, -1]
    for i in range(d):
        ab = blocks[:, 1 + i]
        np.testing.assert_array_equal(ab[:, i], b[:, i])
        np.testing.assert_array_equal(np.delete(ab, i, axis=1), np.delete(a, i, axis=1))
    second = write_experiment(
        tmp_path, "second", design={"type": "sobol", "samples": n, "second_order": True, "parameters": params}
    )
    assert load_experiment(second).n_points == n * (2 * d + 2)


def test_morris_trajectories_change_one_parameter_per_step(tmp_path):
    params = {
        "population.refusal_share": {"low": 0.0, "high": 0.5},
        "housing.homes_per_week": {"low": 0.5, "high": 1.5},
    }
    path = write_experiment(tmp_path, design={"type": "morris", "samples": 5, "parameters": params})
    values = load_experiment(path).design.drop(columns="point_id").to_numpy()
    assert len(values) == 5 * 3
    for trajectory in values.reshape(5, 3, 2):
        changed = (np.diff(trajectory, axis=0) != 0).sum(axis=1)
        assert (changed == 1).all()


def test_a_csv_design_takes_its_points_from_the_file(tmp_path):
    (tmp_path / "points.csv").write_text(
        "population.refusal_share,housing.homes_per_week\n0.1,0.8\n0.4,1.2\n"
    )
    path = write_experiment(tmp_path, design={"type": "csv", "file": "points.csv"})
    design = load_experiment(path).design
    assert design["population.refusal_share"].tolist() == [0.1, 0.4]
    assert design["point_id"].tolist() == [0, 1]


def test_the_same_file_gives_the_same_design(tmp_path):
    path = write_experiment(
        tmp_path,
        design={
            "type": "lhs",
            "samples": 6,
            "parameters": {"population.refusal_share": {"low": 0.0, "high": 0.5}},
        },
    )
    pd.testing.assert_frame_equal(load_experiment(path).design, load_experiment(path).design)


def test_the_shipped_experiments_are_valid():
    root = Path(__file__).resolve().parent.parent / "experiments"
    names = {p.stem for p in root.glob("*.yaml")}
    assert {"strategy_comparison", "threshold_map", "sensitivity"} <= names
    for path in root.glob("*.yaml"):
        exp = load_experiment(path)
        expected = expected_points(exp.spec)
        assert expected is None or exp.n_points == expected


# --- seeds ----------------------------------------------------------------------------------------


def test_replication_seeds_come_from_the_root_seed_by_spawning():
    seeds = replication_seeds(11, 4)
    children = np.random.SeedSequence(11).spawn(4)
    assert seeds == [int(c.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for c in children]
    assert all(0 <= s < 2**63 for s in seeds)
    assert len(set(seeds)) == 4
    assert replication_seeds(11, 6)[:4] == seeds  # more replications keep the first ones


def test_every_strategy_and_point_of_a_replication_shares_its_seed(tmp_path):
    path = write_experiment(
        tmp_path, design={"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.3]}}
    )
    exp = load_experiment(path)
    tasks = list(exp.tasks())
    assert [t.run_id for t in tasks] == list(range(exp.n_runs))
    by_rep = {}
    for t in tasks:
        by_rep.setdefault(t.replication, set()).add(t.seed)
    assert all(len(s) == 1 for s in by_rep.values())
    assert by_rep[0] != by_rep[1]


# --- bad experiment files -------------------------------------------------------------------------

BAD = {
    "unknown_key": ({"replicatons": 3}, ["replicatons", "unknown key", "did you mean 'replications'"]),
    "no_strategies": ({"strategies": []}, ["strategies", "at least 1"]),
    "unknown_strategy": ({"strategies": ["nope"]}, ["unknown strategy 'nope'"]),
    "zero_reps": ({"replications": 0}, ["replications = 0", "at least 1"]),
    "negative_seed": ({"seed": -1}, ["seed = -1", "at least 0"]),
    "bad_design_type": ({"design": {"type": "random"}}, ["design.type", "'random'"]),
    "unknown_parameter": (
        {"design": {"type": "grid", "parameters": {"population.nope": [1]}}},
        ["design.parameters.population.nope", "unknown parameter"],
    ),
    "bad_value": (
        {"design": {"type": "grid", "parameters": {"population.refusal_share": [0.1, 3.0]}}},
        ["design.parameters.population.refusal_share", "3", "at most 1"],
    ),
    "bad_knob": (
        {"design": {"type": "grid", "parameters": {"strategy.format": ["chaos"]}}},
        ["strategy.format", "chaos"],
    ),
    "range_for_grid": (
        {"design": {"type": "grid", "parameters": {"population.refusal_share": {"low": 0, "high": 1}}}},
        ["needs a non-empty list"],
    ),
    "list_for_sobol": (
        {"design": {"type": "sobol", "samples": 8, "parameters": {"population.refusal_share": [0.1]}}},
        ["needs a range"],
    ),
    "no_samples": (
        {"design": {"type": "lhs", "parameters": {"population.refusal_share": {"low": 0, "high": 1}}}},
        ["design.samples"],
    ),
    "reversed_range": (
        {
            "design": {
                "type": "lhs",
                "samples": 4,
                "parameters": {"population.refusal_share": {"low": 0.5, "high": 0.1}},
            }
        },
        ["must be below high"],
    ),
    "missing_csv": ({"design": {"type": "csv", "file": "nowhere.csv"}}, ["nowhere.csv", "not found"]),
    "bad_scenario": ({"scenario": "missing.yaml"}, ["missing.yaml", "file not found"]),
    "bad_set": ({"set": {"population.refusal_share": 9}}, ["population.refusal_share", "at most 1"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_experiment_stops_with_a_clear_message_and_writes_nothing(case, tmp_path, capsys):
    fields, expected = BAD[case]
    path = write_experiment(tmp_path, **fields)
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert str(path) in err
    for fragment in expected:
        assert fragment in err, (fragment, err)
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.slow
def test_a_folder_holding_a_sweep_is_not_overwritten_without_resume(tmp_path, capsys):
    path = write_experiment(tmp_path)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    before = sorted(p.name for p in (out / "parts").iterdir())
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 2
    assert "--resume" in capsys.readouterr().err
    assert sorted(p.name for p in (out / "parts").iterdir()) == before


@pytest.mark.slow
def test_resuming_a_different_experiment_is_refused(tmp_path, capsys):
    path = write_experiment(tmp_path)
    out = tmp_path / "out"
    main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"])
    other = write_experiment(tmp_path, "other", replications=3)
    assert main(["sweep", str(other), "--out", str(out), "--resume", "--quiet"]) == 2
    assert "different experiment" in capsys.readouterr().err


# --- storage and executors ------------------------------------------------------------------------


@pytest.mark.slow
def test_a_sweep_writes_runs_weekly_clients_design_and_manifest(tmp_path):
    path = write_experiment(
        tmp_path,
        record={"weekly": True, "clients": True},
        design={"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.5]}},
    )
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--quiet"]) == 0
    sweep = load_sweep(out)
    assert len(sweep.runs) == 8 and sweep.runs["ok"].all()
    assert sweep.runs["run_id"].tolist() == list(range(8))
    assert len(sweep.weekly) == 8 * 12
    # the clients recorded are the arrivals after the warm-up (the ones the outcomes are about)
    arrivals = sweep.runs.set_index("run_id")["arrivals_per_year"] * 12 / 52
    per_run = sweep.clients.groupby("run_id").size().reindex(arrivals.index, fill_value=0)
    assert (per_run == arrivals.round().astype(int)).all()
    assert (sweep.clients["arrival_week"] > 104).all()
    assert set(sweep.index["status"]) == {"ok"} and (sweep.index["seconds"] > 0).all()
    assert len(sweep.design) == 2
    joined = sweep.with_design(sweep.runs)
    assert set(joined["population.refusal_share"]) == {0.0, 0.5}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["counts"] == {"total": 8, "ok": 8, "failed": 0, "missing": 0}
    assert manifest["root_seed"] == 11
    assert len(manifest["experiment"]["replication_seeds"]) == 2
    assert {"started", "finished", "versions", "git", "fingerprint", "code_fingerprint"} <= set(manifest)
    assert not list((out / "parts").glob(".*.tmp"))


@pytest.mark.slow
def test_serial_and_processes_give_identical_tables(tmp_path):
    path = write_experiment(
        tmp_path,
        replications=3,
        record={"weekly": True, "clients": True},
        design={"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.5]}},
    )
    for executor in ("serial", "processes"):
        main(
            [
                "sweep",
                str(path),
                "--out",
                str(tmp_path / executor),
                "--executor",
                executor,
                "--workers",
                "2",
                "--quiet",
            ]
        )
    assert_same_tables(tmp_path / "serial", tmp_path / "processes")


@pytest.mark.slow
def test_a_dask_local_cluster_gives_identical_tables(tmp_path):
    path = write_experiment(
        tmp_path,
        replications=2,
        record={"weekly": True, "clients": False},
        design={"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.5]}},
    )
    for executor in ("serial", "dask"):
        assert (
            main(
                [
                    "sweep",
                    str(path),
                    "--out",
                    str(tmp_path / executor),
                    "--executor",
                    executor,
                    "--workers",
                    "2",
                    "--quiet",
                ]
            )
            == 0
        )
    assert_same_tables(tmp_path / "serial", tmp_path / "dask")


# --- faults ---------------------------------------------------------------------------------------


class FailsOnOddReplications(Strategy):
    """A strategy that breaks on purpose, to show a failing run is recorded and the rest go on."""

    def on_start(self, model):
        if model.seed in self.bad_seeds:
            raise RuntimeError("deliberate failure for the test")


register_strategy("fails_sometimes", StrategySettings(description="test only"), cls=FailsOnOddReplications)


@pytest.mark.slow
def test_a_run_that_raises_is_recorded_and_the_rest_complete(tmp_path, capsys):
    path = write_experiment(tmp_path, replications=4, strategies=["flexible", "fails_sometimes"])
    exp = load_experiment(path)
    FailsOnOddReplications.bad_seeds = {exp.seeds[1], exp.seeds[3]}
    out = tmp_path / "out"
    outcome = run_sweep(exp, out, executor="serial")
    assert outcome.status == "complete_with_failures"
    sweep = load_sweep(out)
    failed = sweep.runs[~sweep.runs["ok"]]
    assert sorted(failed["replication"]) == [1, 3]
    assert (failed["strategy"] == "fails_sometimes").all()
    assert failed["error"].str.contains("deliberate failure").all()
    assert failed["seed"].isin(FailsOnOddReplications.bad_seeds).all()
    assert sweep.runs["ok"].sum() == 6
    assert outcome.manifest["counts"]["failed"] == 2
    # through the CLI: a summary of failures and a non-zero exit status
    assert main(["sweep", str(path), "--out", str(tmp_path / "cli"), "--executor", "serial", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "2 run(s) failed" in err and "deliberate failure" in err
    # resuming does not rerun failures unless asked
    FailsOnOddReplications.bad_seeds = set()
    again = run_sweep(exp, out, executor="serial", mode="resume")
    assert again.ran == 0
    retried = run_sweep(exp, out, executor="serial", mode="resume", retry_failed=True)
    assert retried.ran == 2
    sweep = load_sweep(out)
    assert sweep.runs["ok"].all() and len(sweep.runs) == 8


def _sweep_command(path: Path, out: Path, *extra: str) -> list[str]:
    return [
        str(Path(sys.executable).parent / "snf"),
        "sweep",
        str(path),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_a_sweep_killed_part_way_and_resumed_equals_an_uninterrupted_one(tmp_path, executor):
    path = write_experiment(
        tmp_path,
        replications=30,
        record={"weekly": True, "clients": True},
        design={"type": "grid", "parameters": {"population.refusal_share": [0.0, 0.4]}},
    )
    full, broken = tmp_path / "full", tmp_path / "broken"
    subprocess.run(_sweep_command(path, full, "--executor", "serial"), check=True)
    total = len(load_sweep(full).runs)

    process = subprocess.Popen(
        _sweep_command(path, broken, "--executor", executor, "--workers", "2"), start_new_session=True
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        committed = list((broken / "parts").glob("runs-*.parquet")) if (broken / "parts").exists() else []
        if len(committed) >= 2:
            break
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # like a lost machine: no chance to clean up
    process.wait()
    done_before = len(load_sweep(broken).runs)
    assert 0 < done_before < total, "the sweep should have been killed part-way"

    result = subprocess.run(
        _sweep_command(path, broken, "--executor", executor, "--resume"),
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"{total - done_before} runs now, {done_before} already done" in result.stdout
    assert_same_tables(full, broken)
    index = load_sweep(broken).index
    assert index["run_id"].is_unique and len(index) == total


@pytest.mark.slow
def test_a_worker_with_different_code_refuses_the_run(tmp_path):
    from dataclasses import replace

    from simulation.experiments.runner import execute

    path = write_experiment(tmp_path)
    task = next(load_experiment(path).tasks())
    assert execute(task).ok
    result = execute(replace(task, code="0000000000000000"))
    assert not result.ok
    assert "different code" in result.error


def test_whole_numbers_stay_whole_beside_float_parameters(tmp_path):
    """A point mixing a count (caseload) with shares keeps each value's type, so every run builds."""
    from simulation.experiments.runner import build_model

    path = write_experiment(
        tmp_path,
        design={
            "type": "lhs",
            "samples": 3,
            "parameters": {
                "professionals.caseload": {"low": 8, "high": 30},
                "housing.homes_per_week": {"low": 0.5, "high": 1.5},
            },
        },
    )
    for task in load_experiment(path).tasks():
        assert isinstance(task.point["professionals.caseload"], int)
        build_model(task)


def test_a_knob_a_point_leaves_out_keeps_each_strategys_own_value(tmp_path):
    path = write_experiment(
        tmp_path,
        design={
            "type": "points",
            "points": [{"strategy.min_group_size": 3}, {"population.refusal_share": 0.5}],
        },
    )
    exp = load_experiment(path)
    for task in exp.tasks():
        if task.point_id == 1:
            assert "min_group_size" not in task.strategy_overrides
    from simulation.experiments.runner import build_model

    second = next(t for t in exp.tasks() if t.point_id == 1 and t.strategy == "flexible")
    assert build_model(second).strategy.settings.min_group_size == 1


def test_parts_beyond_the_hundred_thousandth_batch_are_still_read(tmp_path):
    from simulation.experiments.store import read_parts

    parts = tmp_path / "parts"
    parts.mkdir()
    for stem, run_id in (("000-99999", 0), ("000-100000", 1)):
        pd.DataFrame({"run_id": [run_id], "ok": [True]}).to_parquet(parts / f"runs-{stem}.parquet")
    runs = read_parts(tmp_path, "runs")
    assert runs["run_id"].tolist() == [0, 1]  # in the order written, not in string order


def test_a_strategy_block_whose_knobs_do_not_fit_together_is_refused(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    path.write_text("strategies:\n  x:\n    base: flexible\n    min_group_size: 9\n", encoding="utf-8")
    assert main(["run", "--scenario", str(path), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "strategies.x" in err and "max_nominees" in err
