"""Validation that can fail: `snf validate` must reject model variants that contradict a cited source.

Each wrong variant is one change to the scenario (a `--set`-style dict; strategy blocks for strategy
knobs), never a special case in the model. Each names the source it contradicts and the checks of
`snf validate` tied to that source (a held-out target or a pattern). A variant is *rejected* when
one of those checks fails for it while it passes for the default model on the same seeds: the check
discriminates, rather than failing for everything.

The fast tests check the pass/fail logic on hand-made tables; the slow test runs the real
validation for the default and every variant.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.validation import (
    FIT,
    HELD_OUT,
    TargetBand,
    failed_checks,
    pattern_checks,
    results_table,
    target_checks,
    validation_passed,
)
from simulation.calibration.targets import load_targets
from simulation.calibration.validation_runs import (
    POINTS,
    GroupSupportGain,
    make_tasks,
    run_watched,
    task_scenario,
)
from simulation.commands.validate import SHIPPED, format_validation, has_draws, run_validate
from simulation.model import NetworkSupportModel
from simulation.model.evidence import SOURCES
from tests.conftest import open_scenario

# --- the pass/fail logic on hand-made tables ------------------------------------------------------

REPS = 6


def _table(**changes: float) -> pd.DataFrame:
    """A run table in which every pattern holds, with small replication noise; `changes` sets a
    column (`point:column`) to another value in every replication."""
    rng = np.random.default_rng(0)
    base = {
        "resource.no_group_too_few_ties": 0.30,
        "resource.no_group_no_consent": 0.15,
        "resource.no_group_dropped_out": 0.10,
        "resource.formal_group_formed": 0.12,
        "resource.group_26w": 0.10,
        "flexible.group_26w": 0.30,
        "resource.support_gain_after_group": 0.17,
        "flexible.eigen_regie_d": 0.6,
        "care_as_usual.active_ties": 2.0,
        "resource.active_ties": 2.1,
        "flexible.active_ties": 3.0,
        "target.held": 0.5,
        "target.fitted": 0.5,
    }
    removed = {
        "large_networks_only": {"resource.no_group_too_few_ties": 0.05},
        "full_consent_only": {"resource.no_group_no_consent": 0.005},
        "high_tolerance_only": {"resource.no_group_dropped_out": 0.005},
        "all_removed": {"resource.formal_group_formed": 0.40},
    }
    rows = []
    for point in POINTS:
        for r in range(REPS):
            row: dict[str, Any] = {"point": point, "draw": 0, "replication": r}
            for column, value in {**base, **removed.get(point, {})}.items():
                row[column] = value + rng.normal(0, 0.005)
            for key, value in changes.items():
                p, column = key.split(":")
                if p == point:
                    row[column] = value + rng.normal(0, 0.005)
            rows.append(row)
    return pd.DataFrame(rows)


TARGETS = [
    TargetBand("held", "a held-out share", 0.5, 0.4, 0.6, "snf2023", "validate"),
    TargetBand("fitted", "a calibrated share", 0.5, 0.4, 0.6, "vanstraaten2016", "calibrate"),
]


def _results(table: pd.DataFrame) -> pd.DataFrame:
    return results_table([*target_checks(table, TARGETS), *pattern_checks(table)])


def test_a_model_that_shows_every_pattern_and_meets_the_targets_passes():
    results = _results(_table())
    assert validation_passed(results), failed_checks(results)
    cited = set(SOURCES) | {t.source for t in load_targets().targets}  # dejong2016 is cited there
    assert set(results[results["kind"] == "pattern"]["source"]) <= cited


@pytest.mark.parametrize(
    "change,fails",
    [
        ({"default:resource.no_group_no_consent": 0.03}, "no_consent"),
        ({"default:resource.no_group_dropped_out": 0.03}, "dropped_out"),
        ({"default:flexible.group_26w": 0.05}, "flexible_more_groups"),
        ({"large_networks_only:resource.no_group_too_few_ties": 0.25}, "removed_networks"),
        ({"all_removed:resource.formal_group_formed": 0.13}, "removed_all_starts"),
        ({"default:resource.support_gain_after_group": 0.0}, "support_gain_after_group"),
        ({"default:flexible.eigen_regie_d": 3.0}, "empowerment_not_above_trial"),
        ({"default:flexible.active_ties": 20.0}, "networks_stay_small"),
        ({"default:target.held": 0.9}, "held"),
    ],
)
def test_one_broken_pattern_or_held_out_target_fails_validation_and_only_that_one(change, fails):
    results = _results(_table(**change))
    assert failed_checks(results) == [fails]
    assert not validation_passed(results)


def test_a_calibrated_target_is_fit_not_validation_and_never_fails_it():
    results = _results(_table(**{"default:target.fitted": 0.9})).set_index("key")
    assert results.loc["fitted", "role"] == FIT and not results.loc["fitted", "passed"]
    assert results.loc["held", "role"] == HELD_OUT
    assert validation_passed(results.reset_index())
    text = format_validation(results.reset_index(), "at the defaults")
    assert "fit off" in text and "validation PASSED" in text and "at the defaults" in text


def test_a_target_passes_when_its_predictive_interval_overlaps_the_band_and_not_otherwise():
    table = _table()
    default = table["point"] == "default"
    # runs spread from 0.62 to 0.72: the interval starts above the band's 0.6
    table.loc[default, "target.held"] = np.linspace(0.62, 0.72, REPS)
    assert failed_checks(_results(table)) == ["held"]
    # one run inside the band: the interval overlaps it
    table.loc[default, "target.held"] = np.linspace(0.55, 0.72, REPS)
    assert failed_checks(_results(table)) == []


def test_a_target_the_model_cannot_measure_fails():
    table = _table()
    table["target.held"] = math.nan
    assert "held" in failed_checks(_results(table))


def test_each_task_takes_the_draw_then_the_users_changes_then_its_points_on_shared_seeds():
    draws = [{"housing.homes_per_week": 1.5, "shelter.leave_rate": 0.02}, {"housing.homes_per_week": 0.7}]
    tasks = make_tasks("default", {"housing.homes_per_week": 2.0}, [], 156, draws, [11, 12])
    assert len(tasks) == len(draws) * 2 * len(POINTS)
    assert {t.seed for t in tasks if t.replication == 0} == {11}  # every point and draw: one seed
    first = {t.point: task_scenario(t) for t in tasks if t.draw == 0 and t.replication == 0}
    assert first["default"].housing.homes_per_week == 2.0  # the user's change wins over the draw
    assert first["default"].shelter.leave_rate == 0.02 and first["default"].weeks == 156
    assert first["full_consent_only"].population.refusal_share == 0.0
    assert (
        first["full_consent_only"].population.network_size_mean
        == first["default"].population.network_size_mean
    )
    assert first["all_removed"].population.stramien_tolerance_mean == 0.9


def test_a_folder_without_draws_is_no_posterior(tmp_path):
    assert not has_draws(tmp_path) and not has_draws(None)
    (tmp_path / "draws.csv").write_text("draw,x\n0,1\n")
    assert has_draws(tmp_path)


def test_watching_a_run_for_support_gains_changes_nothing_in_it():
    scenario = open_scenario(weeks=40, **{"shelter.warmup_weeks": 10})
    plain = NetworkSupportModel(scenario, "resource", rng=4, record_weekly=False).run()
    watcher = GroupSupportGain(weeks=4)
    watched = run_watched(NetworkSupportModel(scenario, "resource", rng=4, record_weekly=False), watcher)
    a, b = plain.outcomes(), watched.outcomes()
    assert all(a[k] == b[k] or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)
    assert watcher.gains  # first meetings in the measured weeks, followed 4 weeks


# --- the wrong variants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    name: str
    change: str  # in words
    contradicts: str  # what the sources report
    sources: tuple[str, ...]
    checks: tuple[str, ...]  # the checks of snf validate tied to those sources
    overrides: dict[str, Any]


VARIANTS = [
    Variant(
        "new_ties_every_week",
        "flexible support makes a new tie every week, from an unlimited supply of peers and volunteers",
        "unsheltered people have about 2.5 close friends; networks are small",
        ("kingcounty2024",),
        ("networks_stay_small",),
        {
            "strategies": {"flexible": {"base": "flexible", "build_rate": 1.0, "max_built_ties": 50}},
            "mechanisms.peer_pool": False,
        },
    ),
    Variant(
        "no_group_effect_on_support",
        "having a group adds nothing to perceived support",
        "perceived social support rose from 5.04 to 6.73 (0-10) after a network conference",
        ("dejong2016",),
        ("support_gain_after_group", "support_gain_conference"),
        {"clients.group_support_weight": 0.0},
    ),
    Variant(
        "eigen_regie_gains_x12",
        "eigen regie gains twelve times larger",
        "empowerment with a resource group: d = 0.54 (0.21-0.86) at 18 months",
        ("tjaden2021",),
        ("empowerment_not_above_trial", "empowerment_resource_group"),
        {"clients.eigen_regie_gain_client_led": 0.048, "clients.eigen_regie_gain_group": 0.036},
    ),
    Variant(
        "naasten_never_overloaded",
        "naasten never overloaded: they never withdraw and stays never break down",
        "a naaste hosting a client is overloaded ('if your cousin sleeps on your couch every night...')",
        ("vanderent2024",),
        ("naaste_stays_break_down",),
        {
            "naasten.overload_threshold_mean": 100.0,
            "naasten.withdraw_probability": 0.0,
            "network_exits.stay_breakdown_probability": 0.0,
        },
    ),
    Variant(
        "no_returns_after_housing",
        "nobody loses a home once housed",
        "83% not homeless again after Housing First: 17% did become homeless again",
        ("trimbos2023",),
        ("kept_home",),
        {"housing.relapse_rate": 0.0},
    ),
    Variant(
        "strict_always_starts",
        "the strict method without its obstacles in the rules: one naaste enough, consent grows, "
        "ties reactivated and built",
        "the strict method rarely started in shelters, for too few ties, no consent and the stramien",
        ("snf2023",),
        ("strict_rarely_starts", "too_few_ties", "no_consent"),
        {
            "strategies": {
                "resource": {
                    "base": "resource",
                    "min_group_size": 1,
                    "consent_rule": "per_tie_growing",
                    "network_building": "activate_and_build",
                }
            }
        },
    ),
    Variant(
        "everyone_consents",
        "every client lets every naaste be contacted",
        "about 22% did not want family involved; part of the clients refuse contact with naasten",
        ("cohen2013", "snf2023"),
        ("not_wanting_family", "no_consent"),
        {
            "population.refusal_share": 0.0,
            "population.willingness_mean": 0.99,
            "population.consent_by_relation.family": 1.0,
        },
    ),
    Variant(
        "large_networks_for_all",
        "everyone has a large network (12 naasten on average, little spread, nobody without)",
        "longer homelessness, smaller networks; about 2.5 close friends",
        ("kingcounty2024",),
        ("networks_stay_small",),
        {
            "population.network_size_mean": 12.0,
            "population.network_size_dispersion": 8.0,
            "population.share_no_naasten": 0.0,
        },
    ),
]


def test_every_variant_names_a_source_and_checks_of_that_source():
    patterns = {r.key: r.source for r in pattern_checks(_table())}
    held = {t.key: t.source for t in load_targets().validate}
    for v in VARIANTS:
        assert all(s in SOURCES or s in held.values() for s in v.sources), v.name
        for check in v.checks:
            assert (patterns | held).get(check) in v.sources, (v.name, check)
    assert len(VARIANTS) >= 6


def _validate(out: Path, overrides: dict[str, Any]) -> pd.DataFrame:
    posterior = SHIPPED if has_draws(SHIPPED) else None
    table, _ = run_validate(
        "default",
        overrides,
        reps=1 if posterior else 3,
        seed=1,
        out=out,
        workers=2,
        posterior=posterior,
        draws=6,
    )
    return table.set_index("key")


def outside_by(row: pd.Series) -> float:
    """How far a check's interval (its mean, when it has none) lies outside its band; 0 inside."""
    lo = row["ci_low"] if pd.notna(row["ci_low"]) else row["simulated"]
    hi = row["ci_high"] if pd.notna(row["ci_high"]) else row["simulated"]
    below = row["low"] - hi if pd.notna(row["low"]) else 0.0
    above = lo - row["high"] if pd.notna(row["high"]) else 0.0
    return float(max(below, above, 0.0))


