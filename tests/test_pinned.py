"""Pinned results: a few outcomes of the default scenario, exactly as the current rules produce them.

Why this test exists: speed-ups (array bookkeeping, events instead of weekly loops) must not change
what the model does. With the same seed the outcomes below must stay the same; shares are counts of
clients and must match exactly, averages to within floating-point rounding (1e-9 relative).

When may these numbers change? Only with a deliberate change of a rule, a default parameter or the
way random numbers are drawn. Then: run this file's `__main__` block to print the new values, paste
them here, say in the commit message which rule changed and why, and re-run `snf validate` and the
benchmarks (docs/performance.md).
"""

from __future__ import annotations

import pytest

from simulation.model import NetworkSupportModel

OUTCOMES = [
    "has_support_group",
    "formal_group",
    "perceived_support",
    "housed_52w",
    "exits_per_year",
    "exits_network_home_per_year",
    "occupancy",
    "hours_used_per_client_year",
]
EXACT = {"has_support_group", "formal_group", "housed_52w", "exits_per_year", "exits_network_home_per_year"}

PINNED = {
    ("care_as_usual", 1): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.1780130677129092,
        "housed_52w": 0.020833333333333332,
        "exits_per_year": 192.0,
        "exits_network_home_per_year": 5.5,
        "occupancy": 0.9815384615384616,
        "hours_used_per_client_year": 0.0,
    },
    ("care_as_usual", 2): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.18904143605418283,
        "housed_52w": 0.01020408163265306,
        "exits_per_year": 193.0,
        "exits_network_home_per_year": 3.5,
        "occupancy": 0.9814423076923078,
        "hours_used_per_client_year": 0.0,
    },
    ("flexible", 1): {
        "has_support_group": 0.49743589743589745,
        "formal_group": 0.0,
        "perceived_support": 0.4160289214859255,
        "housed_52w": 0.036458333333333336,
        "exits_per_year": 209.0,
        "exits_network_home_per_year": 20.0,
        "occupancy": 0.9799038461538462,
        "hours_used_per_client_year": 22.196055342949663,
    },
    ("flexible", 2): {
        "has_support_group": 0.5714285714285714,
        "formal_group": 0.0,
        "perceived_support": 0.46135667824475896,
        "housed_52w": 0.02040816326530612,
        "exits_per_year": 205.5,
        "exits_network_home_per_year": 15.5,
        "occupancy": 0.9802403846153847,
        "hours_used_per_client_year": 22.18907253911423,
    },
    ("resource", 1): {
        "has_support_group": 0.12244897959183673,
        "formal_group": 0.12244897959183673,
        "perceived_support": 0.19840747201417083,
        "housed_52w": 0.026041666666666668,
        "exits_per_year": 191.5,
        "exits_network_home_per_year": 6.0,
        "occupancy": 0.9815865384615384,
        "hours_used_per_client_year": 10.58745163344272,
    },
    ("resource", 2): {
        "has_support_group": 0.15228426395939088,
        "formal_group": 0.15228426395939088,
        "perceived_support": 0.22918849450584744,
        "housed_52w": 0.01020408163265306,
        "exits_per_year": 192.5,
        "exits_network_home_per_year": 4.5,
        "occupancy": 0.9814903846153846,
        "hours_used_per_client_year": 10.594219936321332,
    },
}


def changed(name: str, expected: float, now: float) -> str:
    return (
        f"{name} changed: pinned {expected!r}, now {now!r}. A speed-up must not change results. If a "
        "rule, a default or the random draws changed on purpose, re-pin: `.venv/bin/python -m "
        "tests.test_pinned`, paste its output into PINNED, and say in the commit which rule changed and why"
    )


#: the first seed of each strategy in `make test-fast`, the second in the full suite
CASES = [
    pytest.param(strategy, seed, marks=() if seed == 1 else pytest.mark.slow)
    for strategy, seed in sorted(PINNED)
]


@pytest.mark.parametrize(("strategy", "seed"), CASES)
def test_the_default_scenario_still_gives_the_pinned_outcomes(strategy, seed):
    outcomes = NetworkSupportModel(strategy=strategy, rng=seed).run().outcomes()
    for name, expected in PINNED[(strategy, seed)].items():
        if name in EXACT:
            assert outcomes[name] == expected, changed(name, expected, outcomes[name])
        else:
            assert outcomes[name] == pytest.approx(expected, rel=1e-9, abs=1e-12), changed(
                name, expected, outcomes[name]
            )


if __name__ == "__main__":
    for strategy, seed in sorted(PINNED):
        o = NetworkSupportModel(strategy=strategy, rng=seed).run().outcomes()
        values = ", ".join(f'"{k}": {o[k]!r}' for k in OUTCOMES)
        print(f'    ("{strategy}", {seed}): {{{values}}},')
