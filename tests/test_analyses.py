"""The analyses: Shapley decomposition, knockouts, intervals, validation - checked on cases with
known answers before they are trusted on the model, then end to end on small designs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.analysis.decomposition import decompose
from simulation.analysis.effects import bootstrap_interval, crn_narrowing, summarise
from simulation.analysis.knockouts import knockout_effects
from simulation.analysis.shapley import shapley_from_table, shapley_values
from simulation.cli import main
from simulation.model import NetworkSupportModel
from simulation.model.parameters import Mechanisms
from simulation.model.strategies import KNOBS, make_strategy
from tests.conftest import small_scenario

# --- Shapley -----------------------------------------------------------------------------------------


def test_shapley_values_of_an_additive_game_are_each_players_own_contribution():
    weights = {"a": 3.0, "b": -1.0, "c": 0.5}
    phi = shapley_values(list(weights), lambda s: sum(weights[p] for p in s))
    assert phi == pytest.approx(weights)


def test_shapley_values_split_an_interaction_equally_and_sum_to_the_total():
    # v = 2a + b + 4ab: a gets 2 + 2, b gets 1 + 2
    def v(s):
        a, b = "a" in s, "b" in s
        return 2 * a + b + 4 * (a and b)

    phi = shapley_values(["a", "b"], v)
    assert phi == pytest.approx({"a": 4.0, "b": 3.0})
    assert sum(phi.values()) == pytest.approx(v({"a", "b"}) - v(set()))


def test_shapley_values_sum_to_the_total_difference_for_any_game():
    rng = np.random.default_rng(0)
    players = ["p", "q", "r", "s"]
    table = {}
    from itertools import combinations

    for size in range(5):
        for c in combinations(players, size):
            table[frozenset(c)] = float(rng.normal())
    phi = shapley_from_table(players, table)
    assert sum(phi.values()) == pytest.approx(table[frozenset(players)] - table[frozenset()])


def test_a_missing_coalition_is_an_error():
    with pytest.raises(ValueError, match="missing"):
        shapley_from_table(["a", "b"], {frozenset(): 0.0, frozenset({"a"}): 1.0})


def test_decompose_recovers_known_knob_contributions_from_a_table():
    knobs = ["x", "y"]
    design = pd.DataFrame({"point_id": [0, 1, 2, 3], "strategy.x": [0, 1, 0, 1], "strategy.y": [0, 0, 1, 1]})
    rows = []
    for rep in range(5):
        for _, p in design.iterrows():
            value = 0.3 * p["strategy.x"] + 0.1 * p["strategy.y"] + 0.01 * rep
            rows.append({"point_id": p["point_id"], "replication": rep, "out": value})
    table = decompose(pd.DataFrame(rows), design, knobs, {"x": 1, "y": 1}, ["out"]).set_index("knob")
    assert table.loc["x", "shapley"] == pytest.approx(0.3)
    assert table.loc["y", "shapley"] == pytest.approx(0.1)
    assert table.loc["total", "shapley"] == pytest.approx(0.4)
    assert table.loc["x", "share"] == pytest.approx(0.75)


def test_switching_every_knob_of_resource_gives_exactly_flexible():
    """The decomposition's end point is the flexible strategy itself: nothing else differs."""
    scenario = small_scenario()
    flexible = make_strategy("flexible", scenario)
    switched = make_strategy(
        "resource", scenario, overrides={k: getattr(flexible.settings, k) for k in KNOBS}
    )
    a = NetworkSupportModel(scenario, flexible, rng=4).run()
    b = NetworkSupportModel(scenario, switched, rng=4).run()
    assert a.client_table().equals(b.client_table())


# --- intervals ---------------------------------------------------------------------------------------


