"""Seeded random streams that make strategies comparable (common random numbers).

One seed fixes every draw. Each purpose has its own stream, derived from the seed by name, and
every week each stream draws the same number of values whatever the strategy does: one per
client for client decisions, one per naaste present at the start for naaste decisions. So client
17's housing draw in week 40, or naaste 203's contact draw, is the same number under every
strategy, and two strategies differ only where their rules differ. Naasten made by network
building (which only some strategies do) draw from a stream of their own, so they never shift
the draws of the others.
"""

from __future__ import annotations

import zlib
from enum import IntEnum

import numpy as np


class ClientDraw(IntEnum):
    """Weekly uniform draws per client, one row each."""

    DROPOUT = 0
    HOUSING = 1
    RELAPSE = 2
    BUILD = 3  # a new tie is made this week
    NEW_TIE_RELATION = 4
    NEW_TIE_STRENGTH = 5
    NEW_TIE_THRESHOLD = 6
    MEETING = 7  # a due meeting is held despite a short professional
    ASK = 8  # a naaste is asked this week despite a short professional


class TieDraw(IntEnum):
    """Weekly uniform draws per naaste, one row each."""

    CONTACT = 0
    PRACTICAL_ASK = 1
    WITHDRAW = 2
    CONSENT = 3
    ACTIVATION = 4
    JOIN = 5


def stream_generator(seed: int, name: str) -> np.random.Generator:
    """A generator for the named purpose, independent of every other name for the same seed."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(key,)))


class RandomStreams:
    """The model's weekly random numbers (the population has its own streams, see population.py)."""

    def __init__(self, seed: int, n_clients: int, n_initial_ties: int) -> None:
        if not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        self.n_clients = n_clients
        self.n_initial_ties = n_initial_ties
        self._clients = stream_generator(self.seed, "weekly-clients")
        self._ties = stream_generator(self.seed, "weekly-ties")
        self._built_ties = stream_generator(self.seed, "weekly-built-ties")
        self.client = np.empty((len(ClientDraw), n_clients))
        self.tie = np.empty((len(TieDraw), n_initial_ties))

    def next_week(self, n_ties: int) -> None:
        """Draw this week's numbers: `client[ClientDraw.X]` and `tie[TieDraw.Y]` (length n_ties)."""
        self.client = self._clients.random((len(ClientDraw), self.n_clients))
        initial = self._ties.random((len(TieDraw), self.n_initial_ties))
        n_built = n_ties - self.n_initial_ties
        if n_built > 0:
            built = self._built_ties.random((len(TieDraw), n_built))
            self.tie = np.concatenate([initial, built], axis=1)
        else:
            self.tie = initial

    def add_ties(self, count: int) -> None:
        """Give this week's draws to naasten added during the week (from the built-ties stream)."""
        extra = self._built_ties.random((len(TieDraw), count))
        self.tie = np.concatenate([self.tie, extra], axis=1)
