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
        "perceived_support": 0.17655475512805682,
        "housed_52w": 0.020833333333333332,
        "exits_per_year": 206.5,
        "exits_network_home_per_year": 6.0,
        "occupancy": 0.9801442307692309,
        "hours_used_per_client_year": 0.0,
    },
    ("care_as_usual", 2): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.18785932225412982,
        "housed_52w": 0.01020408163265306,
        "exits_per_year": 204.5,
        "exits_network_home_per_year": 5.0,
        "occupancy": 0.9803365384615383,
        "hours_used_per_client_year": 0.0,
    },
    ("flexible", 1): {
        "has_support_group": 0.5076923076923077,
        "formal_group": 0.0,
        "perceived_support": 0.41411591027458533,
        "housed_52w": 0.041666666666666664,
        "exits_per_year": 223.0,
        "exits_network_home_per_year": 25.0,
        "occupancy": 0.9785576923076923,
        "hours_used_per_client_year": 22.280878451410043,
    },
    ("flexible", 2): {
        "has_support_group": 0.5233160621761658,
        "formal_group": 0.0,
        "perceived_support": 0.4254731928088107,
        "housed_52w": 0.03571428571428571,
        "exits_per_year": 224.0,
        "exits_network_home_per_year": 19.5,
        "occupancy": 0.9784615384615384,
        "hours_used_per_client_year": 22.24346501572327,
    },
    ("resource", 1): {
        "has_support_group": 0.10204081632653061,
        "formal_group": 0.10204081632653061,
        "perceived_support": 0.20094738533778528,
        "housed_52w": 0.020833333333333332,
        "exits_per_year": 207.5,
        "exits_network_home_per_year": 5.5,
        "occupancy": 0.9800480769230769,
        "hours_used_per_client_year": 10.460583762570517,
    },
    ("resource", 2): {
        "has_support_group": 0.17766497461928935,
        "formal_group": 0.17766497461928935,
        "perceived_support": 0.22455011652452864,
        "housed_52w": 0.01020408163265306,
        "exits_per_year": 205.5,
        "exits_network_home_per_year": 6.0,
        "occupancy": 0.9802403846153847,
        "hours_used_per_client_year": 11.941586149394281,
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
