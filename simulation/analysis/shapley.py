"""Shapley values: a fair split of a difference over the players (here: knobs) that make it.

With n knobs, every subset S of knobs switched (from the strict to the flexible value) has a value
v(S). Knob i's Shapley value is the average, over all orders in which the knobs could be switched,
of what switching i adds: sum over S not holding i of |S|! (n-|S|-1)! / n! * (v(S + i) - v(S)).
The values add up exactly to v(all) - v(none): the whole gap is attributed.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import combinations
from math import factorial

Coalition = frozenset


def shapley_values(players: Sequence[Hashable], value: Callable[[frozenset], float]) -> dict[Hashable, float]:
    """Exact Shapley values of `players` for the set function `value` (2^n evaluations)."""
    n = len(players)
    cache: dict[frozenset, float] = {}

    def v(coalition: frozenset) -> float:
        if coalition not in cache:
            cache[coalition] = float(value(coalition))
        return cache[coalition]

    result = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for subset in combinations(others, size):
                s = frozenset(subset)
                total += weight * (v(s | {player}) - v(s))
        result[player] = total
    return result


def shapley_from_table(players: Sequence[Hashable], values: dict[frozenset, float]) -> dict[Hashable, float]:
    """Shapley values when v is given as a table over every coalition."""
    missing = [
        frozenset(c)
        for size in range(len(players) + 1)
        for c in combinations(players, size)
        if frozenset(c) not in values
    ]
    if missing:
        raise ValueError(f"the value of {len(missing)} coalition(s) is missing, e.g. {sorted(missing[0])}")
    return shapley_values(players, values.__getitem__)
