"""Global sensitivity analysis: the Sobol and Morris code is checked on functions with known
indices before it is trusted on the model; then the parameter ranges, the per-point outputs and the
command end to end on a tiny world."""

from __future__ import annotations

import json
import math
import string
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simulation.analysis.sensitivity import (
    assumption_ranges,
    classify_parameters,
    morris_indices,
    point_means,
    screening_scores,
    sobol_indices,
    sobol_second_order,
    top_parameters,
)
from simulation.commands.common import UsageError
from simulation.commands.sensitivity import KEY_OUTCOMES, format_sensitivity, run_sensitivity
from simulation.model.parameters import ScenarioParams, apply_overrides
from simulation.plots.sensitivity import TEXT, sobol_figure
from simulation.reference import parameter_rows

# --- Sobol on the Ishigami function -----------------------------------------------------------

A, B = 7.0, 0.1
ISHIGAMI = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}


def ishigami(X: np.ndarray) -> np.ndarray:
    return np.sin(X[:, 0]) + A * np.sin(X[:, 1]) ** 2 + B * X[:, 2] ** 4 * np.sin(X[:, 0])


def ishigami_truth() -> dict[str, np.ndarray | float]:
    """The analytic variance decomposition (Ishigami & Homma 1990)."""
    pi = math.pi
    v1 = 0.5 * (1 + B * pi**4 / 5) ** 2
    v2 = A**2 / 8
    v13 = B**2 * pi**8 * (1 / 18 - 1 / 50)
    total = v1 + v2 + v13
    return {
        "S1": np.array([v1, v2, 0.0]) / total,
        "ST": np.array([v1 + v13, v2, v13]) / total,
        "S13": v13 / total,
    }


def test_the_analytic_ishigami_values_are_the_published_ones():
    truth = ishigami_truth()
    assert np.allclose(truth["S1"], [0.314, 0.442, 0.0], atol=1e-3)
    assert np.allclose(truth["ST"], [0.558, 0.442, 0.244], atol=1e-3)


@pytest.mark.slow
def test_sobol_indices_recover_the_ishigami_indices():
    X = sobol_sample.sample(ISHIGAMI, 4096, calc_second_order=False, seed=11)
    table = sobol_indices(ISHIGAMI, ishigami(X), second_order=False, seed=3)
    truth = ishigami_truth()
    assert list(table.columns) == ["parameter", "S1", "S1_conf", "ST", "ST_conf"]
    assert list(table["parameter"]) == ["x1", "x2", "x3"]
    assert np.allclose(table["S1"], truth["S1"], atol=0.03)
    assert np.allclose(table["ST"], truth["ST"], atol=0.03)
    # half-widths: positive, and small at this sample size
    for column in ("S1_conf", "ST_conf"):
        assert (table[column] > 0).all() and (table[column] < 0.06).all()
    # x3 acts only through its interaction with x1: no first-order effect, a clear total effect
    assert abs(table.loc[2, "S1"]) < 0.03 and table.loc[2, "ST"] > 0.2


@pytest.mark.slow
def test_sobol_second_order_finds_the_x1_x3_interaction():
    X = sobol_sample.sample(ISHIGAMI, 4096, calc_second_order=True, seed=12)
    pairs = sobol_second_order(ISHIGAMI, ishigami(X), seed=4).set_index(["parameter_a", "parameter_b"])
    assert pairs.loc[("x1", "x3"), "S2"] == pytest.approx(ishigami_truth()["S13"], abs=0.06)
    assert abs(pairs.loc[("x1", "x2"), "S2"]) < 0.06
    assert abs(pairs.loc[("x2", "x3"), "S2"]) < 0.06


def test_sobol_indices_of_a_constant_output_are_undefined_not_zero():
    X = sobol_sample.sample(ISHIGAMI, 16, calc_second_order=False, seed=1)
    table = sobol_indices(ISHIGAMI, np.full(len(X), 0.4))
    assert table[["S1", "S1_conf", "ST", "ST_conf"]].isna().all().all()


