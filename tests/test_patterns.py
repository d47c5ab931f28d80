"""Patterns that must emerge from the rules (no rule special-cases them).

On the default scenario the strict method mostly fails to form a group, for the reasons the
shelters reported; flexible support gives clearly more clients a group; and when the three causes
are removed (large networks, full consent, high tolerance) the strict method forms groups for at
least twice as many arrivals. The seed study says why the strict method did not start, not that
flexible support's advantage is nothing but these causes, so the cohort-era "the gap shrinks by at
least half" is no longer asserted (docs/ODD.md, Validation); the third reason, dropping out because
the stramien does not fit, is a known failure on the open shelter and is marked so.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.analysis.effects import summarise
from simulation.commands.compare import comparison_tasks
from simulation.experiments.executors import get_executor
from simulation.scenarios import load_scenario

REPS = 10
pytestmark = pytest.mark.slow


def compare(scenario_name: str, strategies=("resource", "flexible")) -> pd.DataFrame:
    scenario = load_scenario(scenario_name)
    tasks = comparison_tasks(scenario, list(strategies), REPS, seed=2024, weeks=scenario.weeks)
    rows = []
    for result in get_executor("processes")(tasks, workers=2):
        assert result.ok, result.error
        for outcome, value in result.outcomes.items():
            rows.append({**result.task.describe(), "outcome": outcome, "value": value})
    return summarise(pd.DataFrame(rows), baseline=strategies[0])


@pytest.fixture(scope="module")
def default() -> pd.DataFrame:
    return compare("default")


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    return compare("large_networks")


def value(summary: pd.DataFrame, strategy: str, outcome: str, column: str = "mean") -> float:
    row = summary[(summary.strategy == strategy) & (summary.outcome == outcome)]
    return float(row[column].iloc[0])


def test_under_resource_most_clients_end_without_a_formal_group(default):
    assert value(default, "resource", "formal_group") < 0.5
    assert value(default, "resource", "formal_group_formed") < 0.5


DROPOUT_FAILS = pytest.mark.xfail(
    strict=True,
    reason="known failure on the open shelter (about 0.02 of arrivals): a week waiting for the professional "
    "exposes a client to nothing and many leave first; see docs/ODD.md, Validation",
)


@pytest.mark.parametrize(
    "reason", ["too_few_ties", "no_consent", pytest.param("dropped_out", marks=DROPOUT_FAILS)]
)
def test_under_resource_each_of_the_three_reasons_occurs_in_a_real_share(default, reason):
    assert value(default, "resource", f"no_group_{reason}", "ci_low") >= 0.05


def test_flexible_gives_clearly_more_clients_a_support_group(default):
    assert value(default, "flexible", "has_support_group", "diff_ci_low") > 0
    assert (
        value(default, "flexible", "has_support_group")
        > value(default, "resource", "has_support_group") + 0.2
    )


def test_with_the_bottlenecks_removed_the_strict_method_forms_groups_for_twice_as_many(default, large):
    formed = value(large, "resource", "formal_group_formed")
    assert formed >= 2 * value(default, "resource", "formal_group_formed")
    assert value(large, "resource", "no_group_no_consent") < 0.05
