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
        "perceived_support": 0.1677180788982154,
        "housed_52w": 0.020833333333333332,
        "exits_per_year": 211.5,
        "exits_network_home_per_year": 6.0,
        "occupancy": 0.9796634615384616,
        "hours_used_per_client_year": 0.0,
    },
    ("care_as_usual", 2): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.18586346403433332,
        "housed_52w": 0.01020408163265306,
        "exits_per_year": 218.5,
        "exits_network_home_per_year": 3.0,
        "occupancy": 0.9789423076923077,
        "hours_used_per_client_year": 0.0,
    },
    ("flexible", 1): {
        "has_support_group": 0.42857142857142855,
        "formal_group": 0.0,
        "perceived_support": 0.3724898354822441,
        "housed_52w": 0.026041666666666668,
        "exits_per_year": 222.5,
        "exits_network_home_per_year": 18.5,
        "occupancy": 0.9786057692307693,
        "hours_used_per_client_year": 22.300221075902726,
    },
    ("flexible", 2): {
        "has_support_group": 0.4744897959183674,
        "formal_group": 0.0,
        "perceived_support": 0.40435974707272604,
        "housed_52w": 0.025510204081632654,
        "exits_per_year": 231.0,
        "exits_network_home_per_year": 12.5,
        "occupancy": 0.9777884615384616,
        "hours_used_per_client_year": 22.2952109351952,
    },
    ("resource", 1): {
        "has_support_group": 0.1065989847715736,
        "formal_group": 0.1065989847715736,
        "perceived_support": 0.19538427767645958,
        "housed_52w": 0.020833333333333332,
        "exits_per_year": 212.5,
        "exits_network_home_per_year": 6.5,
        "occupancy": 0.9795673076923077,
        "hours_used_per_client_year": 11.166282208588957,
    },
    ("resource", 2): {
        "has_support_group": 0.14720812182741116,
        "formal_group": 0.14720812182741116,
        "perceived_support": 0.22034632081913927,
        "housed_52w": 0.00510204081632653,
        "exits_per_year": 219.5,
        "exits_network_home_per_year": 2.0,
        "occupancy": 0.9788942307692308,
        "hours_used_per_client_year": 11.615785079318304,
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