def test_sobol_indices_refuse_an_output_of_the_wrong_length():
    X = sobol_sample.sample(ISHIGAMI, 16, calc_second_order=False, seed=1)
    with pytest.raises(ValueError, match="multiple of 5"):
        sobol_indices(ISHIGAMI, ishigami(X)[:-1])


# --- Morris on a function with a known ranking ------------------------------------------------

LINEAR = {"num_vars": 4, "names": ["x1", "x2", "x3", "x4"], "bounds": [[0.0, 1.0]] * 4}


def linear_with_interaction(X: np.ndarray) -> np.ndarray:
    """10 x1 + 4 x2 + 0 x3 + 2 x1 x4: x1 first, then x2; x4 only through its interaction; x3 nothing."""
    return 10 * X[:, 0] + 4 * X[:, 1] + 0 * X[:, 2] + 2 * X[:, 0] * X[:, 3]


def test_morris_indices_rank_a_known_function():
    X = morris_sample.sample(LINEAR, 20, num_levels=4, seed=5)
    table = morris_indices(LINEAR, X, linear_with_interaction(X), levels=4, seed=2)
    assert list(table.columns) == ["parameter", "mu", "mu_star", "sigma", "mu_star_conf"]
    assert list(table["parameter"]) == ["x1", "x2", "x4", "x3"]  # sorted by mu_star
    rows = table.set_index("parameter")
    # a purely linear term: every elementary effect is its slope over the whole range
    assert rows.loc["x2", "mu"] == pytest.approx(4.0)
    assert rows.loc["x2", "mu_star"] == pytest.approx(4.0)
    assert rows.loc["x2", "sigma"] == pytest.approx(0.0, abs=1e-9)
    assert rows.loc["x3", "mu_star"] == pytest.approx(0.0, abs=1e-9)
    # interactions show as spread of the effects
    assert rows.loc["x4", "sigma"] > 0.3 and rows.loc["x1", "sigma"] > 0.3
    assert 10 <= rows.loc["x1", "mu_star"] <= 12
    assert 0 < rows.loc["x4", "mu_star"] <= 2
    assert (table["mu_star_conf"] >= 0).all()


def test_morris_effects_are_per_whole_range():
    problem = {**LINEAR, "bounds": [[0.0, 1.0], [0.0, 5.0], [0.0, 1.0], [0.0, 1.0]]}
    X = morris_sample.sample(problem, 10, num_levels=4, seed=6)
    rows = morris_indices(problem, X, linear_with_interaction(X), levels=4, seed=2).set_index("parameter")
    assert rows.loc["x2", "mu_star"] == pytest.approx(20.0)  # slope 4 over a range of 5


def test_morris_indices_accept_a_table_and_refuse_broken_trajectories():
    X = morris_sample.sample(LINEAR, 4, num_levels=4, seed=5)
    frame = pd.DataFrame(X[:, ::-1], columns=LINEAR["names"][::-1])  # columns in another order
    from_frame = morris_indices(LINEAR, frame, linear_with_interaction(X), levels=4, seed=1)
    assert from_frame.set_index("parameter").loc["x2", "mu_star"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="trajectories"):
        morris_indices(LINEAR, X[:-1], linear_with_interaction(X)[:-1], levels=4)


def test_screening_ranks_by_the_largest_mu_star_over_the_responses():
    table = pd.DataFrame(
        {
            "response": ["a"] * 3 + ["b"] * 3,
            "parameter": ["p", "q", "r"] * 2,
            "mu_star": [0.30, 0.10, 0.0, 0.05, 0.30, 0.02],
        }
    )
    table["mu_star_scaled"] = table["mu_star"] / table.groupby("response")["mu_star"].transform("max")
    scores = screening_scores(table)
    assert list(scores.index) == ["q", "p", "r"]  # tie at 0.30 broken by the mean (0.20 vs 0.175)
    assert scores["r"] == pytest.approx(0.02)
    assert top_parameters(table, 2) == ["q", "p"]


