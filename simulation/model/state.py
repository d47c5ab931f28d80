"""The model's state, one column (numpy array) per variable.

Clients and naasten are Mesa agents (see `agents.py`), but their state lives here in columns so
that the weekly rules can update everyone at once. `Client.trust` and `clients.trust[i]` are the
same number. Categorical states are small integer codes with readable names below.
"""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

import numpy as np


class Relation(IntEnum):
    """How a naaste is related to the client."""

    FAMILY = 0
    FRIEND = 1
    PEER = 2  # peer with homelessness experience, or an expert by experience
    OTHER = 3  # volunteer, neighbour, other


class TieStatus(IntEnum):
    """Whether a naaste is in contact with the client."""

    ACTIVE = 0
    DORMANT = 1  # estranged or drifted away; can be reactivated
    WITHDRAWN = 2  # pulled back because of overload; dormant again once recovered


class Phase(IntEnum):
    """Where a client is in network support (the stramien's phases and the flexible process)."""

    NOT_OFFERED = 0  # the strategy does no network work (care as usual)
    PREPARATION = 1  # network map, goals, crisis plan (stramien) or light mapping
    INVESTMENT = 2  # the professional interviews each consented nominee (stramien)
    PLANNING = 3  # date, agenda, chair and channel of the first meeting (stramien)
    BUILDING = 4  # looking for members: consent, activation, new ties, asking naasten
    GROUP = 5  # a support group exists (formal meetings or client-paced contact)
    BLOCKED = 6  # the strict process stopped: too few ties or no consent
    DROPPED_OUT = 7  # the client left network support
    LEFT = 8  # left the shelter: the shelter's network support ends (it starts again on return)


class GroupForm(IntEnum):
    """The form of a client's support group."""

    NONE = 0
    SINGLE_NAASTE = 1  # one trusted naaste
    WHATSAPP = 2  # a group chat with several naasten
    FORMAL = 3  # a resource group with scheduled meetings (the stramien)


class Location(IntEnum):
    """Where a client is. Clients in the shelter get network support and compete for homes;
    the others have left by one of the exit routes, or wait outside for a place."""

    SHELTER = 0
    HOUSED = 1  # a home through the housing market (the allocation queue)
    NETWORK_HOME = 2  # a room or home found through the network, outside the queue
    NAASTE_STAY = 3  # staying with a naaste (a heavy ask; breaks down on overload)
    AWAY = 4  # left for an unknown destination (street, another city); may come back
    WAITING = 5  # arrived while the shelter was full; waits outside for a place
    CARE = 6  # supported housing or a care place (beschermd wonen, a clinic), outside the queue


#: locations that count as housed (stably, in a home of one's own)
HOUSED_LOCATIONS = (Location.HOUSED, Location.NETWORK_HOME)

#: locations cohort studies count as stably housed: a home of one's own or supported housing
STABLY_HOUSED_LOCATIONS = (*HOUSED_LOCATIONS, Location.CARE)

#: where a study that re-interviews people can still find them (not out of sight)
IN_SIGHT_LOCATIONS = tuple(loc for loc in Location if loc != Location.AWAY)


class ExitRoute(IntEnum):
    """How a client left the shelter (the exit routes of a flow)."""

    NONE = -1
    HOUSING_MARKET = 0
    NETWORK_HOME = 1
    NAASTE_STAY = 2
    UNKNOWN = 3
    CARE = 4


#: the location each exit route leads to
ROUTE_LOCATION = {
    ExitRoute.HOUSING_MARKET: Location.HOUSED,
    ExitRoute.NETWORK_HOME: Location.NETWORK_HOME,
    ExitRoute.NAASTE_STAY: Location.NAASTE_STAY,
    ExitRoute.UNKNOWN: Location.AWAY,
    ExitRoute.CARE: Location.CARE,
}


class NoGroupReason(IntEnum):
    """Why a client ends without a formal group (the funnel's diagnostics)."""

    NONE = 0  # has a formal group
    TOO_FEW_TIES = 1
    NO_CONSENT = 2
    DROPPED_OUT = 3
    NOT_OFFERED = 4  # the strategy does not form groups
    OTHER_FORM = 5  # has a support group in another form
    IN_PROGRESS = 6  # still on the way when the run ended
    LEFT_BEFORE_GROUP = 7  # left the shelter before a group formed


class Willing(IntEnum):
    """The client's answer when consent for nominated naasten was asked."""

    NOT_ASKED = -1
    NO = 0
    YES = 1


class Activity(IntEnum):
    """What professional hours are spent on."""

    MAPPING = 0
    CONTACTING = 1
    MEETINGS = 2
    COACHING = 3


#: weeks after a client's own arrival at which their state is recorded (outcomes for a flow)
SNAPSHOT_AGES: tuple[int, ...] = (13, 26, 52, 104, 130)


