"""Outcomes, each a small named function of the model, found by name in a registry.

Three kinds, so that a flow is measured as a flow:

* **the shelter's clients now** (most of them also recorded `weekly`): shares and means over the
  clients in the shelter (the cohort design: over the whole cohort);
* **per arrival**: over the clients who arrived after the warm-up (the cohort: everyone), from
  their own arrival: the funnel and its reasons, and their state 13 ... 130 weeks after arriving
  (among those followed that long);
* **per shelter and year**: events counted over the measured weeks (after the warm-up), per year:
  arrivals, exits by route, returns, homes, occupancy, waiting, professional hours.

`client_table` gives one row per client; `NetworkSupportModel.arrivals_table` adds the clients
who have left the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.state import (
    HOUSED_LOCATIONS,
    SNAPSHOT_AGES,
    Activity,
    ExitRoute,
    GroupForm,
    Location,
    NoGroupReason,
    Phase,
    TieStatus,
    Willing,
)

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


@dataclass(frozen=True)
class Outcome:
    """A named measurement of the model."""

    name: str
    label: str  # short English label for tables and plots
    unit: str
    weekly: bool
    fn: Callable[[NetworkSupportModel], float]

    def __call__(self, model: NetworkSupportModel) -> float:
        return float(self.fn(model))


OUTCOMES: dict[str, Outcome] = {}

#: the outcomes the brief asks every comparison to show, in the order tables and figures use
HEADLINE_OUTCOMES: tuple[str, ...] = (
    "has_support_group",
    "formal_group",
    "perceived_support",
    "eigen_regie",
    "rust",
    "housed",
    "dropped_out",
    "naasten_withdrawn",
    "professional_hours_per_client",
)

#: the shelter as a flow: per shelter and year, and per arrival
FLOW_OUTCOMES: tuple[str, ...] = (
    "arrivals_per_year",
    "exits_per_year",
    "exits_housing_market_per_year",
    "exits_network_home_per_year",
    "exits_naaste_stay_per_year",
    "exits_unknown_per_year",
    "exits_care_per_year",
    "returns_per_year",
    "homes_allocated_per_year",
    "occupancy",
    "waiting_for_place",
    "turned_away_per_year",
    "mean_stay_weeks",
    "housed_52w",
    "hours_used_per_client_year",
    "hours_idle_per_client_year",
    "weeks_waiting_per_client_year",
)


def outcome(name: str, label: str, unit: str = "share", weekly: bool = False):
    """Register an outcome function under `name`."""

    def decorate(fn: Callable[[NetworkSupportModel], float]):
        if name in OUTCOMES:
            raise ValueError(f"outcome {name!r} is already registered")
        OUTCOMES[name] = Outcome(name, label, unit, weekly, fn)
        return fn

    return decorate


def weekly_outcomes() -> list[Outcome]:
    return [o for o in OUTCOMES.values() if o.weekly]


def _share(mask: np.ndarray) -> float:
    return float(np.count_nonzero(mask) / len(mask)) if len(mask) else 0.0


def _mean(values: np.ndarray) -> float:
    return float(np.mean(values)) if len(values) else 0.0


def clients_now(m: NetworkSupportModel) -> np.ndarray:
    """Rows of the shelter's clients now (the cohort design: the whole cohort)."""
    if m.shelter.open:
        return np.flatnonzero(m.clients.location == Location.SHELTER)
    return np.arange(m.clients.n)


def measured_arrivals(m: NetworkSupportModel) -> pd.DataFrame:
    """One row per client who arrived after the warm-up (the cohort: everyone), left or not."""
    cache = getattr(m, "_arrivals_cache", None)
    if cache is not None and cache[0] == m.week:
        return cache[1]
    table = m.arrivals_table()
    if m.shelter.open:
        table = table[table["arrival_week"] > m.shelter.warmup].reset_index(drop=True)
    m._arrivals_cache = (m.week, table)
    return table


def measured_weeks(m: NetworkSupportModel) -> pd.DataFrame:
    """The shelter's weekly counts over the measured weeks (after the warm-up)."""
    table = m.flow.table()
    return table[table["week"] > m.shelter.warmup]


def _per_year(m: NetworkSupportModel, column: str) -> float:
    weeks = measured_weeks(m)
    return float(weeks[column].sum() * 52.0 / len(weeks)) if len(weeks) else 0.0


def _client_years(weeks: pd.DataFrame) -> float:
    return float(weeks["in_shelter"].sum()) / 52.0


