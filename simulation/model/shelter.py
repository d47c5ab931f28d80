"""The shelter as a flow: arrivals, places, caseloads, leaving and coming back.

A shelter organisation is not a cohort that enters on one day (brief, section 7). Here:

* **places**: the shelter has `population.n_clients` places. The open shelter starts full and runs
  `shelter.warmup_weeks` before anything is measured, because the clients who filled it at the start
  all begin network support in the same week (a synchronised start no real shelter has); after a
  warm-up of about two mean stays most of them have moved on and the mix of stays and phases is
  the flow's own. A test checks that occupancy and exits are stationary after it.
* **arrivals**: each week a Poisson number of people arrive (mean `shelter.arrivals_per_week`),
  each a new identity drawn from their own keys. Free places go first to those waiting (longest
  waiting first), then to newcomers; when every place is taken newcomers wait outside
  (`when_full: wait`) or are turned away (`turn_away`; they leave the model). Counted either way.
  People waiting give up with a weekly chance and go out of sight.
* **caseloads**: the team has one professional per `professionals.caseload` places; a client taken
  in joins the least loaded caseload that is below the limit (none free: the client waits for one).
* **exits** by route: through the housing market (`housing_market.py`), to a stay with a naaste or
  a home found through the network (`network_exits.py`), on to supported housing or a care place
  (beschermd wonen, a clinic: a weekly chance, with its own waiting lists that network support does
  not change), or to an unknown destination (street, another city), with a weekly chance that
  falls with rust. Leaving ends the shelter's network support; the client keeps their naasten and
  any group in another form. A client staying with a naaste is still registered and can move on to
  care or an unknown destination too (the stay ends without breaking down). A care place ends with
  a weekly chance and the client comes back; from care a client can also move on to a home of
  their own through the housing market (`housing.queue_from_care`).
* **returns**: a home lost, a stay that broke down, a care place that ended, someone coming back
  from out of sight: they
  return to the shelter's waiting list keeping their network, and are taken in when a place is free.
* **the register**: each client's state is recorded 13, 26, 52, 104 and 130 weeks after their own
  arrival; in the open shelter, people who left are followed `shelter.follow_up_weeks` after their
  last move (into a home, or out of sight), then leave the model at the next quarterly clearing of
  the register (their record is kept in the archive).

The cohort design (`shelter.mode: cohort`) keeps what cohort studies do: `n_clients` people arrive
at week 0, nobody else arrives, everyone is followed to the end, nothing is warmed up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.peer_pool import least_loaded_first
from simulation.model.population import draw_arrivals, poisson_from
from simulation.model.state import ROUTE_LOCATION, SNAPSHOT_AGES, ExitRoute, GroupForm, Location
from simulation.model.streams import ClientDraw, keyed_uniform

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


class FlowCounts:
    """What happened in the shelter each week (one number per week and kind of event)."""

    EVENTS: tuple[str, ...] = (
        "arrivals",
        "turned_away",
        "taken_in",
        "returns",
        "gave_up",
        *(f"exits_{route.name.lower()}" for route in ExitRoute if route != ExitRoute.NONE),
        "homes_offered",
        "homes_allocated",
        "homes_lost",
        "stays_begun",
        "stays_broken",
        "care_places_ended",
        "in_shelter",
        "waiting_for_place",
        "hours_used",
        "hours_available",
        "waiting_for_professional",
        "clients_simulated",  # rows in the model this week: present, waiting, staying, followed
        "naasten_simulated",
    )

    def __init__(self) -> None:
        self.weeks: list[dict[str, float]] = []
        self.now: dict[str, float] = dict.fromkeys(self.EVENTS, 0.0)

    def add(self, event: str, value: float) -> None:
        self.now[event] += value

    def close_week(self) -> None:
        self.weeks.append(self.now)
        self.now = dict.fromkeys(self.EVENTS, 0.0)

    def table(self) -> pd.DataFrame:
        """One row per finished week (week 0 is the start, before the first step)."""
        table = pd.DataFrame(self.weeks, columns=list(self.EVENTS))
        table.insert(0, "week", np.arange(len(table)))
        return table


class Archive:
    """The records of clients who left the model (follow-up ended, turned away, or removed)."""

    def __init__(self) -> None:
        self.frames: list[pd.DataFrame] = []
        self.n = 0

    def add(self, records: pd.DataFrame, why: str) -> None:
        self.frames.append(records.assign(left_model=why))
        self.n += len(records)

    def with_current(self, current: pd.DataFrame) -> pd.DataFrame:
        frames = [*self.frames, current.assign(left_model="")]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


class Shelter:
    """Places, arrivals, caseloads, exits to care and to an unknown destination, returns, the register."""

    #: weeks between clearings of the register (people whose follow-up has ended leave the model
    #: at the next clearing, so follow-up is `follow_up_weeks` rounded up to it)
    CLEAR_EVERY = 13

    def __init__(self, model: NetworkSupportModel) -> None:
        self.model = model
        p = model.params
        self.open = p.shelter.mode == "open"
        self.places = p.population.n_clients
        self.warmup = p.shelter.warmup_weeks if self.open else 0
        self.caseload = p.professionals.caseload
        self.n_professionals = -(-self.places // self.caseload)
        self.next_uid = 0

    # --- 0. taking people in ----------------------------------------------------------------------

    def fill(self) -> None:
        """The start: the shelter full (open) or the cohort arriving (cohort)."""
        rows = self.arrive(self.places)
        self.take_in(rows)
        self.model.flow.add("in_shelter", len(rows))
        self.model.flow.close_week()

    def arrive(self, count: int) -> np.ndarray:
        """New people with the next identities; they start outside, waiting for a place."""
        m = self.model
        uids = np.arange(self.next_uid, self.next_uid + count, dtype=np.int64)
        self.next_uid += count
        drawn = draw_arrivals(m.params, m.seed, uids)
        columns = {
            **drawn.clients,
            "arrival_week": m.week,
            "location": Location.WAITING,
            "location_since": m.week,
        }
        m.flow.add("arrivals", count)
        return m.add_clients(columns, drawn.ties)

    def admit(self) -> None:
        """Free places go to those waiting (longest first), then to this week's arrivals."""
        m = self.model
        c = m.clients
        free = self.places - int(np.count_nonzero(c.location == Location.SHELTER))
        waiting = np.flatnonzero(c.location == Location.WAITING)
        if len(waiting) and free > 0:
            order = np.lexsort((c.uid[waiting], c.location_since[waiting]))
            taken = waiting[order][:free]
            self.take_in(taken)
            free -= len(taken)
        if self.open:
            mean = m.params.shelter.arrivals_per_week
            u = keyed_uniform(m.seed, "shelter/arrivals", m.week)[0]
            newcomers = poisson_from(u, mean)
            if newcomers:
                self.arrive_this_week(newcomers, max(free, 0))
        self.assign_professionals(np.flatnonzero((c.location == Location.SHELTER) & (c.professional < 0)))

    def arrive_this_week(self, count: int, free: int) -> None:
        """This week's newcomers: into free places, then waiting outside or turned away. Identities
        advance by the whole count either way, so later arrivals are the same people whatever
        happened to these."""
        m = self.model
        if m.params.shelter.when_full == "turn_away" and count > free:
            turned = count - free
            rows = self.arrive(free) if free else np.zeros(0, dtype=np.int64)
            self.next_uid += turned  # the turned-away hold the week's last identities
            m.flow.add("arrivals", turned)
            m.flow.add("turned_away", turned)
        else:
            rows = self.arrive(count)
        self.take_in(rows[:free])

    def take_in(self, rows: np.ndarray) -> None:
        """Give these clients a place: a caseload and an offer of network support."""
        if len(rows) == 0:
            return
        m = self.model
        c = m.clients
        c.location[rows] = Location.SHELTER
        c.location_since[rows] = m.week
        c.support_since[rows] = m.week
        self.assign_professionals(rows)
        m.process.offer(rows)
        m.strategy.on_admission(m, rows)
        m.flow.add("taken_in", len(rows))

    def assign_professionals(self, rows: np.ndarray) -> None:
        """Each joins the least loaded caseload that is below the limit (none: waits for one)."""
        if len(rows) == 0:
            return
        c = self.model.clients
        on_caseload = (c.location == Location.SHELTER) & (c.professional >= 0)
        load = np.bincount(c.professional[on_caseload], minlength=self.n_professionals)
        chosen = least_loaded_first(load, self.caseload, len(rows))  # one by one, all at once
        c.professional[rows[: len(chosen)]] = chosen

    # --- exits and returns --------------------------------------------------------------------------

    def move_out(self, rows: np.ndarray, route: ExitRoute) -> None:
        """Clients leave for the route's destination. From the shelter this is an exit by that
        route; someone already staying with a naaste who moves into a home only changes place."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return
        m = self.model
        c = m.clients
        staying = rows[c.location[rows] == Location.NAASTE_STAY]
        if len(staying):
            m.network_exits.end_stays(staying)
        leaving = rows[c.location[rows] == Location.SHELTER]
        if len(leaving):
            c.exit_route[leaving] = route
            c.exit_week[leaving] = m.week
            c.first_exit_week[leaving[c.first_exit_week[leaving] < 0]] = m.week
            c.exits[leaving] += 1
            c.professional[leaving] = -1
            m.process.leave(leaving)
            m.flow.add(f"exits_{route.name.lower()}", len(leaving))
        c.location[rows] = ROUTE_LOCATION[route]
        c.location_since[rows] = m.week
        if route in (ExitRoute.HOUSING_MARKET, ExitRoute.NETWORK_HOME):
            c.queued_week[rows] = -1
            first = rows[c.week_housed[rows] < 0]
            c.week_housed[first] = m.week
        elif route in (ExitRoute.UNKNOWN, ExitRoute.CARE):
            c.queued_week[rows] = -1

    def come_back(self, rows: np.ndarray) -> None:
        """Back to the shelter's waiting list (a home lost, a stay broken down, back from away)."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return
        m = self.model
        c = m.clients
        staying = rows[c.location[rows] == Location.NAASTE_STAY]
        if len(staying):
            m.network_exits.end_stays(staying)
        c.location[rows] = Location.WAITING
        c.location_since[rows] = m.week
        c.returns[rows] += 1
        m.flow.add("returns", len(rows))

    # --- 8. on to care, leaving for an unknown destination, coming back, giving up ----------------

    def leave_and_return(self) -> None:
        m = self.model
        c = m.clients
        s = m.params.shelter
        draws = m.streams.client
        # staying with a naaste, a client is still registered with the shelter and can move on
        # by the same routes (the stay then ends without breaking down)
        registered = (c.location == Location.SHELTER) | (c.location == Location.NAASTE_STAY)
        to_care = np.zeros_like(registered)
        if s.care_rate > 0:  # (no draws spent on a route that is closed)
            to_care = registered & (draws[ClientDraw.CARE] < s.care_rate)
        p_leave = s.leave_rate * (1.0 - s.leave_rust_protection * c.rust)
        leaves = np.flatnonzero(registered & ~to_care & (draws[ClientDraw.LEAVE] < p_leave))
        in_care = np.flatnonzero((c.location == Location.CARE) & (c.location_since < m.week))
        care_ended = in_care[draws[ClientDraw.CARE_END, in_care] < s.care_end_rate]
        away = np.flatnonzero((c.location == Location.AWAY) & (c.location_since < m.week))
        back = away[draws[ClientDraw.RETURN, away] < s.return_rate]
        waiting = np.flatnonzero((c.location == Location.WAITING) & (c.location_since < m.week))
        gives_up = waiting[draws[ClientDraw.GIVE_UP, waiting] < s.waiting_give_up_rate]
        self.move_out(np.flatnonzero(to_care), ExitRoute.CARE)
        self.move_out(leaves, ExitRoute.UNKNOWN)
        m.flow.add("care_places_ended", len(care_ended))
        self.come_back(care_ended)
        self.come_back(back)
        c.location[gives_up] = Location.AWAY
        c.location_since[gives_up] = m.week
        c.queued_week[gives_up] = -1
        m.flow.add("gave_up", len(gives_up))

    # --- 9. the register ----------------------------------------------------------------------------

    def register(self) -> None:
        """Record states at fixed ages, count the week, and let go of those no longer followed."""
        m = self.model
        c = m.clients
        in_shelter = c.location == Location.SHELTER
        c.weeks_in_shelter += in_shelter
        age = m.week - c.arrival_week
        for k, snapshot_age in enumerate(SNAPSHOT_AGES):
            now = np.flatnonzero(age == snapshot_age)
            if len(now):
                c.location_at[k, now] = c.location[now]
                c.group_at[k, now] = c.group_form[now] != GroupForm.NONE
        m.flow.add("in_shelter", int(np.count_nonzero(in_shelter)))
        m.flow.add("waiting_for_place", int(np.count_nonzero(c.location == Location.WAITING)))
        m.flow.add("clients_simulated", c.n)  # the work of the week (benchmarks count client-weeks)
        m.flow.add("naasten_simulated", m.ties.n)
        m.flow.close_week()
        if self.open and m.week % self.CLEAR_EVERY == 0:
            outside = (c.location == Location.HOUSED) | (c.location == Location.NETWORK_HOME)
            outside |= (c.location == Location.AWAY) | (c.location == Location.CARE)
            done = outside & (m.week - c.location_since >= m.params.shelter.follow_up_weeks)
            if done.any():
                m.remove_clients(np.flatnonzero(done), "follow-up ended")
