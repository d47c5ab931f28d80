"""Seeded random numbers keyed to who draws them (common random numbers in an open shelter).

Every draw is a function of four keys: the run's seed, the purpose (housing, dropout, ...), the
person (a client's identity, or a naaste's), and the week. Nothing depends on a position in an
array or on how many others drew before, so:

* every strategy run with the same seed sees the same arrivals, the same clients with the same
  networks, and the same draw for client 17's housing decision in week 40;
* removing, delaying or adding one client moves nobody else's draws; two runs differ only where
  their rules differ, or through the resources clients share (places, homes, hours, peers).

The numbers come from a counter-based generator: an integer hash of the keys (the splitmix64
finaliser, applied in turn to each key), turned into a uniform number in [0, 1). It is vectorised
over all clients or naasten at once and needs no state, so a run can be cut anywhere and continued.
The population at arrival uses the same keys with the purpose `population/<attribute>`.
"""

from __future__ import annotations

import functools
import zlib
from enum import IntEnum

import numpy as np

_U64 = np.uint64
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_TO_UNIT = 2.0**-53


def mix(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijective scramble of 64-bit integers (arrays wrap silently)."""
    x = np.atleast_1d(np.asarray(x, dtype=_U64))  # arrays wrap silently; numpy scalars would warn
    x = (x ^ (x >> _U64(30))) * _M1
    x = (x ^ (x >> _U64(27))) * _M2
    return x ^ (x >> _U64(31))


@functools.lru_cache(maxsize=4096)
def name_key(name: str) -> np.uint64:
    """A 64-bit key for a purpose's name."""
    return mix(np.array([zlib.crc32(name.encode("utf-8")) + (len(name) << 32)], dtype=_U64))[0]


def combine(key: np.ndarray | np.uint64, value: np.ndarray | int) -> np.ndarray:
    """Fold a further key (an identity, a week, a slot) into existing keys."""
    v = np.atleast_1d(np.asarray(value)).astype(_U64, copy=False)
    return mix(np.asarray(key, dtype=_U64) ^ (v * _GOLDEN + _U64(1)))


def to_uniform(keys: np.ndarray) -> np.ndarray:
    """Uniform numbers in [0, 1) from hashed keys (53 random bits each)."""
    return (np.asarray(keys, dtype=_U64) >> _U64(11)).astype(np.float64) * _TO_UNIT


def seed_key(seed: int) -> np.uint64:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return _seed_key(int(seed))


@functools.lru_cache(maxsize=256)
def _seed_key(seed: int) -> np.uint64:
    return mix(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=_U64))[0]


@functools.lru_cache(maxsize=4096)
def _purpose_key(seed: int, purpose: str) -> np.ndarray:
    return mix(np.array([_seed_key(seed) ^ name_key(purpose)], dtype=_U64))


def keyed_uniform(seed: int, purpose: str, *keys: np.ndarray | int) -> np.ndarray:
    """Uniform numbers for (seed, purpose, keys...): one per element of the broadcast keys."""
    seed_key(seed)  # checks the seed
    k: np.ndarray = _purpose_key(int(seed), purpose)
    for key in keys:
        k = combine(k, key)
    return to_uniform(k)


def stream_generator(seed: int, name: str) -> np.random.Generator:
    """A numpy generator for the named purpose (for draws not tied to a person, e.g. in strategies)."""
    key = zlib.crc32(name.encode("utf-8"))
    return np.random.default_rng(np.random.SeedSequence(entropy=int(seed), spawn_key=(key,)))


class ClientDraw(IntEnum):
    """Weekly uniform draws per client, one row each."""

    DROPOUT = 0
    HOUSING = 1  # registers for housing (becomes ready) this week
    RELAPSE = 2  # loses the home
    BUILD = 3  # a new tie is made this week
    NEW_TIE_RELATION = 4
    NEW_TIE_STRENGTH = 5
    NEW_TIE_THRESHOLD = 6
    MEETING = 7  # a due meeting is held despite a short professional
    ASK = 8  # a naaste is asked this week despite a short professional
    LEAVE = 9  # leaves the shelter for an unknown destination
    RETURN = 10  # comes back to the shelter from an unknown destination
    GIVE_UP = 11  # stops waiting for a shelter place
    LOTTERY = 12  # the housing lottery's draw
    STAY_BREAKDOWN = 13  # an overloaded host ends the stay
    CARE = 14  # moves on to supported housing or a care place
    CARE_END = 15  # the care place ends; back to the shelter