# --- support groups and the funnel ----------------------------------------------------------


@outcome("has_support_group", "Support group (any form)", weekly=True)
def has_support_group(m: NetworkSupportModel) -> float:
    return _share(m.clients.group_form[clients_now(m)] != GroupForm.NONE)


@outcome("formal_group", "Formal resource group", weekly=True)
def formal_group(m: NetworkSupportModel) -> float:
    return _share(m.clients.group_form[clients_now(m)] == GroupForm.FORMAL)


@outcome("willing", "Willing: allows contact with at least one naaste when asked (per arrival)")
def willing(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["willing"].to_numpy() == "yes")


@outcome("formal_group_formed", "Formal group ever formed (first meeting held; per arrival)")
def formal_group_formed(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["formal_group_formed"].to_numpy())


@outcome("support_group_ever", "Support group in any form at some time (per arrival)")
def support_group_ever(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["ever_group"].to_numpy())


@outcome("group_size", "Naasten in the group, among clients with a group", unit="naasten")
def group_size(m: NetworkSupportModel) -> float:
    t = m.ties
    members = np.bincount(t.client[t.member & (t.status == TieStatus.ACTIVE)], minlength=m.clients.n)
    rows = clients_now(m)
    with_group = m.clients.group_form[rows] != GroupForm.NONE
    return float(members[rows][with_group].mean()) if with_group.any() else 0.0


def _reason_share(reason: NoGroupReason) -> Callable[[NetworkSupportModel], float]:
    key = reason.name.lower()
    return lambda m: _share(measured_arrivals(m)["no_group_reason"].to_numpy() == key)


for _reason in (
    NoGroupReason.TOO_FEW_TIES,
    NoGroupReason.NO_CONSENT,
    NoGroupReason.DROPPED_OUT,
    NoGroupReason.LEFT_BEFORE_GROUP,
):
    _key = _reason.name.lower()
    outcome(f"no_group_{_key}", f"No formal group: {_key.replace('_', ' ')} (per arrival)")(
        _reason_share(_reason)
    )


# --- network ---------------------------------------------------------------------------------


def _ties_now(m: NetworkSupportModel) -> np.ndarray:
    """Mask of the naasten of the shelter's clients now (the cohort: all naasten)."""
    memo = getattr(m, "_outcome_memo", None)  # a dict while the week's outcomes are collected
    if memo is not None and "ties_now" in memo:
        return memo["ties_now"]
    if not m.shelter.open:
        now = np.ones(m.ties.n, dtype=bool)
    else:
        now = (m.clients.location == Location.SHELTER)[m.ties.client]
    if memo is not None:
        memo["ties_now"] = now
    return now


@outcome("active_ties", "Active informal ties per client", unit="naasten", weekly=True)
def active_ties(m: NetworkSupportModel) -> float:
    n = len(clients_now(m))
    return np.count_nonzero(_ties_now(m) & (m.ties.status == TieStatus.ACTIVE)) / n if n else 0.0


@outcome("naasten_overloaded", "Naasten overloaded (share of naasten)", weekly=True)
def naasten_overloaded(m: NetworkSupportModel) -> float:
    t = m.ties
    now = _ties_now(m)
    overloaded = np.count_nonzero(now & (t.burden > t.threshold))
    return float(overloaded / np.count_nonzero(now)) if now.any() else 0.0


@outcome("naasten_withdrawn", "Naasten who withdrew, per client", unit="naasten", weekly=True)
def naasten_withdrawn(m: NetworkSupportModel) -> float:
    n = len(clients_now(m))
    return np.count_nonzero(_ties_now(m) & m.ties.ever_withdrew) / n if n else 0.0


@outcome("ties_reactivated", "Dormant ties reactivated, per client", unit="ties")
def ties_reactivated(m: NetworkSupportModel) -> float:
    n = len(clients_now(m))
    return float(m.ties.reactivations[_ties_now(m)].sum()) / n if n else 0.0


@outcome("ties_built", "New ties built, per client", unit="ties")
def ties_built(m: NetworkSupportModel) -> float:
    n = len(clients_now(m))
    return np.count_nonzero(_ties_now(m) & m.ties.built) / n if n else 0.0


@outcome("peer_pool_use", "Places with peers and volunteers in use (share of the pool)", weekly=True)
def peer_pool_use(m: NetworkSupportModel) -> float:
    total = len(m.pool.load) * m.pool.limit
    return float(m.pool.load.sum()) / total if total else 0.0