# --- the ranges of the assumed parameters ------------------------------------------------------


def test_assumption_ranges_hold_only_valid_assumed_parameters():
    scenario = ScenarioParams()
    ranges = assumption_ranges(scenario)
    evidence = {r.path: r.evidence for r in parameter_rows()}
    order = [r.path for r in parameter_rows()]
    assert len(ranges) >= 60
    positions = []
    for path, (low, high) in ranges.items():
        owner = path if path in evidence else path.rsplit(".", 1)[0]  # PerRelation values
        assert evidence[owner] in ("assumption", "calibrated"), path
        assert low < high, path
        value = scenario
        for part in path.split("."):
            value = getattr(value, part)
        assert isinstance(value, float) and low <= value <= high, path
        for end in (low, high):
            apply_overrides(scenario, {path: end})  # raises if not valid
        positions.append(order.index(owner))
    assert positions == sorted(positions)  # schema order
    for left_out in (
        "weeks",
        "population.n_clients",
        "professionals.caseload",
        "population.relation_mix.family",
        "housing.readiness_weight_rust",
        "mechanisms.format_fit",
    ):
        assert left_out not in ranges
    family = scenario.population.share_dormant.family
    assert ranges["population.share_dormant.family"] == pytest.approx((0.5 * family, 1.5 * family))
    refusal = scenario.population.refusal_share
    assert ranges["population.refusal_share"] == pytest.approx((0.5 * refusal, 1.5 * refusal))
    join = scenario.naasten.join_probability
    assert 1.5 * join > 1  # so its range is clipped at its bound (le 1)
    assert ranges["naasten.join_probability"] == pytest.approx((0.5 * join, 1.0))
    calibrated = [r.path for r in parameter_rows() if r.evidence == "calibrated"]
    for path in calibrated:  # calibrated parameters are uncertain too: they get a range
        assert path in ranges, path


def test_assumption_ranges_of_zero_values_and_strict_bounds():
    scenario = apply_overrides(ScenarioParams(), {"clients.base_dropout": 0.0, "naasten.burden_message": 0.0})
    ranges = assumption_ranges(scenario)
    assert ranges["clients.base_dropout"] == pytest.approx((0.0, 0.05))  # le 1
    assert ranges["naasten.burden_message"] == pytest.approx((0.0, 0.5))  # le 10
    wide = assumption_ranges(ScenarioParams(), spread=1.0)
    low, high = wide["naasten.burden_recovery"]  # gt 0: the range stops short of 0
    assert 0 < low < 0.3 < high
    _, excluded = classify_parameters(ScenarioParams())
    assert "sum to 1" in excluded["population.relation_mix.peer"]
    assert excluded["population.n_clients"] == "whole number"


# --- one output per design point --------------------------------------------------------------


def test_point_means_average_replications_and_pair_differences():
    runs = pd.DataFrame(
        [
            # point, replication, strategy, ok, housed
            (0, 0, "resource", True, 0.2),
            (0, 0, "flexible", True, 0.5),
            (0, 1, "resource", True, 0.4),
            (0, 1, "flexible", True, 0.6),
            (1, 0, "resource", True, 0.1),
            (1, 0, "flexible", True, 0.3),
            (1, 1, "resource", True, 0.5),
            (1, 1, "flexible", False, np.nan),  # failed: replication 1 cannot be paired
        ],
        columns=["point_id", "replication", "strategy", "ok", "housed"],
    )
    design = pd.DataFrame({"point_id": [1, 0], "x": [0.3, 0.1]})
    Y = point_means(runs, design, ["housed"], ["resource", "flexible"])
    assert list(Y.index) == [0, 1]
    assert list(Y.columns) == ["housed: resource", "housed: flexible", "housed: flexible - resource"]
    assert Y.loc[0].tolist() == pytest.approx([0.3, 0.55, 0.25])
    # the paired difference uses replication 0 only (0.2), not the difference of means (0.0)
    assert Y.loc[1].tolist() == pytest.approx([0.3, 0.3, 0.2])
    only_levels = point_means(runs, design, ["housed"], ["resource", "flexible"], differences=[])
    assert list(only_levels.columns) == ["housed: resource", "housed: flexible"]
    with pytest.raises(ValueError, match="points \\[2\\]"):
        point_means(runs, pd.DataFrame({"point_id": [0, 1, 2]}), ["housed"], ["resource", "flexible"])


