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
        "perceived_support": 0.15669508374205285,
        "housed_52w": 0.03125,
        "exits_per_year": 188.0,
        "exits_network_home_per_year": 8.0,
        "occupancy": 0.9819230769230769,
        "hours_used_per_client_year": 0.0,
    },
    ("care_as_usual", 2): {
        "has_support_group": 0.0,
        "formal_group": 0.0,
        "perceived_support": 0.16437991747306988,
        "housed_52w": 0.00510204081632653,
        "exits_per_year": 176.0,
        "exits_network_home_per_year": 9.0,
        "occupancy": 0.9830769230769231,
        "hours_used_per_client_year": 0.0,
    },
    ("flexible", 1): {
        "has_support_group": 0.4642857142857143,
        "formal_group": 0.0,
        "perceived_support": 0.3668744197910978,
        "housed_52w": 0.06770833333333333,
        "exits_per_year": 226.0,
        "exits_network_home_per_year": 42.5,
        "occupancy": 0.9782692307692308,
        "hours_used_per_client_year": 22.212060153332022,
    },
    ("flexible", 2): {
        "has_support_group": 0.5333333333333333,
        "formal_group": 0.0,
        "perceived_support": 0.3984497328529524,
        "housed_52w": 0.061224489795918366,
        "exits_per_year": 211.0,
        "exits_network_home_per_year": 31.0,
        "occupancy": 0.9797115384615384,
        "hours_used_per_client_year": 22.282068897830996,
    },
    ("resource", 1): {
        "has_support_group": 0.07614213197969544,
        "formal_group": 0.07614213197969544,
        "perceived_support": 0.17510580523618513,
        "housed_52w": 0.046875,
        "exits_per_year": 188.0,
        "exits_network_home_per_year": 14.5,
        "occupancy": 0.9819230769230769,
        "hours_used_per_client_year": 9.220426948687818,
    },
    ("resource", 2): {
        "has_support_group": 0.1116751269035533,
        "formal_group": 0.1116751269035533,
        "perceived_support": 0.19010753269382477,
        "housed_52w": 0.015306122448979591,
        "exits_per_year": 178.5,
        "exits_network_home_per_year": 11.0,
        "occupancy": 0.9828365384615384,
        "hours_used_per_client_year": 10.18925793670205,
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