# --- clients ---------------------------------------------------------------------------------


def _client_mean(column: str) -> Callable[[NetworkSupportModel], float]:
    return lambda m: _mean(getattr(m.clients, column)[clients_now(m)])


for _column, _label, _weekly in (
    ("perceived_support", "Perceived support (0-1)", True),
    ("eigen_regie", "Eigen regie (0-1)", True),
    ("trust", "Trust in the professional (0-1)", False),
    ("rust", "Rust (0-1)", True),
):
    outcome(_column, _label, unit="0-1", weekly=_weekly)(_client_mean(_column))


@outcome("dropped_out", "Dropped out of network support", weekly=True)
def dropped_out(m: NetworkSupportModel) -> float:
    return _share(m.clients.phase[clients_now(m)] == Phase.DROPPED_OUT)


# --- housing ---------------------------------------------------------------------------------


@outcome("housed", "Housed (share of the clients followed now)", weekly=True)
def housed(m: NetworkSupportModel) -> float:
    return _share(m.clients.housed)


@outcome("ever_housed", "Ever housed (per arrival)")
def ever_housed(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["week_housed"].to_numpy() >= 0)


@outcome(
    "weeks_to_housing",
    "Weeks from arrival to a home (restricted mean; not housed = followed time)",
    unit="weeks",
)
def weeks_to_housing(m: NetworkSupportModel) -> float:
    a = measured_arrivals(m)
    followed = m.week - a["arrival_week"].to_numpy()
    housed_at = a["week_housed"].to_numpy() - a["arrival_week"].to_numpy()
    return _mean(np.where(a["week_housed"].to_numpy() >= 0, housed_at, followed))


@outcome("relapsed", "Lost a home at least once (per arrival)")
def relapsed(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["relapses"].to_numpy() > 0)


def _housed_at(k: int) -> Callable[[NetworkSupportModel], float]:
    housed_codes = [int(loc) for loc in HOUSED_LOCATIONS]

    def share(m: NetworkSupportModel) -> float:
        at = measured_arrivals(m)[f"location_at_{SNAPSHOT_AGES[k]}w"].to_numpy()
        reached = at >= 0
        # Nobody followed that long says nothing, not "nobody housed": NaN, not 0.
        return _share(np.isin(at[reached], housed_codes)) if reached.any() else float("nan")

    return share


def _group_at(k: int) -> Callable[[NetworkSupportModel], float]:
    def share(m: NetworkSupportModel) -> float:
        at = measured_arrivals(m)[f"group_at_{SNAPSHOT_AGES[k]}w"].to_numpy()
        return _share(at[at >= 0] == 1) if (at >= 0).any() else float("nan")

    return share


#: outcomes measured at an age since arrival: missing (NaN) when no arrival was followed that long
SNAPSHOT_OUTCOMES: tuple[str, ...] = tuple(
    f"{kind}_{age}w" for age in SNAPSHOT_AGES for kind in ("housed", "group")
)

for _k, _age in enumerate(SNAPSHOT_AGES):
    outcome(f"housed_{_age}w", f"In a home {_age} weeks after arrival (among arrivals followed that long)")(
        _housed_at(_k)
    )
    outcome(
        f"group_{_age}w",
        f"Support group (any form) {_age} weeks after arrival (among those followed that long)",
    )(_group_at(_k))


@outcome("followed_52w", "Arrivals followed 52 weeks (how many the 52-week outcomes rest on)", unit="clients")
def followed_52w(m: NetworkSupportModel) -> float:
    at = measured_arrivals(m)["location_at_52w"].to_numpy()
    return float(np.count_nonzero(at >= 0))


@outcome("returned", "Came back to the shelter after an exit (per arrival)")
def returned(m: NetworkSupportModel) -> float:
    return _share(measured_arrivals(m)["returns"].to_numpy() > 0)


@outcome("returning_clients", "Clients in the shelter now who had left it before", weekly=True)
def returning_clients(m: NetworkSupportModel) -> float:
    rows = np.flatnonzero(m.clients.location == Location.SHELTER)
    return _share(m.clients.returns[rows] > 0)


# --- the shelter per year ------------------------------------------------------------------------


@outcome("arrivals_per_year", "Arrivals per year", unit="clients/year")
def arrivals_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "arrivals")


@outcome("turned_away_per_year", "Turned away at the door per year (shelter full)", unit="clients/year")
def turned_away_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "turned_away")


