"""The housing market: homes are the scarce thing, allocated among the clients who are ready.

In Dutch cities the step out of the shelter is a home, and there are too few (brief, section 7).
The rules, each week:

1. **Becoming ready.** A client in the shelter (or staying with a naaste, still registered) joins
   the housing queue with a weekly chance that rises with readiness: rust, eigen regie and
   perceived support, weighted (`rules.readiness`). Network support works on the housing route only
   through readiness. With `housing.queue_from_care` a client in supported housing or care joins
   the same queue the same way: moving on from beschermd wonen to a home of one's own (doorstroom)
   draws on the same scarce homes. Boesveldt's Utrecht cohort, followed from shelters and
   supported-housing providers, mostly moved into homes of their own within four years.
2. **Allocation.** The market offers `housing.homes_per_week` homes (a steady supply: the whole
   homes accumulate week by week, so homes per year are fixed). They go to clients in the queue by
   the scenario's rule: `waiting_time` (longest in the queue first, as Dutch allocation by
   registration time), `readiness` (most ready first) or `lottery` (a draw weighted by the chance of
   becoming ready). Homes that find nobody in the queue go to people outside the model. When the
   queue is longer than the supply, a client who becomes ready sooner takes a home another client
   would have had: the market shows the effect on supported clients and on the whole shelter.
3. **Losing a home.** A housed client loses the home with a weekly chance that perceived support
   lowers, and returns to the shelter's waiting list with their network.

With the `housing_market` mechanism off homes are not scarce: everyone in the queue gets one at once
(the cohort design's private weekly chance of being housed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.rules import effective_support, readiness
from simulation.model.state import ExitRoute, Location
from simulation.model.streams import ClientDraw

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


class HousingMarket:
    """The housing queue, the weekly supply of homes and their allocation, and homes lost."""

    def __init__(self, model: NetworkSupportModel) -> None:
        self.model = model
        self.params = model.params.housing
        self.scarce = model.params.mechanisms.housing_market
        self._offered = 0.0  # homes offered so far, whole and in part

    def step(self) -> None:
        self.join_queue()
        self.allocate()
        self.lose_homes()

    def ready_rate(self) -> np.ndarray:
        """Weekly chance of becoming ready for a home, by readiness."""
        h = self.params
        return h.rate_at_zero_readiness + (h.rate_at_full_readiness - h.rate_at_zero_readiness) * readiness(
            self.model
        )

    def registered(self) -> np.ndarray:
        """Clients who can be in the queue: in the shelter, staying with a naaste, or (with
        `queue_from_care`) in supported housing or care, waiting to move on to a home of their own."""
        loc = self.model.clients.location
        registered = (loc == Location.SHELTER) | (loc == Location.NAASTE_STAY)
        if self.params.queue_from_care:
            registered |= loc == Location.CARE
        return registered

    def join_queue(self) -> None:
        m = self.model
        c = m.clients
        candidates = self.registered() & (c.queued_week < 0)
        joins = candidates & (m.streams.client[ClientDraw.HOUSING] < self.ready_rate())
        c.queued_week[np.flatnonzero(joins)] = m.week

    def homes_this_week(self) -> int:
        before = int(np.floor(self._offered + 1e-9))
        self._offered += self.params.homes_per_week
        return int(np.floor(self._offered + 1e-9)) - before

    def queue(self) -> np.ndarray:
        """Rows of the clients in the housing queue, in the order the allocation rule serves them."""
        c = self.model.clients
        rows = np.flatnonzero(self.registered() & (c.queued_week >= 0))
        rule = self.params.allocation
        if rule == "waiting_time":
            order = np.lexsort((c.uid[rows], c.queued_week[rows]))
        elif rule == "readiness":
            order = np.lexsort((c.uid[rows], c.queued_week[rows], -readiness(self.model)[rows]))
        else:  # a lottery weighted by readiness: the largest of u^(1/w) win (Efraimidis-Spirakis)
            weight = np.maximum(self.ready_rate()[rows], 1e-12)
            u = np.maximum(self.model.streams.client[ClientDraw.LOTTERY, rows], 1e-300)
            order = np.lexsort((c.uid[rows], -np.log(u) / weight))
        return rows[order]

    def allocate(self) -> None:
        m = self.model
        queue = self.queue()
        if self.scarce:
            homes = self.homes_this_week()
            m.flow.add("homes_offered", homes)
            winners = queue[:homes]
        else:
            winners = queue
        m.flow.add("homes_allocated", len(winners))
        m.shelter.move_out(winners, ExitRoute.HOUSING_MARKET)

    def lose_homes(self) -> None:
        m = self.model
        c = m.clients
        h = self.params
        housed = np.flatnonzero(
            ((c.location == Location.HOUSED) | (c.location == Location.NETWORK_HOME))
            & (c.location_since < m.week)
        )
        if len(housed) == 0:
            return
        p = h.relapse_rate * (1.0 - h.relapse_support_protection * effective_support(m)[housed])
        lost = housed[m.streams.client[ClientDraw.RELAPSE, housed] < p]
        c.relapses[lost] += 1
        m.flow.add("homes_lost", len(lost))
        m.shelter.come_back(lost)
