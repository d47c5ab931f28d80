"""The posterior as an input to sweep, decompose and mechanisms (and compare): the draws are really
run, every draw uses the same replication seeds, the manifests say so, bad input stops with a clear
message, and parameter uncertainty widens the intervals when the parameters matter."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.analysis.decomposition import decompose
from simulation.analysis.draws import over_draws
from simulation.analysis.knockouts import knockout_effects
from simulation.cli import main
from simulation.commands.common import UsageError
from simulation.commands.options import posterior_points
from simulation.experiments.spec import ExperimentError, experiment_spec, resolve, with_draws
from simulation.experiments.store import load_sweep
from tests.conftest import write_posterior

#: a housing market from scarce to plentiful: what is housed depends strongly on the draw
HOMES = [0.2, 1.0, 2.5, 5.0]


@pytest.fixture
def posterior(tmp_path: Path) -> Path:
    """A small posterior in the shipped format: four draws of the supply of homes and the leave rate."""
    return write_posterior(
        tmp_path / "posterior",
        {"housing.homes_per_week": HOMES, "shelter.leave_rate": [0.01, 0.02, 0.015, 0.025]},
    )


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump({"name": "tiny", "weeks": 16, "population": {"n_clients": 30}}))
    return path


def experiment(tiny: Path, design: dict | None = None, **changes):
    data = {
        "name": "t",
        "scenario": str(tiny),
        "strategies": ["care_as_usual", "flexible"],
        "replications": 2,
        "seed": 7,
        **({"design": design} if design else {}),
        **changes,
    }
    return resolve(experiment_spec(data, "test"), "test")


# --- crossing a design with draws ---------------------------------------------------------------------


def test_every_design_point_runs_under_every_draw_on_the_same_seeds(tiny, posterior):
    design = {"type": "grid", "parameters": {"population.refusal_share": [0.1, 0.4]}}
    base = experiment(tiny, design)
    draws = posterior_points(posterior, 3)
    crossed = with_draws(base, draws, str(posterior))
    assert crossed.n_points == 6 and crossed.points_per_draw == 2 and crossed.draws == 3
    assert crossed.seeds == base.seeds
    table = crossed.design
    # draw-major: point_id = draw * 2 + the design's own point
    assert list(table["population.refusal_share"]) == [0.1, 0.4] * 3
    assert list(table["housing.homes_per_week"]) == [h for h in HOMES[:3] for _ in range(2)]
    tasks = list(crossed.tasks())
    assert len(tasks) == crossed.n_runs == 6 * 2 * 2
    for task in tasks:
        assert task.seed == base.seeds[task.replication]  # the same seed for every draw and point
        draw, point = divmod(task.point_id, 2)
        assert task.point["housing.homes_per_week"] == HOMES[draw]
        assert task.point["population.refusal_share"] == [0.1, 0.4][point]
    assert crossed.resolved()["posterior_draws"] == 3
    assert crossed.fingerprint() != with_draws(base, draws[:2], str(posterior)).fingerprint()


def test_a_design_or_set_change_of_a_posterior_parameter_is_refused(tiny, posterior):
    draws = posterior_points(posterior, 2)
    varied = experiment(tiny, {"type": "grid", "parameters": {"housing.homes_per_week": [1.0, 2.0]}})
    with pytest.raises(ExperimentError, match=r"design varies housing\.homes_per_week.*also sets"):
        with_draws(varied, draws, str(posterior))
    fixed = experiment(tiny, set={"shelter.leave_rate": 0.03})
    with pytest.raises(ExperimentError, match=r"changes shelter\.leave_rate.*also sets"):
        with_draws(fixed, draws, str(posterior))
    short = experiment(tiny, set={"homes_per_week": 3.0})  # a unique short name counts too
    with pytest.raises(ExperimentError, match=r"changes housing\.homes_per_week.*also sets"):
        with_draws(short, draws, str(posterior))
    other = experiment(tiny, set={"population.refusal_share": 0.3})  # what the posterior leaves alone
    assert with_draws(other, draws, str(posterior)).n_points == 2


def test_bad_posterior_input_stops_with_a_clear_message(tmp_path, posterior):
    assert posterior_points(None, 5) is None
    with pytest.raises(UsageError, match="no such folder"):
        posterior_points(tmp_path / "missing", 2)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UsageError, match="no posterior here"):
        posterior_points(tmp_path / "empty", 2)
    with pytest.raises(UsageError, match="at least 1"):
        posterior_points(posterior, 0)
    with pytest.raises(UsageError, match="holds 4 draws"):
        posterior_points(posterior, 5)


EXPERIMENT = str(Path(__file__).resolve().parent.parent / "experiments" / "strategy_comparison.yaml")


@pytest.mark.parametrize("command", ["sweep", "decompose", "mechanisms", "compare"])
def test_each_command_refuses_bad_posterior_arguments(command, tmp_path, posterior, capsys):
    first = [command, EXPERIMENT] if command == "sweep" else [command]
    out = ["--out", str(tmp_path / "out")]
    for extra, message in (
        (["--posterior", str(tmp_path / "missing")], "no such folder"),
        (["--posterior", str(posterior), "--draws", "9"], "holds 4 draws"),
    ):
        assert main([*first, *extra, *out]) == 2
        assert message in capsys.readouterr().err
        assert not (tmp_path / "out").exists()  # refused before anything ran
    with pytest.raises(SystemExit):
        main([*first, "--posterior", str(posterior), "--draws", "0", *out])
    assert "must be at least 1" in capsys.readouterr().err


# --- the commands over draws ------------------------------------------------------------------------


def test_sweep_over_draws_runs_each_draw_and_reports_parameter_uncertainty(tmp_path, tiny, posterior, capsys):
    file = tmp_path / "exp.yaml"
    file.write_text(
        yaml.safe_dump(
            {
                "name": "t",
                "scenario": str(tiny),
                "strategies": ["care_as_usual"],
                "replications": 3,
                "seed": 3,
                "design": {"type": "grid", "parameters": {"population.refusal_share": [0.1, 0.4]}},
                "record": {"weekly": False},
            }
        )
    )
    out = tmp_path / "sweep"
    args = ["sweep", str(file), "--posterior", str(posterior), "--draws", "4", "--executor", "serial"]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    assert "posterior_summary.csv" in capsys.readouterr().out
    sweep = load_sweep(out)
    runs = sweep.with_design(sweep.runs)
    assert len(runs) == 2 * 4 * 3
    # the draws are really used: the saved runs carry each draw's parameters
    by_draw = runs.groupby(runs["point_id"] // 2)["housing.homes_per_week"].unique()
    assert [list(v) for v in by_draw] == [[h] for h in HOMES]
    # common random numbers: one seed per replication across every draw and design point
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()
    assert runs["seed"].nunique() == 3
    manifest = json.loads((out / "manifest.json").read_text())["experiment"]
    assert manifest["posterior_draws"] == 4
    assert manifest["posterior_parameters"] == ["housing.homes_per_week", "shelter.leave_rate"]
    summary = pd.read_csv(out / "posterior_summary.csv")
    assert set(summary["point"]) == {0, 1}
    homes = summary[summary.outcome == "homes_allocated_per_year"]
    # homes from 0.2 to 5 a week: the homes allocated depend on the draw more than on the noise (a
    # share above 0.5; with draws ignored it would be about 0). In this tiny shelter the supply stops
    # binding at the top draws, so the share is not near 1: 0.68 at the defaults of the fourth
    # posterior, 4 draws x 3 replications
    assert (homes["parameter_share"] > 0.5).all()


def test_compare_interval_over_draws_is_wider_than_at_one_value_when_parameters_matter(
    tmp_path, tiny, posterior
):
    common = ["--scenario", str(tiny), "--strategies", "care_as_usual", "--reps", "5", "--quiet"]
    assert main(["compare", *common, "--out", str(tmp_path / "fixed")]) == 0
    assert (
        main(
            [
                *["compare", *common, "--posterior", str(posterior)],
                "--draws",
                "4",
                "--out",
                str(tmp_path / "draws"),
            ]
        )
        == 0
    )
    fixed = pd.read_csv(tmp_path / "fixed" / "summary.csv").set_index("outcome")
    over = pd.read_csv(tmp_path / "draws" / "posterior_summary.csv").set_index("outcome")
    o = "homes_allocated_per_year"
    assert (
        over.loc[o, "param_high"] - over.loc[o, "param_low"]
        > fixed.loc[o, "ci_high"] - fixed.loc[o, "ci_low"]
    )
    manifest = json.loads((tmp_path / "draws" / "manifest.json").read_text())
    assert (
        manifest["posterior_draws"] == 4
        and manifest["replication_seeds"]
        == json.loads((tmp_path / "fixed" / "manifest.json").read_text())["replication_seeds"]
    )


@pytest.mark.slow
def test_decompose_over_draws(tmp_path, tiny, posterior, capsys):
    out = tmp_path / "dec"
    args = ["decompose", "--scenario", str(tiny), "--reps", "2", "--posterior", str(posterior)]
    assert main([*args, "--draws", "2", "--executor", "serial", "--out", str(out), "--quiet"]) == 0
    assert "over draws" in capsys.readouterr().out
    table = pd.read_csv(out / "decomposition.csv")
    assert {"param_low", "param_high", "parameter_share"} <= set(table.columns)
    assert (table["n"] == 2 * 2).all()  # every (draw, replication) has all 32 combinations
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior_draws"] == 2 and manifest["runs"] == 32 * 2 * 2
    sweep = load_sweep(out / "sweep")
    runs = sweep.with_design(sweep.runs)
    assert runs.groupby(runs["point_id"] // 32)["housing.homes_per_week"].first().tolist() == HOMES[:2]
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()


@pytest.mark.slow
def test_mechanisms_over_draws(tmp_path, tiny, posterior, capsys):
    out = tmp_path / "mech"
    args = ["mechanisms", "--scenario", str(tiny), "--strategies", "flexible", "--reps", "2"]
    args += ["--posterior", str(posterior), "--draws", "2", "--executor", "serial"]
    assert main([*args, "--out", str(out), "--quiet"]) == 0
    assert "over draws" in capsys.readouterr().out
    table = pd.read_csv(out / "knockouts.csv")
    assert {"share_param_low", "effect_param_low", "lost_parameter_share"} <= set(table.columns)
    assert (table["n"] == 2 * 2).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["posterior_draws"] == 2
    assert manifest["posterior_parameters"] == ["housing.homes_per_week", "shelter.leave_rate"]
    sweep = load_sweep(out / "sweep")
    runs = sweep.with_design(sweep.runs)
    assert runs.groupby(runs["point_id"] // 10)["housing.homes_per_week"].first().tolist() == HOMES[:2]
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()


# --- the analyses over draws, on tables with known answers --------------------------------------------


def _knob_table(draws: int, reps: int, spread: float, seed: int = 1) -> pd.DataFrame:
    """Two knobs; x's contribution shifts with the draw (sd `spread`), noise is small."""
    rng = np.random.default_rng(seed)
    design = pd.DataFrame({"point_id": [0, 1, 2, 3], "strategy.x": [0, 1, 0, 1], "strategy.y": [0, 0, 1, 1]})
    shifts = rng.normal(0, spread, draws)
    rows = []
    for d in range(draws):
        for rep in range(reps):
            noise = rng.normal(0, 0.05)
            for _, p in design.iterrows():
                value = (0.3 + shifts[d]) * p["strategy.x"] + 0.1 * p["strategy.y"] + noise * p["strategy.y"]
                rows.append({"draw": d, "point_id": p["point_id"], "replication": rep, "out": value})
    return design, pd.DataFrame(rows)