def rejected_by(default: pd.DataFrame, variant: pd.DataFrame, checks: tuple[str, ...]) -> list[str]:
    """The variant's tied checks that reject it: failed for the variant, and either passed for the
    default or the variant lies further outside the band than the default (a default that fails a
    check itself is a finding; the variant must then still be told apart from it)."""
    return [
        c
        for c in checks
        if not variant.loc[c, "passed"]
        and (default.loc[c, "passed"] or outside_by(variant.loc[c]) > outside_by(default.loc[c]))
    ]


def test_a_variant_is_rejected_only_by_a_tied_check_that_tells_it_apart_from_the_default():
    def table(**rows: tuple[float, float, float, bool]) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"key": k, "simulated": m, "ci_low": lo, "ci_high": hi, "low": 0.2, "high": 0.8, "passed": ok}
                for k, (m, lo, hi, ok) in rows.items()
            ]
        ).set_index("key")

    default = table(a=(0.5, 0.4, 0.6, True), b=(0.85, 0.81, 0.9, False))
    variant = table(a=(0.9, 0.85, 0.95, False), b=(0.0, 0.0, 0.0, False))
    assert rejected_by(default, variant, ("a", "b")) == ["a", "b"]  # b: 0.2 outside against 0.01
    assert rejected_by(default, default, ("a", "b")) == []  # the default is not told apart from itself
    near = table(a=(0.5, 0.4, 0.6, True), b=(0.84, 0.805, 0.9, False))
    assert rejected_by(default, near, ("a", "b")) == []