class TieDraw(IntEnum):
    """Weekly uniform draws per naaste, one row each."""

    CONTACT = 0
    PRACTICAL_ASK = 1
    WITHDRAW = 2
    CONSENT = 3
    ACTIVATION = 4
    JOIN = 5
    STAY_OFFER = 6  # offers the client a place to stay
    HOME_LEAD = 7  # leads the client to a room or home


_CLIENT_KEYS = np.array([name_key(f"client/{d.name}") for d in ClientDraw], dtype=_U64)
_TIE_KEYS = np.array([name_key(f"tie/{d.name}") for d in TieDraw], dtype=_U64)


class _WeekDraws:
    """This week's draws for one kind of person: `draws[PURPOSE]` (all) or `draws[PURPOSE, idx]`.

    A purpose's row is computed the first time it is asked for in a week, then kept."""

    def __init__(self, purposes: np.ndarray) -> None:
        self._purposes = purposes
        self._base: np.ndarray = np.zeros(0, dtype=_U64)
        self._added: list[np.ndarray] = []
        self._rows: dict[int, np.ndarray] = {}

    def reset(self, base: np.ndarray) -> None:
        self._base = base
        self._added = []
        self._rows = {}

    def extend(self, base: np.ndarray) -> None:
        """Add this week's keys for persons added during the week (their rows are recomputed).
        They join the others when a draw is next asked for: arrivals come before the week's
        `reset`, so theirs are usually never needed."""
        self._added.append(base)
        self._rows = {}

    def _keys(self) -> np.ndarray:
        if self._added:
            self._base = np.concatenate([self._base, *self._added])
            self._added = []
        return self._base

    def _row(self, purpose: int) -> np.ndarray:
        row = self._rows.get(purpose)
        if row is None:
            row = to_uniform(mix(self._keys() ^ self._purposes[purpose]))
            self._rows[purpose] = row
        return row

    def __getitem__(self, item: int | tuple) -> np.ndarray:
        if isinstance(item, tuple):
            purpose, idx = item
            purpose = int(purpose)
            keys = self._keys()
            if purpose not in self._rows and _few(idx, len(keys)):
                # only the persons asked for (most purposes concern a few: those housed, staying,
                # asked to join); each number depends on its own key alone, so they are the same
                return to_uniform(mix(keys[idx] ^ self._purposes[purpose]))
            return self._row(purpose)[idx]
        return self._row(int(item))

    def __len__(self) -> int:
        return len(self._keys())


def _few(idx: object, n: int) -> bool:
    """An index array of positions covering less than half of `n` persons."""
    return isinstance(idx, np.ndarray) and idx.ndim == 1 and idx.dtype.kind in "iu" and 2 * len(idx) < n


class RandomStreams:
    """The model's weekly random numbers, keyed to the run's seed, the week and each person.

    `client[ClientDraw.X]` has one number per client row, `tie[TieDraw.Y]` one per naaste row;
    `next_week` is called once a week with the current persons' keys."""

    def __init__(self, seed: int) -> None:
        self.seed_key = seed_key(seed)
        self.seed = int(seed)
        self.client = _WeekDraws(_CLIENT_KEYS)
        self.tie = _WeekDraws(_TIE_KEYS)
        self._week_key = self.seed_key

    def next_week(self, week: int, client_keys: np.ndarray, tie_keys: np.ndarray) -> None:
        self._week_key = combine(self.seed_key ^ name_key("weekly"), week)
        self.client.reset(mix(client_keys ^ self._week_key))
        self.tie.reset(mix(tie_keys ^ self._week_key))

    def add_ties(self, tie_keys: np.ndarray) -> None:
        """Give this week's draws to naasten added during the week (made by network building)."""
        self.tie.extend(mix(tie_keys ^ self._week_key))

    def add_clients(self, client_keys: np.ndarray) -> None:
        """Give this week's draws to clients added during the week (arrivals)."""
        self.client.extend(mix(client_keys ^ self._week_key))

    def week_uniform(self, purpose: str, size: int | None = None) -> np.ndarray:
        """Draws about the shelter as a whole this week (not tied to a person), e.g. arrivals."""
        k = np.asarray(combine(self._week_key, np.uint64(name_key(purpose))))
        if size is not None:
            k = combine(k, np.arange(size))
        return to_uniform(k)
