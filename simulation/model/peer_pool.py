"""The organisation's pool of peers (ervaringsdeskundigen) and volunteers (maatjes).

Network building makes new ties with people the organisation can offer: experts by experience
and volunteers. There are only so many, and each can be matched with `peers.clients_each` clients
at a time, so clients compete for them. A new tie needs a free place with someone of the wanted kind
(an expert by experience for a peer tie, a volunteer otherwise); if nobody of that kind is free, no
tie is made that week. A match holds its place while the tie is active, for at most `peers.match_weeks`;
then the place is free for another client (the tie itself may go on as an ordinary contact).

With the `peer_pool` mechanism off, the supply is unlimited (every attempt finds someone).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.state import Relation, TieStatus

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel

UNLIMITED = -1  # pool switched off: a tie with nobody in particular
NOBODY_FREE = -2


def least_loaded_first(load: np.ndarray, limit: int, count: int) -> np.ndarray:
    """Where `count` newcomers go, one after another, each to the least loaded member below `limit`
    (the lowest number on ties): one member number each, fewer if the places run out.

    The same as taking the least loaded member and adding one, newcomer by newcomer, done at once:
    each free place is a pair (the load it is taken at, the member), taken in that order."""
    free = np.maximum(limit - np.asarray(load), 0)
    member = np.repeat(np.arange(len(free)), free)
    level = np.repeat(load, free) + np.arange(len(member)) - np.repeat(np.cumsum(free) - free, free)
    return member[np.lexsort((member, level))[:count]]


class PeerPool:
    """Who in the pool is free, and matching clients with them."""

    def __init__(self, model: NetworkSupportModel) -> None:
        self.model = model
        p = model.params.peers
        self.on = model.params.mechanisms.peer_pool
        self.limit = p.clients_each
        self.match_weeks = p.match_weeks
        self.is_peer = np.arange(p.experts_by_experience + p.volunteers) < p.experts_by_experience
        self.load = np.zeros(len(self.is_peer), dtype=np.int64)

    @property
    def free_places(self) -> int:
        return int(np.maximum(self.limit - self.load, 0).sum())

    def match(self, clients: np.ndarray, relation: np.ndarray) -> np.ndarray:
        """A pool member of the wanted kind for each new tie (the least loaded with room), or
        NOBODY_FREE; UNLIMITED when the pool is switched off."""
        if not self.on:
            return np.full(len(clients), UNLIMITED, dtype=np.int64)
        members = np.full(len(clients), NOBODY_FREE, dtype=np.int64)
        wants_peer = np.asarray(relation) == Relation.PEER
        for peer in (True, False):  # the two kinds share no places, so each is matched on its own
            asking = np.flatnonzero(wants_peer == peer)
            if len(asking) == 0:
                continue
            kind = np.flatnonzero(self.is_peer == peer)
            taken = kind[least_loaded_first(self.load[kind], self.limit, len(asking))]
            members[asking[: len(taken)]] = taken
            np.add.at(self.load, taken, 1)
        return members

    def _release(self, ties: np.ndarray) -> None:
        t = self.model.ties
        ties = ties[t.pool_member[ties] >= 0]
        if len(ties):
            np.subtract.at(self.load, t.pool_member[ties], 1)
            t.pool_member[ties] = -1

    def release_ties(self, ties: np.ndarray) -> None:
        self._release(np.asarray(ties, dtype=np.int64))

    def release_clients(self, clients: np.ndarray) -> None:
        leaving = np.zeros(self.model.clients.n, dtype=bool)
        leaving[clients] = True
        self._release(np.flatnonzero(leaving[self.model.ties.client]))

    def release_ended_matches(self) -> None:
        """Matches whose tie is no longer active, or that have run their time, free their place."""
        if not self.on:
            return
        t = self.model.ties
        matched = t.pool_member >= 0
        if not matched.any():
            return
        ended = matched & (
            (t.status != TieStatus.ACTIVE) | (self.model.week - t.pool_since >= self.match_weeks)
        )
        self._release(np.flatnonzero(ended))