@pytest.mark.slow
def test_snf_validate_rejects_every_wrong_variant(tmp_path, capsys):
    default = _validate(tmp_path / "default", {})
    rejected = {
        v.name: rejected_by(default, _validate(tmp_path / v.name, v.overrides), v.checks) for v in VARIANTS
    }
    with capsys.disabled():
        print(f"\ndefault fails: {failed_checks(default.reset_index()) or 'nothing'}")
        for name, by in rejected.items():
            print(f"{name}: {'rejected by ' + ', '.join(by) if by else 'NOT rejected'}")
        share = sum(bool(by) for by in rejected.values()) / len(rejected)
        print(f"share of wrong variants rejected: {share:.2f}")
    assert all(rejected.values()), rejected


def test_resume_runs_only_the_missing_tasks_of_the_same_validation(tmp_path, monkeypatch):
    import simulation.calibration.validation_runs as runs_module
    from simulation.commands.common import UsageError
    from simulation.commands.validate import run_tasks

    ran: list[str] = []

    def fake(tasks, workers=1):
        for t in tasks:
            ran.append(t.id)
            yield {"task": t.id, "point": t.point, "draw": t.draw, "replication": t.replication}

    monkeypatch.setattr(runs_module, "execute", fake)
    tasks = make_tasks("default", {}, [], 156, [{}], [1, 2])
    run_tasks(tasks[:3], tmp_path, 1, False, True, {"plan": 1})  # interrupted after three
    table = run_tasks(tasks, tmp_path, 1, True, True, {"plan": 1})
    assert len(table) == len(tasks) and sorted(ran) == sorted(t.id for t in tasks)  # each ran once
    with pytest.raises(UsageError, match="another validation"):
        run_tasks(tasks, tmp_path, 1, True, True, {"plan": 2})