# --- figures ---------------------------------------------------------------------------------


def test_every_text_exists_in_english_and_dutch_with_the_same_fields():
    for key, entry in TEXT.items():
        assert set(entry) == {"en", "nl"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f} for lang in ("en", "nl")]
        assert fields[0] == fields[1], key


def test_sobol_figure_in_dutch(tmp_path: Path):
    table = pd.DataFrame(
        {
            "response": ["housed: flexible - resource"] * 2 + ["formal_group: flexible"] * 2,
            "outcome": ["housed"] * 2 + ["formal_group"] * 2,
            "strategy": ["flexible - resource"] * 2 + ["flexible"] * 2,
            "parameter": ["population.refusal_share", "housing.homes_per_week"] * 2,
            "S1": [0.2, 0.6, np.nan, np.nan],
            "S1_conf": [0.1, 0.1, np.nan, np.nan],
            "ST": [0.3, 0.7, np.nan, np.nan],
            "ST_conf": [0.1, 0.1, np.nan, np.nan],
        }
    )
    path = sobol_figure(table, tmp_path / "sobol.png", "nl", samples=16)
    assert path.exists() and path.stat().st_size > 10_000


# --- the command -----------------------------------------------------------------------------


@pytest.fixture
def tiny_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(
        # a short warm-up, so that arrivals are followed the 52 weeks `housed_52w` reads
        "name: tiny\ndescription: a tiny world for tests\nweeks: 60\npopulation:\n  n_clients: 30\n"
        "shelter:\n  warmup_weeks: 8\n",
        encoding="utf-8",
    )
    return path


def _run(scenario: Path, out: Path, **changes):
    arguments = {
        "scenario_ref": str(scenario),
        "overrides": {},
        "strategies": ["resource", "flexible"],
        "method": "both",
        "trajectories": 2,
        "samples": 4,
        "top": 2,
        "reps": 1,
        "seed": 3,
        "weeks": None,
        "out": out,
        "executor": "serial",
        "workers": None,
        "resume": False,
        "quiet": True,
        "lang": "en",
        **changes,
    }
    return run_sensitivity(**arguments)


