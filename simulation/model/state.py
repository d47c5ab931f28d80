"""The model's state, one column (numpy array) per variable.

Clients and naasten are Mesa agents (see `agents.py`), but their state lives here in columns so
that the weekly rules can update everyone at once. `Client.trust` and `clients.trust[i]` are the
same number. Categorical states are small integer codes with readable names below.
"""

from __future__ import annotations

from enum import IntEnum

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


class GroupForm(IntEnum):
    """The form of a client's support group."""

    NONE = 0
    SINGLE_NAASTE = 1  # one trusted naaste
    WHATSAPP = 2  # a group chat with several naasten
    FORMAL = 3  # a resource group with scheduled meetings (the stramien)


class Housing(IntEnum):
    """Housing state."""

    SHELTER = 0
    HOUSED = 1
    RELAPSED = 2  # lost housing again, back in shelter (can be rehoused)


class NoGroupReason(IntEnum):
    """Why a client ends without a formal group (the funnel's diagnostics)."""

    NONE = 0  # has a formal group
    TOO_FEW_TIES = 1
    NO_CONSENT = 2
    DROPPED_OUT = 3
    NOT_OFFERED = 4  # the strategy does not form groups
    OTHER_FORM = 5  # has a support group in another form
    IN_PROGRESS = 6  # still on the way when the run ended


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


class ClientState:
    """Columns of client state; index `i` is client `i`."""

    def __init__(self, n: int) -> None:
        self.n = n
        f = np.zeros
        # fixed traits and starting values
        self.professional = f(n, dtype=np.int32)
        self.refuses_all = f(n, dtype=bool)
        self.willingness = f(n)
        self.stramien_tolerance = f(n)
        self.perceived_support_start = f(n)
        self.eigen_regie_start = f(n)
        self.rust_start = f(n)
        # changing state
        self.eigen_regie = f(n)
        self.trust = f(n)
        self.perceived_support = f(n)
        self.rust = f(n)
        self.phase = f(n, dtype=np.int8)
        self.work_left = f(n)  # professional hours still needed to finish the current phase
        self.served = f(n)  # share of this week's requested hours the professional gave (0-1)
        self.group_form = f(n, dtype=np.int8)
        self.ever_formal = f(n, dtype=bool)
        self.formal_start_week = np.full(n, -1, dtype=np.int32)
        self.next_meeting_week = np.full(n, -1, dtype=np.int32)
        self.reorientation_week = np.full(n, -1, dtype=np.int32)
        self.meetings_held = f(n, dtype=np.int32)
        self.consent_closed = f(n, dtype=bool)  # up-front consent asked: no later growth
        self.willing = np.full(n, Willing.NOT_ASKED, dtype=np.int8)
        self.reason = f(n, dtype=np.int8)  # NoGroupReason recorded when the process stops
        self.housing = f(n, dtype=np.int8)
        self.week_housed = np.full(n, -1, dtype=np.int32)
        self.relapses = f(n, dtype=np.int32)
        self.built_ties = f(n, dtype=np.int32)
        self.received_support = f(n)
        self.hours = f((len(Activity), n))  # professional hours spent, by activity

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
    def housed(self) -> np.ndarray:
        return self.housing == Housing.HOUSED


class TieState:
    """Columns of naaste (tie) state; index `j` is naaste `j`, tied to client `client[j]`.

    Arrays are allocated with room to spare so that new ties (network building) can be added
    without copying every week; `n` is the number in use and the properties below are views.
    """

    COLUMNS: tuple[tuple[str, type], ...] = (
        ("client", np.int32),
        ("relation", np.int8),
        ("status", np.int8),
        ("strength", np.float64),
        ("burden", np.float64),
        ("threshold", np.float64),  # burden at which this naaste is overloaded
        ("consent", bool),  # the client allows the professional to contact this naaste
        ("nominated", bool),
        ("member", bool),  # member of the client's support group
        ("declined", bool),  # was asked to join and said no
        ("built", bool),  # a new tie made by network building
        ("bridged", bool),  # knows a member of the client's group (eases reactivation)
        ("ever_withdrew", bool),
        ("reactivations", np.int32),
        ("contacted", bool),  # had contact this week
        ("asked", np.float64),  # burden asked of this naaste this week
    )

    def __init__(self, capacity: int) -> None:
        self.n = 0
        self.capacity = max(capacity, 1)
        for name, dtype in self.COLUMNS:
            setattr(self, "_" + name, np.zeros(self.capacity, dtype=dtype))

    def add(self, count: int, **values: np.ndarray | float | int) -> np.ndarray:
        """Append `count` naasten with the given column values; return their indices."""
        if self.n + count > self.capacity:
            self._grow(self.n + count)
        idx = np.arange(self.n, self.n + count)
        for name, value in values.items():
            getattr(self, "_" + name)[idx] = value
        self.n += count
        return idx

    def _grow(self, needed: int) -> None:
        new_capacity = max(needed, int(self.capacity * 1.5) + 16)
        for name, _ in self.COLUMNS:
            old = getattr(self, "_" + name)
            new = np.zeros(new_capacity, dtype=old.dtype)
            new[: self.capacity] = old
            setattr(self, "_" + name, new)
        self.capacity = new_capacity


def _column_view(name: str) -> property:
    def getter(self: TieState) -> np.ndarray:
        return getattr(self, "_" + name)[: self.n]

    def setter(self: TieState, value: np.ndarray) -> None:
        getattr(self, "_" + name)[: self.n] = value

    return property(getter, setter, doc=f"naaste column '{name}' (view of the ties in use)")


for _name, _ in TieState.COLUMNS:
    setattr(TieState, _name, _column_view(_name))
