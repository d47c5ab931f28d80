"""Naasten as a place to stay and as a way into housing, outside the allocation queue.

Most people who register for shelter stayed with family or friends before (De Wit et al. 2023);
over three quarters had stayed with network members in the year before (Shinn et al. 1991): support
that was used up. And "als je neef elke nacht op je bank slaapt..." (Van der Ent & Huber 2024). The
rules, each week (with the `network_stays` mechanism on):

1. **A stay breaks down** when the host is overloaded (burden above their threshold, a weekly
   chance `stay_breakdown_probability`) or no longer in contact (withdrew, drifted away). The client
   returns to the shelter's waiting list.
2. **A lead to a home.** Each active naaste of a client in the shelter or staying with a naaste can
   lead to a room or home outside the queue, with a weekly chance `home_lead_rate` x tie strength x
   the client's readiness (twice as likely from a support-group member, `member_factor`).
3. **A place to stay.** Each active naaste of a client in the shelter (not the ones made by network
   building: peers and volunteers of the organisation do not take clients in) offers a place with a
   weekly chance `stay_offer_rate` x relation factor x strength x the room the naaste has left under
   their burden (x `member_factor` for group members). The client goes to the strongest who offers.
   While the client stays, the host carries `burden_stay` every week (see `rules.support_flows`).

A stay also ends without breaking down: a home (the market or a lead), or the client moves on by
the shelter's other routes (care, an unknown destination; see `shelter.leave_and_return`), since a
client staying with a naaste is still registered with the shelter.

So network support can open exits that do not take a home from someone else: more active and
stronger ties, and group members, offer more stays and leads; overload ends stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.population import per_relation_array
from simulation.model.process import first_per_group
from simulation.model.rules import readiness, room_left
from simulation.model.state import ExitRoute, Location, TieStatus
from simulation.model.streams import ClientDraw, TieDraw

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


class NetworkExits:
    """Stays with naasten (begin, carry burden, break down) and homes found through the network."""

    def __init__(self, model: NetworkSupportModel) -> None:
        self.model = model
        self.params = model.params.network_exits
        self.on = model.params.mechanisms.network_stays

    def step(self) -> None:
        if not self.on:
            return
        # nobody comes into the shelter or a stay in this step and no tie changes status, so
        # both exits start from the same naasten, found once
        ties = self.active_ties_of_those_looking()
        self.break_down()
        self.lead_to_homes(ties)
        self.offer_stays(ties)

    def active_ties_of_those_looking(self) -> np.ndarray:
        """Rows of the active naasten of clients in the shelter or staying with a naaste."""
        m = self.model
        loc = m.clients.location
        looking = (loc == Location.SHELTER) | (loc == Location.NAASTE_STAY)
        return np.flatnonzero(looking[m.ties.client] & (m.ties.status == TieStatus.ACTIVE))

    def hosts(self, clients: np.ndarray) -> np.ndarray:
        """Rows of the naasten these staying clients stay with."""
        return self.model.tie_rows(self.model.clients.host[clients])

    def break_down(self) -> None:
        m = self.model
        c, t = m.clients, m.ties
        staying = np.flatnonzero(c.location == Location.NAASTE_STAY)
        if len(staying) == 0:
            return
        host = self.hosts(staying)
        overloaded = t.burden[host] > t.threshold[host]
        gone = t.status[host] != TieStatus.ACTIVE
        chance = m.streams.client[ClientDraw.STAY_BREAKDOWN, staying] < self.params.stay_breakdown_probability
        broken = staying[gone | (overloaded & chance)]
        m.flow.add("stays_broken", len(broken))
        m.shelter.come_back(broken)

    def end_stays(self, clients: np.ndarray) -> None:
        """The stay is over (broken down, or the client moved on): the host is free again."""
        m = self.model
        clients = np.asarray(clients, dtype=np.int64)
        clients = clients[m.clients.host[clients] >= 0]
        if len(clients):
            m.ties.hosting[self.hosts(clients)] = False
            m.clients.host[clients] = -1

    def lead_to_homes(self, ties: np.ndarray | None = None) -> None:
        """A naaste leads a client in the shelter or staying with a naaste to a home. `ties`: the
        rows `active_ties_of_those_looking()` gave earlier this week (default: found now)."""
        m = self.model
        c, t = m.clients, m.ties
        p = self.params
        loc = c.location
        looking = (loc == Location.SHELTER) | (loc == Location.NAASTE_STAY)
        owner = t.client
        ties = self.active_ties_of_those_looking() if ties is None else ties
        candidates = ties[looking[owner[ties]]]  # the active naasten of those (still) looking
        if len(candidates) == 0:
            return
        ready = readiness(m)
        factor = np.where(t.member[candidates], p.member_factor, 1.0)
        q = p.home_lead_rate * t.strength[candidates] * ready[owner[candidates]] * factor
        leads = candidates[m.streams.tie[TieDraw.HOME_LEAD, candidates] < q]
        clients = np.unique(owner[leads])
        m.shelter.move_out(clients, ExitRoute.NETWORK_HOME)

    def offer_stays(self, ties: np.ndarray | None = None) -> None:
        """A naaste offers a client in the shelter a place to stay (`ties`: as `lead_to_homes`)."""
        m = self.model
        c, t = m.clients, m.ties
        p = self.params
        owner = t.client
        in_shelter = c.location == Location.SHELTER
        ties = self.active_ties_of_those_looking() if ties is None else ties
        candidates = ties[in_shelter[owner[ties]]]  # active naasten of clients (still) in the shelter
        candidates = candidates[~t.built[candidates] & ~t.hosting[candidates]]
        if len(candidates) == 0:
            return
        by_relation = per_relation_array(p.stay_offer_by_relation)[t.relation[candidates]]
        factor = np.where(t.member[candidates], p.member_factor, 1.0)
        room = room_left(t.burden[candidates], t.threshold[candidates])
        q = p.stay_offer_rate * by_relation * t.strength[candidates] * room * factor
        offers = candidates[m.streams.tie[TieDraw.STAY_OFFER, candidates] < q]
        if len(offers) == 0:
            return
        host = offers[first_per_group(owner[offers], t.strength[offers])]
        clients = owner[host]
        m.shelter.move_out(clients, ExitRoute.NAASTE_STAY)
        c.host[clients] = t.gid[host]
        t.hosting[host] = True
        m.flow.add("stays_begun", len(clients))
