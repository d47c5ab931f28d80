"""Peer first: flexible netwerkondersteuning that starts from a tie with a peer or expert by experience.

Many clients' networks are too small for a group, and some do not want their naasten contacted. An
ervaringsdeskundige (expert by experience: someone who has been homeless) is a contact the client
can start with at once. This strategy is flexible netwerkondersteuning with three changes:

1. when taken into the shelter (`on_admission`), every client without an active peer tie they
   allow to be contacted is introduced to an expert by experience from the organisation's pool
   (if one is free): a new tie, active and consented, made like any other built tie;
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
from simulation.model.streams import keyed_uniform

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
    """Name of the draws for the introduced experts' strength and overload threshold. They are keyed
    to the client, so the population and every other draw stay the same as under the other
    strategies with the same seed (common random numbers)."""

    def on_admission(self, model: NetworkSupportModel, clients: np.ndarray) -> None:
        """Introduce every client taken in without an active, consented peer tie to an expert by
        experience, if the client accepts new ties and the pool has someone free.

        Whether a client who refuses contact with their own naasten accepts an expert is the
        parameter `clients.refuser_accepts_new_tie`. Switching the network-building mechanism off
        (or `max_built_ties` 0) switches introductions off."""
        if not model.process.building_on or len(clients) == 0:
            return
        c, t = model.clients, model.ties
        peer = (t.relation == Relation.PEER) & (t.status == TieStatus.ACTIVE) & t.consent
        has_peer = np.bincount(t.client[peer], minlength=c.n) > 0
        room = c.built_ties < self.settings.max_built_ties  # an introduction is a built tie
        who = clients[c.engaged[clients] & c.accepts_new_ties[clients] & ~has_peer[clients] & room[clients]]
        if len(who) == 0:
            return
        # a pair of draws keyed to each client and introduction: nobody else's arrival moves them
        keys = (c.uid[who], c.built_ties[who])
        strength_draw = keyed_uniform(model.seed, self.INTRODUCTION_STREAM + "/strength", *keys)
        threshold_draw = keyed_uniform(model.seed, self.INTRODUCTION_STREAM + "/threshold", *keys)
        s = self.settings
        spread = s.built_tie_strength_max - s.built_tie_strength_min
        model.add_built_ties(
            who,
            relation=np.full(len(who), Relation.PEER),
            strength=s.built_tie_strength_min + spread * strength_draw,
            threshold_quantile=threshold_draw,
        )

    def ask_priority(self, model: NetworkSupportModel, ties: np.ndarray) -> np.ndarray:
        """Peers and experts by experience first; among peers, and among the others, the strongest first."""
        is_peer = model.ties.relation[ties] == Relation.PEER
        strength = model.ties.strength[ties]
        order = np.lexsort((strength, is_peer))  # sorts by is_peer, then by strength (last key first)
        rank = np.empty(len(ties))
        rank[order] = np.arange(len(ties))  # the higher the rank, the earlier the naaste is asked
        return rank