class Columns:
    """A table of state, one numpy column per variable; row `i` is one person.

    Columns are allocated with room to spare, so arrivals and new ties are appended without copying
    every week; `n` is the number of rows in use and each column attribute is a view of those rows.
    `keep(mask)` drops rows (people who leave the model) and closes the gap.
    """

    #: (name, dtype, rows): rows > 0 makes a two-dimensional column (rows x persons)
    COLUMNS: tuple[tuple[str, type, int], ...] = ()
    #: starting value of a column for new rows, where it is not 0
    FILL: ClassVar[dict[str, object]] = {}

    def __init__(self, capacity: int = 0) -> None:
        self.n = 0
        self.capacity = max(int(capacity), 1)
        for name, dtype, rows in self.COLUMNS:
            shape = (rows, self.capacity) if rows else self.capacity
            setattr(self, "_" + name, np.full(shape, self.FILL.get(name, 0), dtype=dtype))
        self._refresh_views()

    def _refresh_views(self) -> None:
        """Views of the rows in use, made once each time the rows change (not at every reading:
        the weekly rules read columns hundreds of times a week)."""
        n = self.n
        self._views = {
            name: getattr(self, "_" + name)[:, :n] if rows else getattr(self, "_" + name)[:n]
            for name, _, rows in self.COLUMNS
        }

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        del state["_views"]  # views would pickle as copies; they are made again on loading
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._refresh_views()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, *_ in cls.COLUMNS:
            setattr(cls, name, _column_view(name))

    def add(self, count: int, **values: np.ndarray | float | int) -> np.ndarray:
        """Append `count` rows with the given column values (others at their start value)."""
        if self.n + count > self.capacity:
            self._grow(self.n + count)
        idx = np.arange(self.n, self.n + count)
        for name, _dtype, rows in self.COLUMNS:
            column = getattr(self, "_" + name)
            fill = values.get(name, self.FILL.get(name, 0))
            if rows:
                column[:, idx] = fill
            else:
                column[idx] = fill
        unknown = set(values) - {name for name, _, _ in self.COLUMNS}
        if unknown:
            raise KeyError(f"unknown columns: {sorted(unknown)}")
        self.n += count
        self._refresh_views()
        return idx

    def keep(self, mask: np.ndarray) -> np.ndarray:
        """Keep only the rows in `mask`, in order; return the new index of each old row (-1 if dropped)."""
        new_index = np.full(self.n, -1, dtype=np.int64)
        kept = np.flatnonzero(mask)
        new_index[kept] = np.arange(len(kept))
        for name, _, rows in self.COLUMNS:
            column = getattr(self, "_" + name)
            if rows:
                column[:, : len(kept)] = column[:, kept]
            else:
                column[: len(kept)] = column[kept]
        self.n = len(kept)
        self._refresh_views()
        return new_index

    def _grow(self, needed: int) -> None:
        new_capacity = max(needed, int(self.capacity * 1.5) + 16)
        for name, dtype, rows in self.COLUMNS:
            old = getattr(self, "_" + name)
            shape = (rows, new_capacity) if rows else new_capacity
            new = np.full(shape, self.FILL.get(name, 0), dtype=dtype)
            if rows:
                new[:, : self.capacity] = old
            else:
                new[: self.capacity] = old
            setattr(self, "_" + name, new)
        self.capacity = new_capacity

    def row(self, i: int) -> dict[str, object]:
        """One person's values, for reading (not for changing)."""
        out: dict[str, object] = {}
        for name, _, rows in self.COLUMNS:
            column = getattr(self, name)
            out[name] = column[:, i].copy() if rows else column[i].item()
        return out


def _column_view(name: str) -> property:
    def getter(self: Columns) -> np.ndarray:
        return self._views[name]

    def setter(self: Columns, value: np.ndarray) -> None:
        view = self._views[name]
        if value is not view:  # `c.x += 1` changed the view in place already
            view[...] = value

    return property(getter, setter, doc=f"column '{name}' (view of the rows in use)")