@pytest.mark.slow
def test_sensitivity_end_to_end_on_a_tiny_world(tiny_scenario: Path, tmp_path: Path):
    out = tmp_path / "sensitivity"
    result = _run(tiny_scenario, out)
    for name in ("morris.csv", "sobol.csv", "ranges.csv", "morris.png", "sobol.png", "manifest.json"):
        assert (out / name).exists(), name
    assert (out / "morris" / "manifest.json").exists() and (out / "sobol" / "manifest.json").exists()

    morris = pd.read_csv(out / "morris.csv")
    assert list(morris.columns[:9]) == [
        "response",
        "outcome",
        "strategy",
        "parameter",
        "mu",
        "mu_star",
        "sigma",
        "mu_star_conf",
        "mu_star_scaled",
    ]
    expected = {f"{o}: {s}" for o in KEY_OUTCOMES for s in ("resource", "flexible")} | {
        "has_support_group: flexible - resource",
        "housed_52w: flexible - resource",
    }
    assert set(morris["response"]) == expected
    tiny = {"population.n_clients": 30, "weeks": 60, "shelter.warmup_weeks": 8}
    ranges = assumption_ranges(apply_overrides(ScenarioParams(), tiny))
    assert set(morris["parameter"]) == set(ranges)
    assert len(morris) == len(expected) * len(ranges)
    morris_design = pd.read_parquet(out / "morris" / "design.parquet")
    assert len(morris_design) == 2 * (len(ranges) + 1)

    # the Sobol stage varied exactly the two parameters with the largest scaled mu_star over the
    # responses (each response on its own scale)
    scaled = morris["mu_star"] / morris.groupby("response")["mu_star"].transform("max")
    stats = scaled.fillna(0.0).groupby(morris["parameter"]).agg(["max", "mean"])
    top_two = list(stats.sort_values(["max", "mean"], ascending=False).index[:2])
    sobol_design = pd.read_parquet(out / "sobol" / "design.parquet")
    assert [c for c in sobol_design.columns if c != "point_id"] == top_two
    assert len(sobol_design) == 4 * (2 + 2)
    for parameter in top_two:
        low, high = ranges[parameter]
        assert sobol_design[parameter].between(low, high).all()
    assert result.chosen == top_two
    assert sorted(morris.loc[morris["selected"], "parameter"].unique()) == sorted(top_two)

    sobol = pd.read_csv(out / "sobol.csv")
    assert list(sobol.columns) == [
        "response",
        "outcome",
        "strategy",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
    ]
    assert set(sobol["response"]) == expected and set(sobol["parameter"]) == set(top_two)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "sensitivity"
    assert manifest["sobol_parameters"] == top_two
    assert manifest["runs"] == {"morris": 2 * (len(ranges) + 1) * 2, "sobol": 4 * 4 * 2}
    assert "relation shares must sum to 1" in manifest["excluded"]["population.relation_mix.family"]
    sweep = json.loads((out / "sobol" / "manifest.json").read_text(encoding="utf-8"))
    assert sweep["experiment"]["spec"]["record"]["weekly"] is False

    text = format_sensitivity(result)
    assert "Sobol indices of 2 parameters" in text
    first = morris[morris["parameter"] == top_two[0]].sort_values("mu_star").iloc[-1]
    line = next(line for line in text.splitlines() if top_two[0] in line)
    assert (
        f"mu* {first['mu_star']:.3f} ± {first['mu_star_conf']:.3f}  largest for {first['response']}" in line
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"top": 0}, "--top"),
        ({"method": "fast"}, "unknown method"),
        ({"parameters": ["population.refusal_share"]}, "at least 2 parameters"),
        ({"parameters": ["population.refusal_share", "population.relation_mix.family"]}, "sum to 1"),
        ({"parameters": ["population.refusal_share", "population.n_clients"]}, "whole number"),
        ({"samples": 12}, "power of two"),
        ({"trajectories": 1}, "--trajectories"),
        ({"strategies": ["resource", "nonsense"]}, "unknown strategy"),
        ({"lang": "de"}, "unknown language"),
    ],
)
def test_bad_arguments_are_refused_before_anything_runs(tiny_scenario, tmp_path, changes, message):
    out = tmp_path / "never"
    with pytest.raises(UsageError, match=message):
        _run(tiny_scenario, out, **changes)
    assert not out.exists()


def test_a_stage_whose_runs_failed_says_so():
    from types import SimpleNamespace

    from simulation.commands.sensitivity import stage_outputs

    runs = pd.DataFrame(
        {
            "point_id": [0, 0],
            "replication": [0, 0],
            "strategy": ["resource", "flexible"],
            "ok": [False, False],
            **{o: [np.nan, np.nan] for o in KEY_OUTCOMES},
        }
    )
    outcome = SimpleNamespace(
        failures=[{"error": "Traceback ...\nRuntimeError: boom"}] * 2, total=2, folder=Path("x")
    )
    with pytest.raises(RuntimeError, match=r"2 of 2 runs failed.*RuntimeError: boom"):
        stage_outputs(
            SimpleNamespace(runs=runs),
            pd.DataFrame({"point_id": [0]}),
            ["resource", "flexible"],
            outcome,
            "sobol",
        )