def test_decomposition_over_draws_widens_the_interval_of_the_knob_the_parameters_move():
    design, runs = _knob_table(draws=20, reps=4, spread=0.2)
    over = decompose(runs, design, ["x", "y"], {"x": 1, "y": 1}, ["out"]).set_index("knob")
    one = decompose(runs[runs.draw == 0].drop(columns="draw"), design, ["x", "y"], {"x": 1, "y": 1}, ["out"])
    one = one.set_index("knob")
    assert "param_low" not in one.columns
    assert (
        over.loc["x", "param_high"] - over.loc["x", "param_low"]
        > one.loc["x", "ci_high"] - one.loc["x", "ci_low"]
    )
    assert over.loc["x", "parameter_share"] > 0.9  # x moves with the parameters only
    assert over.loc["y", "parameter_share"] < 0.2  # y does not depend on them at all


def test_knockouts_over_draws_give_the_share_dependent_per_draw():
    design = pd.DataFrame({"point_id": [0, 1], "mechanisms.m1": [True, False]})
    rows = []
    for d, effect in enumerate((0.2, 0.4, 0.8)):
        for rep in range(4):
            base = 0.2 + rep / 100
            for point, e in ((0, effect), (1, effect / 2 if d < 2 else 0.0)):
                rows.append(
                    {"draw": d, "point_id": point, "replication": rep, "strategy": "care_as_usual", "y": base}
                )
                rows.append(
                    {"draw": d, "point_id": point, "replication": rep, "strategy": "s", "y": base + e}
                )
    table = knockout_effects(pd.DataFrame(rows), design, ["m1"], ["y"])
    row = table.iloc[0]
    assert row["n"] == 12
    # per draw the share dependent is 0.5, 0.5 and 1.0, the effect 0.2, 0.4 and 0.8: 95% over the draws
    assert [row["share_param_low"], row["share_param_high"]] == pytest.approx(
        np.quantile([0.5, 0.5, 1.0], [0.025, 0.975])
    )
    assert [row["effect_param_low"], row["effect_param_high"]] == pytest.approx(
        np.quantile([0.2, 0.4, 0.8], [0.025, 0.975])
    )
    assert row["effect_parameter_share"] == pytest.approx(1.0)  # no noise in the effect at all
    assert row["lost_parameter_share"] == pytest.approx(1.0)  # the part lost: 0.1, 0.2, 0.8 by draw


def test_one_draw_gives_no_parameter_share():
    values = pd.Series(
        [0.1, 0.3, 0.2], index=pd.MultiIndex.from_tuples([(0, 0), (0, 1), (0, 2)], names=["draw", "rep"])
    )
    spread = over_draws(values, "draw")
    assert np.isnan(spread["parameter_share"])  # not 0: one draw cannot tell
    assert spread["param_low"] == spread["param_high"] == pytest.approx(0.2)
