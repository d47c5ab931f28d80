"""Replication seeds from one root seed (common random numbers across strategies and points)."""

from __future__ import annotations

import numpy as np


def replication_seeds(root_seed: int, replications: int) -> list[int]:
    """One seed per replication, spawned from the root with `SeedSequence.spawn`.

    The same replication seed is used for every strategy and every design point, so runs that
    differ only in strategy (or parameters) are paired: same clients, networks and draws.
    """
    if isinstance(root_seed, bool) or not isinstance(root_seed, (int, np.integer)) or root_seed < 0:
        raise ValueError(f"the root seed must be a non-negative integer, got {root_seed!r}")
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    children = np.random.SeedSequence(int(root_seed)).spawn(replications)
    # 63-bit seeds: no two replications share one even in very large sweeps (32-bit seeds would
    # repeat with a fair chance beyond about 10,000 replications)
    return [int(child.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1)) for child in children]