@outcome("gave_up_per_year", "Stopped waiting for a place, per year", unit="clients/year")
def gave_up_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "gave_up")


_ROUTES = [r for r in ExitRoute if r != ExitRoute.NONE]


@outcome("exits_per_year", "Exits from the shelter per year (all routes)", unit="clients/year")
def exits_per_year(m: NetworkSupportModel) -> float:
    return sum(_per_year(m, f"exits_{r.name.lower()}") for r in _ROUTES)


def _exits_by(route: ExitRoute) -> Callable[[NetworkSupportModel], float]:
    return lambda m: _per_year(m, f"exits_{route.name.lower()}")


def _exit_share(route: ExitRoute) -> Callable[[NetworkSupportModel], float]:
    def share(m: NetworkSupportModel) -> float:
        total = exits_per_year(m)
        return _per_year(m, f"exits_{route.name.lower()}") / total if total else 0.0

    return share


for _route in _ROUTES:
    _key = _route.name.lower()
    outcome(f"exits_{_key}_per_year", f"Exits per year: {_key.replace('_', ' ')}", unit="clients/year")(
        _exits_by(_route)
    )
    outcome(f"exit_share_{_key}", f"Share of exits: {_key.replace('_', ' ')}")(_exit_share(_route))


@outcome(
    "returns_per_year",
    "Returns to the shelter per year (home lost, stay broken down, back)",
    unit="clients/year",
)
def returns_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "returns")


@outcome("homes_allocated_per_year", "Homes allocated to the shelter's clients per year", unit="homes/year")
def homes_allocated_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "homes_allocated")


@outcome("homes_lost_per_year", "Homes lost per year", unit="homes/year")
def homes_lost_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "homes_lost")


@outcome("stays_broken_per_year", "Stays with naasten that broke down, per year", unit="stays/year")
def stays_broken_per_year(m: NetworkSupportModel) -> float:
    return _per_year(m, "stays_broken")