class ClientState(Columns):
    """Client state; row `i` is the client in row `i` now (their identity is `uid[i]`)."""

    COLUMNS = (
        # identity and arrival
        ("uid", np.int64, 0),  # the client's identity: numbered in order of arrival, never reused
        ("key", np.uint64, 0),  # hash of the identity that keys the client's random draws
        ("arrival_week", np.int32, 0),
        ("professional", np.int32, 0),  # -1: not on a caseload (outside the shelter, or none free)
        # fixed traits and starting values
        ("refuses_all", bool, 0),
        ("accepts_new_ties", bool, 0),  # accepts a new tie with a peer or volunteer
        ("willingness", np.float64, 0),
        ("stramien_tolerance", np.float64, 0),
        ("perceived_support_start", np.float64, 0),
        ("eigen_regie_start", np.float64, 0),
        ("rust_start", np.float64, 0),
        # changing state
        ("eigen_regie", np.float64, 0),
        ("trust", np.float64, 0),
        ("perceived_support", np.float64, 0),
        ("rust", np.float64, 0),
        ("phase", np.int8, 0),
        ("support_since", np.int32, 0),  # week this stay's network support began (who is served first)
        ("work_left", np.float64, 0),  # professional hours still needed to finish the current phase
        ("requested", np.float64, 0),  # hours the client's process asked for this week
        ("served", np.float64, 0),  # share of this week's requested hours the professional gave (0-1)
        ("weeks_waiting", np.int32, 0),  # weeks the process asked for hours and got none
        ("group_form", np.int8, 0),
        ("ever_formal", bool, 0),
        ("ever_group", bool, 0),
        ("formal_start_week", np.int32, 0),
        ("next_meeting_week", np.int32, 0),
        ("reorientation_week", np.int32, 0),
        ("meetings_held", np.int32, 0),
        ("consent_closed", bool, 0),  # up-front consent asked: no later growth
        ("willing", np.int8, 0),
        ("reason", np.int8, 0),  # NoGroupReason recorded when the process stops
        ("built_ties", np.int32, 0),
        ("received_support", np.float64, 0),
        ("hours", np.float64, len(Activity)),  # professional hours spent, by activity
        # where the client is
        ("location", np.int8, 0),
        ("location_since", np.int32, 0),
        ("exit_route", np.int8, 0),  # route of the latest exit from the shelter
        ("exit_week", np.int32, 0),  # week of the latest exit
        ("first_exit_week", np.int32, 0),  # week of the first exit (time to any exit), or -1
        ("exits", np.int32, 0),
        ("returns", np.int32, 0),  # came back to the shelter after an exit
        ("host", np.int64, 0),  # naaste (tie id) the client stays with, or -1
        ("queued_week", np.int32, 0),  # week the client joined the housing queue, or -1
        ("week_housed", np.int32, 0),  # first week in a home (market or network), or -1
        ("relapses", np.int32, 0),  # homes lost
        ("weeks_in_shelter", np.int32, 0),
        ("location_at", np.int8, len(SNAPSHOT_AGES)),  # location at each snapshot age, -1 = not reached
        ("group_at", np.int8, len(SNAPSHOT_AGES)),  # support group (any form) at each age, -1 = not reached
    )
    FILL: ClassVar[dict[str, object]] = {
        "professional": -1,
        "formal_start_week": -1,
        "next_meeting_week": -1,
        "reorientation_week": -1,
        "willing": -1,
        "exit_route": -1,
        "exit_week": -1,
        "first_exit_week": -1,
        "host": -1,
        "queued_week": -1,
        "week_housed": -1,
        "location_at": -1,
        "group_at": -1,
    }

    @property
    def engaged(self) -> np.ndarray:
        """Clients currently taking part in network support."""
        return (self.phase >= Phase.PREPARATION) & (self.phase <= Phase.GROUP)

    @property
    def in_work_phase(self) -> np.ndarray:
        """Clients in a phase that ends when its professional work is done (preparation,
        investment, planning)."""
        return (self.phase >= Phase.PREPARATION) & (self.phase <= Phase.PLANNING)

    @property
    def building_or_in_group(self) -> np.ndarray:
        """Clients looking for members or with a group (the weekly, open-ended part of the work)."""
        return (self.phase == Phase.BUILDING) | (self.phase == Phase.GROUP)

    @property
    def has_group(self) -> np.ndarray:
        """Clients with a support group in any form."""
        return self.group_form != GroupForm.NONE

    @property
    def in_shelter(self) -> np.ndarray:
        return self.location == Location.SHELTER

    @property
    def housed(self) -> np.ndarray:
        """In a home of their own (through the market or the network)."""
        return (self.location == Location.HOUSED) | (self.location == Location.NETWORK_HOME)

    @property
    def homeless(self) -> np.ndarray:
        """In the shelter, waiting for a place, staying with a naaste or out of sight."""
        return ~self.housed


class TieState(Columns):
    """Naaste (tie) state; row `j` is a naaste of the client in row `client[j]`."""

    COLUMNS = (
        ("client", np.int64, 0),  # row of the client (changes when rows are closed up)
        ("gid", np.int64, 0),  # the naaste's identity in this run, never reused
        ("slot", np.int32, 0),  # place in the client's network (built ties: BUILT_SLOT + k)
        ("key", np.uint64, 0),  # hash of (client identity, slot): keys the naaste's draws
        ("relation", np.int8, 0),
        ("status", np.int8, 0),
        ("strength", np.float64, 0),
        ("burden", np.float64, 0),
        ("threshold", np.float64, 0),  # burden at which this naaste is overloaded
        ("consent", bool, 0),  # the client allows the professional to contact this naaste
        ("nominated", bool, 0),
        ("member", bool, 0),  # member of the client's support group
        ("declined", bool, 0),  # was asked to join and said no
        ("built", bool, 0),  # a new tie made by network building
        ("bridged", bool, 0),  # knows a member of the client's group (eases reactivation)
        ("ever_withdrew", bool, 0),
        ("reactivations", np.int32, 0),
        ("contacted", bool, 0),  # had contact this week
        ("asked", np.float64, 0),  # burden asked of this naaste this week
        ("hosting", bool, 0),  # the client stays with this naaste
        ("pool_member", np.int32, 0),  # peer or volunteer of the organisation's pool, or -1
        ("pool_since", np.int32, 0),  # week the match with the pool member began
    )
    FILL: ClassVar[dict[str, object]] = {"pool_member": -1}


#: slots of built ties start here, so they never share a key with a naaste of the starting network
BUILT_SLOT = 1_000_000
