"""Outcomes, each a small named function of the model, found by name in a registry.

End-of-run outcomes are one number per run (shares are of all clients unless said otherwise);
those marked `weekly` are also recorded every week. `client_table` gives one row per client.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simulation.model.state import (
    Activity,
    GroupForm,
    Housing,
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
    return np.count_nonzero(mask) / len(mask) if len(mask) else 0.0


def _per_client(model: NetworkSupportModel, count: float) -> float:
    return count / model.clients.n


# --- support groups and the funnel ----------------------------------------------------------


@outcome("has_support_group", "Support group (any form)", weekly=True)
def has_support_group(m: NetworkSupportModel) -> float:
    return _share(m.clients.group_form != GroupForm.NONE)


@outcome("formal_group", "Formal resource group", weekly=True)
def formal_group(m: NetworkSupportModel) -> float:
    return _share(m.clients.group_form == GroupForm.FORMAL)


@outcome("willing", "Willing: allows contact with at least one naaste when asked (end of preparation)")
def willing(m: NetworkSupportModel) -> float:
    return _share(m.clients.willing == Willing.YES)


@outcome("formal_group_formed", "Formal group ever formed (first meeting held)")
def formal_group_formed(m: NetworkSupportModel) -> float:
    return _share(m.clients.ever_formal)


@outcome("group_size", "Naasten in the group, among clients with a group", unit="naasten")
def group_size(m: NetworkSupportModel) -> float:
    t = m.ties
    members = np.bincount(t.client[t.member & (t.status == TieStatus.ACTIVE)], minlength=m.clients.n)
    with_group = m.clients.group_form != GroupForm.NONE
    return float(members[with_group].mean()) if with_group.any() else 0.0


def _reason_share(reason: NoGroupReason) -> Callable[[NetworkSupportModel], float]:
    return lambda m: _share(m.no_group_reasons() == reason)


for _reason in (NoGroupReason.TOO_FEW_TIES, NoGroupReason.NO_CONSENT, NoGroupReason.DROPPED_OUT):
    _key = _reason.name.lower()
    outcome(f"no_group_{_key}", f"No formal group: {_key.replace('_', ' ')}")(_reason_share(_reason))


# --- network ---------------------------------------------------------------------------------


@outcome("active_ties", "Active informal ties per client", unit="naasten", weekly=True)
def active_ties(m: NetworkSupportModel) -> float:
    return _per_client(m, np.count_nonzero(m.ties.status == TieStatus.ACTIVE))


@outcome("naasten_overloaded", "Naasten overloaded (share of naasten)", weekly=True)
def naasten_overloaded(m: NetworkSupportModel) -> float:
    t = m.ties
    return _share(t.burden > t.threshold)


@outcome("naasten_withdrawn", "Naasten who withdrew, per client", unit="naasten", weekly=True)
def naasten_withdrawn(m: NetworkSupportModel) -> float:
    return _per_client(m, np.count_nonzero(m.ties.ever_withdrew))


@outcome("ties_reactivated", "Dormant ties reactivated, per client", unit="ties")
def ties_reactivated(m: NetworkSupportModel) -> float:
    return _per_client(m, int(m.ties.reactivations.sum()))


@outcome("ties_built", "New ties built, per client", unit="ties")
def ties_built(m: NetworkSupportModel) -> float:
    return _per_client(m, np.count_nonzero(m.ties.built))


# --- clients ---------------------------------------------------------------------------------


@outcome("perceived_support", "Perceived support (0-1)", unit="0-1", weekly=True)
def perceived_support(m: NetworkSupportModel) -> float:
    return float(m.clients.perceived_support.mean())


@outcome("eigen_regie", "Eigen regie (0-1)", unit="0-1", weekly=True)
def eigen_regie(m: NetworkSupportModel) -> float:
    return float(m.clients.eigen_regie.mean())


@outcome("trust", "Trust in the professional (0-1)", unit="0-1")
def trust(m: NetworkSupportModel) -> float:
    return float(m.clients.trust.mean())


@outcome("rust", "Rust (0-1)", unit="0-1", weekly=True)
def rust(m: NetworkSupportModel) -> float:
    return float(m.clients.rust.mean())


@outcome("dropped_out", "Dropped out of network support", weekly=True)
def dropped_out(m: NetworkSupportModel) -> float:
    return _share(m.clients.phase == Phase.DROPPED_OUT)


# --- housing ---------------------------------------------------------------------------------


@outcome("housed", "Housed", weekly=True)
def housed(m: NetworkSupportModel) -> float:
    return _share(m.clients.housing == Housing.HOUSED)


@outcome("ever_housed", "Ever housed during the run")
def ever_housed(m: NetworkSupportModel) -> float:
    return _share(m.clients.week_housed >= 0)


@outcome("weeks_to_housing", "Weeks to housing (restricted mean; never = run length)", unit="weeks")
def weeks_to_housing(m: NetworkSupportModel) -> float:
    w = m.clients.week_housed
    return float(np.where(w >= 0, w, m.week).mean())


@outcome("relapsed", "Lost housing at least once")
def relapsed(m: NetworkSupportModel) -> float:
    return _share(m.clients.relapses > 0)


# --- cost ------------------------------------------------------------------------------------


@outcome("professional_hours_per_client", "Professional network hours per client", unit="hours", weekly=True)
def professional_hours_per_client(m: NetworkSupportModel) -> float:
    return float(m.clients.hours.sum() / m.clients.n)


def _hours_of(activity: Activity) -> Callable[[NetworkSupportModel], float]:
    return lambda m: float(m.clients.hours[activity].sum() / m.clients.n)


for _activity in Activity:
    _key = _activity.name.lower()
    outcome(f"hours_{_key}", f"Professional hours per client: {_key}", unit="hours")(_hours_of(_activity))


# --- per-client table ------------------------------------------------------------------------


def client_table(m: NetworkSupportModel) -> pd.DataFrame:
    """One row per client at the current week, with the funnel diagnosis."""
    c, t = m.clients, m.ties
    n = c.n
    owner = t.client

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(owner[mask], minlength=n)

    active = t.status == TieStatus.ACTIVE
    reasons = m.no_group_reasons()
    table = {
        "client": np.arange(n),
        "professional": c.professional,
        "refuses_all": c.refuses_all,
        "willingness": c.willingness,
        "stramien_tolerance": c.stramien_tolerance,
        "naasten": count(np.ones(t.n, dtype=bool)),
        "active_ties": count(active),
        "dormant_ties": count(t.status == TieStatus.DORMANT),
        "consented_ties": count(t.consent),
        "naasten_withdrawn": count(t.ever_withdrew),
        "ties_built": count(t.built),
        "group_members": count(t.member & active),
        "phase": [Phase(v).name.lower() for v in c.phase],
        "group_form": [GroupForm(v).name.lower() for v in c.group_form],
        "has_support_group": c.group_form != GroupForm.NONE,
        "formal_group": c.group_form == GroupForm.FORMAL,
        "formal_group_formed": c.ever_formal,
        "willing": [Willing(v).name.lower() for v in c.willing],
        "no_group_reason": [
            "" if r == NoGroupReason.NONE else NoGroupReason(r).name.lower() for r in reasons
        ],
        "meetings_held": c.meetings_held,
        "perceived_support": c.perceived_support,
        "eigen_regie": c.eigen_regie,
        "trust": c.trust,
        "rust": c.rust,
        "housing": [Housing(v).name.lower() for v in c.housing],
        "week_housed": c.week_housed,
        "relapses": c.relapses,
        "dropped_out": c.phase == Phase.DROPPED_OUT,
        "professional_hours": c.hours.sum(axis=0),
    }
    for activity in Activity:
        table[f"hours_{activity.name.lower()}"] = c.hours[activity]
    return pd.DataFrame(table)
