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
        "perceived_support": 0.15802492908713558,
        "housed_52w": 0.109375,
        "exits_per_year": 284.0,
        "exits_network_home_per_year": 5.0,
        "occupancy": 0.9725961538461538,
        "hours_used_per_client_year": 0.0,
    },
    ("care_as_usual", 2): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.17181635586669483,
        "housed_52w": 0.14285714285714285,
        "exits_per_year": 277.5,
        "exits_network_home_per_year": 3.5,
        "occupancy": 0.971875,
        "hours_used_per_client_year": 0.0,
    },
    ("flexible", 1): {
        "has_support_group": 0.421875,
        "formal_group": 0.0,
        "perceived_support": 0.34105516649760204,
        "housed_52w": 0.09895833333333333,
        "exits_per_year": 310.0,
        "exits_network_home_per_year": 17.0,
        "occupancy": 0.9664423076923078,
        "hours_used_per_client_year": 22.595761615759624,
    },
    ("flexible", 2): {
        "has_support_group": 0.5025641025641026,
        "formal_group": 0.0,
        "perceived_support": 0.4017519455639034,
        "housed_52w": 0.14795918367346939,
        "exits_per_year": 319.5,
        "exits_network_home_per_year": 13.5,
        "occupancy": 0.965,
        "hours_used_per_client_year": 22.60816062176166,
    },
    ("resource", 1): {
        "has_support_group": 0.10714285714285714,
        "formal_group": 0.10714285714285714,
        "perceived_support": 0.1797874061636977,
        "housed_52w": 0.11979166666666667,
        "exits_per_year": 284.0,
        "exits_network_home_per_year": 6.0,
        "occupancy": 0.972548076923077,
        "hours_used_per_client_year": 12.787285580107765,
    },
    ("resource", 2): {
        "has_support_group": 0.11282051282051282,
        "formal_group": 0.11282051282051282,
        "perceived_support": 0.19551094073394112,
        "housed_52w": 0.12755102040816327,
        "exits_per_year": 278.5,
        "exits_network_home_per_year": 5.0,
        "occupancy": 0.9728846153846153,
        "hours_used_per_client_year": 13.808806088159717,
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