@outcome("occupancy", "Occupancy (share of places taken)")
def occupancy(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    return float(weeks["in_shelter"].mean() / m.shelter.places) if len(weeks) else 0.0


@outcome("waiting_for_place", "People waiting outside for a place (mean)", unit="clients")
def waiting_for_place(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    return float(weeks["waiting_for_place"].mean()) if len(weeks) else 0.0


@outcome(
    "mean_stay_weeks", "Mean stay in the shelter (places taken / people taken in per week)", unit="weeks"
)
def mean_stay_weeks(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    taken_in = float(weeks["taken_in"].mean()) if len(weeks) else 0.0
    return float(weeks["in_shelter"].mean() / taken_in) if taken_in > 0 else float(m.week)


# --- cost ------------------------------------------------------------------------------------


@outcome(
    "professional_hours_per_client", "Professional network hours per client so far", unit="hours", weekly=True
)
def professional_hours_per_client(m: NetworkSupportModel) -> float:
    rows = clients_now(m)
    return float(m.clients.hours[:, rows].sum() / len(rows)) if len(rows) else 0.0


def _hours_of(activity: Activity) -> Callable[[NetworkSupportModel], float]:
    def hours(m: NetworkSupportModel) -> float:
        rows = clients_now(m)
        return float(m.clients.hours[activity, rows].sum() / len(rows)) if len(rows) else 0.0

    return hours


for _activity in Activity:
    _key = _activity.name.lower()
    outcome(f"hours_{_key}", f"Professional hours per client: {_key}", unit="hours")(_hours_of(_activity))


@outcome(
    "hours_used_per_client_year",
    "Professional network hours used per client-year in the shelter",
    unit="hours/client-year",
)
def hours_used_per_client_year(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    years = _client_years(weeks)
    return float(weeks["hours_used"].sum()) / years if years else 0.0


@outcome(
    "hours_idle_per_client_year",
    "Professional network hours left unused per client-year",
    unit="hours/client-year",
)
def hours_idle_per_client_year(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    years = _client_years(weeks)
    idle = float((weeks["hours_available"] - weeks["hours_used"]).clip(lower=0).sum())
    return idle / years if years else 0.0


@outcome(
    "weeks_waiting_per_client_year",
    "Weeks waiting for the professional per client-year",
    unit="weeks/client-year",
)
def weeks_waiting_per_client_year(m: NetworkSupportModel) -> float:
    weeks = measured_weeks(m)
    years = _client_years(weeks)
    return float(weeks["waiting_for_professional"].sum()) / years if years else 0.0


@outcome(
    "hours_per_group_formed",
    "Professional hours per support group formed (any form; 0 if none)",
    unit="hours/group",
)
def hours_per_group_formed(m: NetworkSupportModel) -> float:
    a = measured_arrivals(m)
    groups = int(a["ever_group"].sum())
    return float(a["professional_hours"].sum()) / groups if groups else 0.0


# --- per-client table ------------------------------------------------------------------------


def _names(enum: type, codes: np.ndarray, none: int | None = None) -> np.ndarray:
    """Codes as lower-case names (Python strings; the code `none`, if given, as "")."""
    low = min(int(v) for v in enum)
    names = np.array([""] * (max(int(v) for v in enum) - low + 1), dtype=object)
    for v in enum:
        names[int(v) - low] = "" if int(v) == none else v.name.lower()
    return names[np.asarray(codes, dtype=np.int64) - low]


def client_table(m: NetworkSupportModel, rows: np.ndarray | None = None) -> pd.DataFrame:
    """One row per client (all clients in the model, or the given rows) at the current week,
    with the funnel diagnosis. `client` is the client's identity (the same person under every
    strategy with the same seed)."""
    c, t = m.clients, m.ties
    if rows is None:
        rows, ties = np.arange(c.n), np.arange(t.n)
    else:  # only these clients' naasten are counted (a few rows when followed clients leave)
        rows = np.asarray(rows, dtype=np.int64)
        chosen = np.zeros(c.n, dtype=bool)
        chosen[rows] = True
        ties = np.flatnonzero(chosen[t.client])
    owner = t.client[ties]
    status = t.status[ties]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner[np.flatnonzero(mask)], minlength=c.n)[rows]

    active = status == TieStatus.ACTIVE
    reasons = m.no_group_reasons()[rows]
    table = {
        "client": c.uid[rows],
        "record_week": np.full(len(rows), m.week, dtype=np.int32),  # followed until (censoring)
        "arrival_week": c.arrival_week[rows],
        "professional": c.professional[rows],
        "refuses_all": c.refuses_all[rows],
        "accepts_new_ties": c.accepts_new_ties[rows],
        "willingness": c.willingness[rows],
        "stramien_tolerance": c.stramien_tolerance[rows],
        "naasten": np.bincount(owner, minlength=c.n)[rows],
        "active_ties": count(active),
        "dormant_ties": count(status == TieStatus.DORMANT),
        "consented_ties": count(t.consent[ties]),
        "naasten_withdrawn": count(t.ever_withdrew[ties]),
        "ties_built": count(t.built[ties]),
        "group_members": count(t.member[ties] & active),
        "phase": _names(Phase, c.phase[rows]),
        "group_form": _names(GroupForm, c.group_form[rows]),
        "has_support_group": c.group_form[rows] != GroupForm.NONE,
        "formal_group": c.group_form[rows] == GroupForm.FORMAL,
        "formal_group_formed": c.ever_formal[rows],
        "ever_group": c.ever_group[rows],
        "willing": _names(Willing, c.willing[rows]),
        "no_group_reason": _names(NoGroupReason, reasons, none=NoGroupReason.NONE),
        "meetings_held": c.meetings_held[rows],
        "perceived_support": c.perceived_support[rows],
        "eigen_regie": c.eigen_regie[rows],
        "trust": c.trust[rows],
        "rust": c.rust[rows],
        "location": _names(Location, c.location[rows]),
        "housed": c.housed[rows],
        "week_housed": c.week_housed[rows],
        "relapses": c.relapses[rows],
        "exit_route": _names(ExitRoute, c.exit_route[rows], none=ExitRoute.NONE),
        "first_exit_week": c.first_exit_week[rows],
        "exits": c.exits[rows],
        "returns": c.returns[rows],
        "weeks_in_shelter": c.weeks_in_shelter[rows],
        "weeks_waiting": c.weeks_waiting[rows],
        "dropped_out": c.phase[rows] == Phase.DROPPED_OUT,
        "professional_hours": c.hours[:, rows].sum(axis=0),
    }
    for activity in Activity:
        table[f"hours_{activity.name.lower()}"] = c.hours[activity, rows]
    for k, age in enumerate(SNAPSHOT_AGES):
        table[f"location_at_{age}w"] = c.location_at[k, rows]
        table[f"group_at_{age}w"] = c.group_at[k, rows]
    return pd.DataFrame(table)
