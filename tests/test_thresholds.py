"""Threshold map: the strict method's outcome as a share of flexible support's, over a grid."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.analysis.thresholds import (
    NETWORK_SIZE,
    REFUSAL,
    TOLERANCE,
    describe_region,
    threshold_region,
    threshold_table,
)
from simulation.commands.common import UsageError
from simulation.commands.thresholds import format_thresholds, run_threshold_map
from simulation.experiments.store import load_sweep
from simulation.plots.thresholds import finding, threshold_figure

# --- a hand-made sweep with known answers -------------------------------------------------------------

DESIGN = pd.DataFrame(
    {
        "point_id": [0, 1, 2, 3],
        NETWORK_SIZE: [2.0, 6.0, 2.0, 6.0],
        REFUSAL: [0.0, 0.0, 0.4, 0.4],
        TOLERANCE: [0.5, 0.5, 0.5, 0.5],
    }
)
FLEXIBLE = {
    0: [0.4, 0.5, 0.6, 0.7],
    1: [0.5, 0.6, 0.7, 0.8],
    2: [0.4, 0.5, 0.6, 0.7],
    3: [0.5, 0.6, 0.7, 0.8],
}


def strict_values(point: int, flexible: np.ndarray) -> np.ndarray:
    return {
        0: flexible - 0.1,  # ratio 0.45 / 0.55 = 0.818: reaches, but its interval dips below 0.8
        1: 0.9 * flexible,  # ratio 0.9 in every replication: reaches surely
        2: 0.5 * flexible,  # ratio 0.5: does not reach
        3: 0.875 * flexible,  # ratio 0.875: reaches surely
    }[point]


def hand_runs(shuffle: bool = True) -> pd.DataFrame:
    rows = []
    for point, values in FLEXIBLE.items():
        flexible = np.array(values)
        strict = strict_values(point, flexible)
        for rep in range(4):
            rows.append({"point_id": point, "strategy": "flexible", "replication": rep, "y": flexible[rep]})
            rows.append({"point_id": point, "strategy": "resource", "replication": rep, "y": strict[rep]})
            rows.append({"point_id": point, "strategy": "care_as_usual", "replication": rep, "y": 0.0})
    runs = pd.DataFrame(rows)
    # rows in a scrambled order: pairing must go by replication, not by position
    return runs.sample(frac=1, random_state=3).reset_index(drop=True) if shuffle else runs


def table(**options) -> pd.DataFrame:
    return threshold_table(hand_runs(), DESIGN, outcome="y", **options).set_index("point_id")


def test_means_difference_and_ratio_are_per_point_and_paired_by_replication():
    t = table()
    assert list(t.index) == [0, 1, 2, 3]
    assert t.loc[0, "flexible_mean"] == pytest.approx(0.55)
    assert t.loc[0, "strict_mean"] == pytest.approx(0.45)
    assert t.loc[0, "n"] == 4
    # strict is flexible - 0.1 in each replication: the paired difference has no spread at all,
    # which only holds if the replications were matched (an unpaired interval would be wide)
    assert t.loc[0, "diff"] == pytest.approx(-0.1)
    assert t.loc[0, "diff_ci_low"] == pytest.approx(-0.1)
    assert t.loc[0, "diff_ci_high"] == pytest.approx(-0.1)
    assert t.loc[0, "ratio"] == pytest.approx(0.45 / 0.55)
    assert t.loc[2, "ratio"] == pytest.approx(0.5)
    # t-interval of the mean: 0.55 +- t(0.975, 3) * sd / 2
    half = 3.182446305284263 * np.std(FLEXIBLE[0], ddof=1) / 2
    assert t.loc[0, "flexible_ci_low"] == pytest.approx(0.55 - half)
    assert t.loc[0, "flexible_ci_high"] == pytest.approx(0.55 + half)
    # the design parameters come along
    assert t.loc[3, NETWORK_SIZE] == 6.0 and t.loc[3, REFUSAL] == 0.4


def test_the_ratio_interval_is_a_paired_bootstrap():
    t = table()
    # a constant ratio per replication gives a bootstrap interval of exactly that ratio
    assert t.loc[1, "ratio_ci_low"] == pytest.approx(0.9)
    assert t.loc[1, "ratio_ci_high"] == pytest.approx(0.9)
    # point 0: (m - 0.1) / m varies with the resampled mean m
    assert t.loc[0, "ratio_ci_low"] < t.loc[0, "ratio"] < t.loc[0, "ratio_ci_high"]
    assert 0.75 <= t.loc[0, "ratio_ci_low"] < 0.8
    # seeded: the same call gives the same interval
    again = table()
    assert again.loc[0, "ratio_ci_low"] == t.loc[0, "ratio_ci_low"]


def test_the_reach_flags():
    t = table()
    assert t["reaches"].to_dict() == {0: True, 1: True, 2: False, 3: True}
    assert t["reaches_surely"].to_dict() == {0: False, 1: True, 2: False, 3: True}
    stricter = table(reach=0.86)
    assert stricter["reaches"].to_dict() == {0: False, 1: True, 2: False, 3: True}


def test_only_complete_pairs_count_and_a_zero_flexible_mean_gives_no_ratio():
    runs = hand_runs(shuffle=False)
    gone = (runs["point_id"] == 0) & (runs["replication"] == 3) & (runs["strategy"] == "resource")
    runs = runs[~gone]
    runs.loc[(runs["point_id"] == 2) & (runs["strategy"] == "flexible"), "y"] = 0.0
    t = threshold_table(runs, DESIGN, outcome="y").set_index("point_id")
    assert t.loc[0, "n"] == 3
    assert t.loc[0, "flexible_mean"] == pytest.approx(0.5)  # replication 3 (0.7) left out with its pair
    assert np.isnan(t.loc[2, "ratio"])
    assert not t.loc[2, "reaches"] and not t.loc[2, "reaches_surely"]


def test_a_missing_strategy_or_outcome_is_an_error():
    runs = hand_runs()
    with pytest.raises(ValueError, match="peer_first"):
        threshold_table(runs, DESIGN, outcome="y", strict="peer_first")
    with pytest.raises(ValueError, match="housed"):
        threshold_table(runs, DESIGN, outcome="housed")


def test_the_region_gives_the_smallest_network_size_that_reaches():
    region = threshold_region(table()).set_index(REFUSAL)
    assert region.loc[0.0, "min_network_size"] == 2.0
    assert region.loc[0.0, "min_network_size_surely"] == 6.0
    assert region.loc[0.0, "reaches_at_all_larger"]
    assert region.loc[0.4, "min_network_size"] == 6.0
    assert region.loc[0.4, "best_ratio"] == pytest.approx(0.875)
    nowhere = threshold_region(table(reach=0.95))
    assert nowhere["min_network_size"].isna().all()
    assert not nowhere["reaches_at_all_larger"].any()


def test_the_finding_is_read_off_the_table():
    only_large = table(reach=0.86).reset_index()
    region = describe_region(only_large)
    assert region["reaching"] == 2
    assert (region["min_size"], region["max_refusal"], region["min_tolerance"]) == (6.0, None, None)
    assert "only with networks of at least 6 naasten (2 of 4 settings)" in finding(only_large, "en")
    assert "netwerken van minstens 6 naasten" in finding(only_large, "nl")
    nowhere = table(reach=0.95).reset_index()
    assert "does not reach 95%" in finding(nowhere) and "at best 90%" in finding(nowhere)
    everywhere = table(reach=0.4).reset_index()
    assert "everywhere" in finding(everywhere) and "lowest 50%" in finding(everywhere)
    runs = hand_runs()
    runs.loc[runs["strategy"] == "flexible", "y"] = 0.0
    undefined = threshold_table(runs, DESIGN, outcome="y")
    assert undefined["ratio"].isna().all()
    assert "achieves nothing" in finding(undefined)


@pytest.mark.slow
def test_the_heatmap_is_drawn_in_both_languages(tmp_path):
    t = table().reset_index()
    for lang in ("en", "nl"):
        path = threshold_figure(t, tmp_path / f"map-{lang}.png", lang)
        assert path.exists() and path.stat().st_size > 10_000
    with pytest.raises(ValueError, match="language"):
        threshold_figure(t, tmp_path / "map-fr.png", "fr")


# --- the command, end to end on a tiny experiment ------------------------------------------------------

GRID = {NETWORK_SIZE: [3.0, 12.0], REFUSAL: [0.0, 0.5], TOLERANCE: [0.3, 0.9]}


def write_experiment(folder: Path, parameters: dict | None = None, **fields) -> Path:
    (folder / "tiny.yaml").write_text(
        yaml.safe_dump({"name": "tiny", "weeks": 20, "population": {"n_clients": 30}}), encoding="utf-8"
    )
    data = {
        "name": "tiny_map",
        "scenario": "tiny.yaml",
        "strategies": ["resource", "flexible"],
        "replications": 1,
        "seed": 5,
        "design": {"type": "grid", "parameters": GRID if parameters is None else parameters},
        "record": {"weekly": False, "clients": False},
        **fields,
    }
    path = folder / "map.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_command_writes_the_table_the_figure_and_a_manifest(tmp_path):
    path = write_experiment(tmp_path)
    out = tmp_path / "out"
    table = run_threshold_map(
        path, replications=2, out=out, executor="serial", quiet=True, lang="en"
    )  # 2 x 2 x 2 points, 2 replications (overriding the file's 1), 2 strategies: 32 runs
    written = pd.read_csv(out / "thresholds.csv")
    assert len(written) == 8
    assert set(written["n"]) == {2}
    assert {NETWORK_SIZE, REFUSAL, TOLERANCE, "ratio", "ratio_ci_low", "reaches", "diff"} <= set(
        written.columns
    )
    pd.testing.assert_frame_equal(written, table, check_dtype=False)
    # the means are those of the sweep's runs, point by point
    sweep = load_sweep(out / "sweep")
    means = sweep.runs.groupby(["point_id", "strategy"])["has_support_group"].mean().unstack()
    np.testing.assert_allclose(written["strict_mean"], means.loc[written["point_id"], "resource"])
    np.testing.assert_allclose(written["flexible_mean"], means.loc[written["point_id"], "flexible"])
    ok = written["flexible_mean"] > 0
    np.testing.assert_allclose(
        written.loc[ok, "ratio"], written.loc[ok, "strict_mean"] / written.loc[ok, "flexible_mean"]
    )
    assert (written["reaches"] == (written["ratio"] >= 0.8)).all()
    assert (out / "thresholds.png").stat().st_size > 10_000
    assert len(pd.read_csv(out / "threshold_region.csv")) == 4
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "threshold_map"
    assert manifest["runs"] == 32 and manifest["replications"] == 2
    assert set(manifest["files"]) == {"thresholds.csv", "threshold_region.csv", "thresholds.png"}
    text = format_thresholds(table)
    assert "stramien tolerance 0.3" in text and "smallest mean network size" in text


@pytest.mark.parametrize(
    ("parameters", "fields", "message"),
    [
        ({k: v for k, v in GRID.items() if k != REFUSAL}, {}, "lacks population.refusal_share"),
        ({**GRID, "population.n_clients": [20, 30]}, {}, "also varies population.n_clients"),
        (None, {"strategies": ["resource", "care_as_usual"]}, "'flexible' is not among"),
    ],
)
def test_an_experiment_the_map_cannot_use_stops_before_running(tmp_path, parameters, fields, message):
    path = write_experiment(tmp_path, parameters, **fields)
    out = tmp_path / "out"
    with pytest.raises(UsageError, match=message):
        run_threshold_map(path, out=out, executor="serial", quiet=True)
    assert not (out / "sweep").exists()


def test_an_unknown_outcome_or_reach_is_refused(tmp_path):
    path = write_experiment(tmp_path)
    with pytest.raises(UsageError, match="unknown outcome"):
        run_threshold_map(path, outcome="happiness", out=tmp_path / "out", executor="serial", quiet=True)
    with pytest.raises(UsageError, match="reach"):
        run_threshold_map(path, reach=1.5, out=tmp_path / "out", executor="serial", quiet=True)
