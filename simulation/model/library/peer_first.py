"""Peer first: flexible netwerkondersteuning that starts from a tie with a peer or expert by experience.

Many clients' networks are too small for a group, and some do not want their naasten contacted. An
ervaringsdeskundige (expert by experience: someone who has been homeless) is a contact the client
can start with at once. This strategy is flexible netwerkondersteuning with three changes:

1. at the start (`on_start`), every offered client without an active peer tie they allow to be
   contacted is introduced to an expert by experience: a new tie, active and consented, made like
   any other built tie;
2. every tie network building makes later is with a peer or expert by experience
   (`built_tie_peer_share` 1.0);
3. when naasten are asked to join the group one at a time (`ask_priority`), peers are asked first.

Everything else is flexible's settings. The numbers are settings: the strength and overload threshold
of an introduced expert are drawn as for any built tie (`built_tie_strength_min`/`_max`, the naasten's
threshold distribution); an introduction is a built tie, so it counts towards `max_built_ties`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.state import Relation, TieStatus
from simulation.model.strategies import Strategy, register_strategy, registered_strategies
from simulation.model.streams import stream_generator

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel

#: flexible's knobs, with every newly built tie a peer or expert by experience
SETTINGS = registered_strategies()["flexible"].model_copy(
    update={
        "description": "Flexible, but each client starts from a tie with a peer or expert by "
        "experience (ervaringsdeskundige), new ties are peers, and peers are asked first.",
        "built_tie_peer_share": 1.0,
    }
)


@register_strategy("peer_first", settings=SETTINGS)
class PeerFirst(Strategy):
    """Flexible netwerkondersteuning that starts from, and asks first, peers and experts by experience."""

    INTRODUCTION_STREAM = "peer-first-introductions"
    """Name of the random stream for the introduced experts' strength and overload threshold. It is
    a stream of its own, so the population and every other draw stay the same as under the other
    strategies with the same seed (common random numbers)."""

    def on_start(self, model: NetworkSupportModel) -> None:
        """Introduce every offered client without an active, consented peer tie to an expert by
        experience.

        A client who refuses contact with their own naasten is introduced too: the refusal is about
        contacting people they already know, and meeting an expert is the client's own choice (an
        assumption). Switching the network-building mechanism off (or `max_built_ties` 0) switches
        introductions off."""
        if not model.process.building_on:
            return
        c, t = model.clients, model.ties
        peer = (t.relation == Relation.PEER) & (t.status == TieStatus.ACTIVE) & t.consent
        has_peer = np.bincount(t.client[peer], minlength=c.n) > 0
        room = c.built_ties < self.settings.max_built_ties  # an introduction is a built tie
        who = np.flatnonzero(c.engaged & ~has_peer & room)
        # one pair of draws per client, so a client's expert does not depend on who else is introduced
        draws = stream_generator(model.seed, self.INTRODUCTION_STREAM).random((2, c.n))
        strength_draw, threshold_draw = draws
        s = self.settings
        spread = s.built_tie_strength_max - s.built_tie_strength_min
        model.add_built_ties(
            who,
            relation=np.full(len(who), Relation.PEER),
            strength=s.built_tie_strength_min + spread * strength_draw[who],
            threshold_quantile=threshold_draw[who],
        )

    def ask_priority(self, model: NetworkSupportModel, ties: np.ndarray) -> np.ndarray:
        """Peers and experts by experience first; among peers, and among the others, the strongest first."""
        is_peer = model.ties.relation[ties] == Relation.PEER
        strength = model.ties.strength[ties]
        order = np.lexsort((strength, is_peer))  # sorts by is_peer, then by strength (last key first)
        rank = np.empty(len(ties))
        rank[order] = np.arange(len(ties))  # the higher the rank, the earlier the naaste is asked
        return rank