def _runs(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    rows = [{"strategy": "base", "replication": i, "outcome": "y", "value": v} for i, v in enumerate(b)]
    rows += [{"strategy": "new", "replication": i, "outcome": "y", "value": v} for i, v in enumerate(a)]
    return pd.DataFrame(rows)


def test_common_random_numbers_narrow_the_interval_when_runs_are_correlated():
    rng = np.random.default_rng(1)
    shared = rng.normal(0, 1, 40)
    correlated = crn_narrowing(_runs(shared + 0.5 + rng.normal(0, 0.1, 40), shared), "base")
    independent = crn_narrowing(_runs(rng.normal(0.5, 1, 40), rng.normal(0, 1, 40)), "base")
    assert correlated["width_ratio"].iloc[0] < 0.2
    assert 0.6 < independent["width_ratio"].iloc[0] < 1.4


def test_bootstrap_and_t_intervals_agree_roughly_and_contain_the_mean():
    rng = np.random.default_rng(2)
    runs = _runs(rng.normal(1.0, 1, 60), rng.normal(0.0, 1, 60))
    t = summarise(runs, "base").set_index("strategy").loc["new"]
    boot = summarise(runs, "base", method="bootstrap").set_index("strategy").loc["new"]
    assert boot["ci_low"] < boot["mean"] < boot["ci_high"]
    assert abs((boot["ci_high"] - boot["ci_low"]) / (t["ci_high"] - t["ci_low"]) - 1) < 0.25
    assert bootstrap_interval(np.array([1.0, 2.0, 3.0]), seed=5) == bootstrap_interval(
        np.array([1.0, 2.0, 3.0]), seed=5
    )


# --- knockouts ---------------------------------------------------------------------------------------


def test_knockout_shares_on_a_known_table():
    design = pd.DataFrame({"point_id": [0, 1], "mechanisms.m1": [True, False]})
    rows = []
    for rep in range(6):
        for point, effect in ((0, 0.4), (1, 0.1)):
            rows.append(
                {"point_id": point, "replication": rep, "strategy": "care_as_usual", "y": 0.2 + rep / 100}
            )
            rows.append(
                {"point_id": point, "replication": rep, "strategy": "s", "y": 0.2 + rep / 100 + effect}
            )
    table = knockout_effects(pd.DataFrame(rows), design, ["m1"], ["y"])
    row = table.iloc[0]
    assert row["effect_all_on"] == pytest.approx(0.4)
    assert row["effect_knocked_out"] == pytest.approx(0.1)
    assert row["share_dependent"] == pytest.approx(0.75)


# --- commands end to end -----------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump({"name": "tiny", "weeks": 30, "population": {"n_clients": 40}}))
    return path


@pytest.mark.slow
def test_decompose_end_to_end(tiny, tmp_path, capsys):
    out = tmp_path / "dec"
    code = main(
        [
            "decompose",
            "--scenario",
            str(tiny),
            "--reps",
            "2",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    table = pd.read_csv(out / "decomposition.csv")
    assert set(table["knob"]) == {*KNOBS, "total"}
    for outcome, block in table.groupby("outcome"):
        knobs = block[block.knob != "total"]["shapley"].sum()
        assert knobs == pytest.approx(block[block.knob == "total"]["shapley"].iloc[0]), outcome
    assert (out / "decomposition.png").stat().st_size > 10_000
    assert json.loads((out / "manifest.json").read_text())["runs"] == 32 * 2
    assert "of the gap" in capsys.readouterr().out


@pytest.mark.slow
def test_mechanisms_end_to_end(tiny, tmp_path, capsys):
    out = tmp_path / "mech"
    assert (
        main(
            [
                "mechanisms",
                "--scenario",
                str(tiny),
                "--weeks",
                "70",  # arrivals of the first 18 measured weeks are followed 52 weeks: housed_52w
                "--reps",
                "2",
                "--executor",
                "serial",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )
    table = pd.read_csv(out / "knockouts.csv")
    assert set(table["mechanism"]) == set(Mechanisms.model_fields)  # every mechanism knocked out once
    assert set(table["strategy"]) == {"resource", "flexible"}
    mediation = pd.read_csv(out / "mediation.csv")
    assert set(mediation["mediator"]) == {"perceived_support", "eigen_regie"}
    for outcome in ("has_support_group", "perceived_support", "housed_52w"):
        assert (out / f"knockouts_{outcome}.png").exists()
    # network building off removes all of the flexible effect that runs through new ties: the
    # resource strategy never builds ties, so its effect cannot depend on that switch
    resource = table[(table.strategy == "resource") & (table.mechanism == "network_building")]
    assert (resource["effect_all_on"] == resource["effect_knocked_out"]).all()


@pytest.mark.slow
def test_validate_end_to_end(tiny, tmp_path, capsys):
    # the logic that makes it fail is checked in tests/test_wrong_variants.py
    out = tmp_path / "val"
    code = main(
        [
            "validate",
            "--scenario",
            str(tiny),
            "--no-posterior",
            "--reps",
            "2",
            "--executor",
            "serial",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    table = pd.read_csv(out / "validation.csv")
    counted = table[table["role"] != "fit"]
    assert code == (0 if counted["passed"].all() else 1)
    assert set(table["role"]) == {"fit", "held_out", "pattern"} and (out / "validation.png").exists()
    text = capsys.readouterr().out
    assert "no posterior" in text and "held-out targets inside their band" in text


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["decompose", "--from", "nope"], "unknown strategy"),
        (["decompose", "--knobs", "colour"], "unknown knob"),
        (["decompose", "--from", "flexible", "--to", "flexible"], "listed twice"),
        (["decompose", "--knobs", "format"], "also differ in"),
        (["mechanisms", "--strategies", "care_as_usual"], "besides care_as_usual"),
        (["mechanisms", "--set", "mechanisms.format_fit=false"], "already switches off"),
        (["validate", "--weeks", "10"], "drop --weeks"),
    ],
)
def test_bad_analysis_arguments_stop_with_a_clear_message(args, fragment, tmp_path, capsys):
    out = tmp_path / "never"
    assert main([*args, "--out", str(out), "--quiet"]) == 2
    assert fragment in capsys.readouterr().err
