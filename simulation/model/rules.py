"""The weekly rules that hold under every strategy (steps 3 to 5 of the week), and readiness.

Each rule updates the columns of all clients or all naasten at once. A mechanism that is switched
off (`params.mechanisms`) removes its pathway: the quantity it carries is replaced by the client's
starting value, so the level stays but the change no longer flows through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.population import per_relation_array
from simulation.model.state import GroupForm, NoGroupReason, Phase, TieStatus
from simulation.model.streams import ClientDraw, TieDraw

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


def room_left(burden: np.ndarray, threshold: np.ndarray) -> np.ndarray:
    """How much a naaste still has to give: 1 with no burden, 0 when overloaded."""
    return np.clip(1.0 - burden / threshold, 0.0, 1.0)


def perceived_support_target(
    received: np.ndarray, has_group: np.ndarray, scale: float, group_weight: float
) -> np.ndarray:
    """What a client comes to feel: support received (saturating) and having a group at all."""
    from_support = 1.0 - np.exp(-received / scale)
    return (1.0 - group_weight) * from_support + group_weight * has_group


def expected_weekly_support(model: NetworkSupportModel, clients: np.ndarray) -> np.ndarray:
    """Support these clients can expect from their active ties in an ordinary week (no group)."""
    t, p = model.ties, model.params.naasten
    ties = np.concatenate([model.ties_of(int(i)) for i in clients]) if len(clients) else np.zeros(0, int)
    ties = ties[t.status[ties] == TieStatus.ACTIVE]
    rate = per_relation_array(p.contact_rate)[t.relation[ties]] + p.practical_ask_rate
    per_tie = t.strength[ties] * rate * p.support_per_contact
    total = np.bincount(t.client[ties], weights=per_tie, minlength=model.clients.n)
    return total[clients]


# --- 3. support flows over active ties ------------------------------------------------------


#: the five channels of contact, as bits of one small code per naaste (`support_flows`)
CHANNELS = ("ordinary", "practical", "message", "meeting", "hosting")


def channel_tables(model: NetworkSupportModel) -> tuple[np.ndarray, np.ndarray]:
    """Burden asked and contacts made for each combination of channels (code: bit k set when
    channel k of `CHANNELS` is used). The formulas are evaluated on every combination with
    the same array operations as they would be naaste by naaste, so a lookup gives the same
    numbers, bit for bit, at a fraction of the cost of five passes of arithmetic over everyone."""
    p = model.params.naasten
    code = np.arange(2 ** len(CHANNELS))
    ordinary, practical, message, meeting, hosting = ((code >> k) & 1 == 1 for k in range(len(CHANNELS)))
    asked = (
        ordinary * p.burden_contact
        + practical * p.burden_practical
        + message * p.burden_message
        + meeting * p.burden_meeting
        + hosting * model.params.network_exits.burden_stay
    )
    contacts = (
        ordinary
        + (practical | hosting)
        + message * p.support_message_factor
        + meeting * p.support_meeting_factor
    )
    return asked, contacts


def support_flows(model: NetworkSupportModel) -> None:
    """Contact by channel; support given depends on strength and on the burden already carried.
    A naaste the client stays with gives practical support every week and carries the stay."""
    c, t = model.clients, model.ties
    p = model.params.naasten
    draws = model.streams.tie
    owner = t.client
    active = t.status == TieStatus.ACTIVE
    member = t.member & active
    # the client's side of three channels (homeless; a one-naaste or chat group; a meeting held
    # this week) as bits, looked up for every naaste at once
    messaging = (c.group_form == GroupForm.SINGLE_NAASTE) | (c.group_form == GroupForm.WHATSAPP)
    side = c.homeless.view(np.uint8) | (messaging.view(np.uint8) << 1)
    side |= model.process.meeting_held.view(np.uint8) << 2
    side = np.take(side, owner)
    ordinary = active & (draws[TieDraw.CONTACT] < np.take(per_relation_array(p.contact_rate), t.relation))
    practical = active & (side & 1 == 1) & (draws[TieDraw.PRACTICAL_ASK] < p.practical_ask_rate)
    message = member & (side & 2 == 2)
    meeting = member & (side & 4 == 4)
    hosting = t.hosting & active

    code = ordinary.view(np.uint8) | (practical.view(np.uint8) << 1)
    code |= message.view(np.uint8) << 2
    code |= meeting.view(np.uint8) << 3
    code |= hosting.view(np.uint8) << 4
    asked_by_code, contacts_by_code = channel_tables(model)
    t.asked = np.take(asked_by_code, code)
    contacted = code != 0
    t.contacted = contacted
    # support is given over contact only: summed over the naasten in contact (no zeros added)
    ties = np.flatnonzero(contacted)
    room = room_left(t.burden[ties], t.threshold[ties])
    given = np.take(contacts_by_code, code[ties]) * t.strength[ties] * room * p.support_per_contact
    c.received_support[:] = np.bincount(owner[ties], weights=given, minlength=c.n)


# --- 4. naasten: burden, withdrawal, ties weakening -----------------------------------------


def naasten_update(model: NetworkSupportModel) -> None:
    """Burden grows with what is asked and fades otherwise; the overloaded may withdraw;
    ties without contact weaken and, when weak enough, go dormant."""
    t = model.ties
    p = model.params.naasten
    # the columns are changed in place, and each rule only for the naasten it concerns
    status, strength, burden = t.status, t.strength, t.burden
    burden *= 1.0 - p.burden_recovery
    burden += t.asked
    active = status == TieStatus.ACTIVE
    if model.params.mechanisms.naaste_burden:
        over = np.flatnonzero(active & (burden > t.threshold))  # draws only for the overloaded
        withdraws = over[model.streams.tie[TieDraw.WITHDRAW, over] < p.withdraw_probability]
        status[withdraws] = TieStatus.WITHDRAWN
        t.member[withdraws] = False
        t.ever_withdrew[withdraws] = True
        active[withdraws] = False
    withdrawn = np.flatnonzero(status == TieStatus.WITHDRAWN)
    recovered = withdrawn[burden[withdrawn] < p.withdrawn_recovery_level * t.threshold[withdrawn]]
    status[recovered] = TieStatus.DORMANT
    contacted = t.contacted
    closer = np.flatnonzero(contacted)
    strength[closer] += p.strength_gain * (1.0 - strength[closer])
    weaker = np.flatnonzero(active & ~contacted)
    strength[weaker] = np.maximum(strength[weaker] - p.strength_decay, 0.0)
    drifts = weaker[strength[weaker] < p.dormant_threshold]
    status[drifts] = TieStatus.DORMANT
    t.member[drifts] = False


# --- 5. clients: perceived support, trust, eigen regie, rust, dropout -----------------------


def clients_update(model: NetworkSupportModel) -> None:
    """Perceived support follows support received and having a group; network work builds trust
    and (when client-led) eigen regie; rust follows perceived support; misfit drives dropout."""
    c = model.clients
    pc = model.params.clients
    mech = model.params.mechanisms
    settings = model.strategy.settings

    has_group = c.group_form != GroupForm.NONE
    target = perceived_support_target(
        c.received_support, has_group, pc.support_scale, pc.group_support_weight
    )
    c.perceived_support += pc.perceived_support_rate * (target - c.perceived_support)

    worked = c.served  # share of requested professional time given this week (0 if none)
    client_led = settings.direction == "client_led" and mech.eigen_regie
    trust_gain = pc.trust_gain + (pc.trust_gain_client_led if client_led else 0.0)
    c.trust += worked * trust_gain * (1.0 - c.trust)
    if mech.eigen_regie:
        gain = pc.eigen_regie_gain_group * has_group
        if client_led:
            gain = gain + worked * pc.eigen_regie_gain_client_led
        c.eigen_regie += gain * (1.0 - c.eigen_regie)

    support = effective_support(model)
    housed = c.housed
    rust_target = np.clip(
        c.rust_start
        + pc.rust_support_weight * (support - c.perceived_support_start)
        + pc.rust_housed_bonus * housed,
        0.0,
        1.0,
    )
    c.rust += pc.rust_rate * (rust_target - c.rust)

    drop_out(model)


def effective_support(model: NetworkSupportModel) -> np.ndarray:
    """Perceived support as it reaches rust and housing (frozen at the start when knocked out)."""
    c = model.clients
    if model.params.mechanisms.perceived_support:
        return c.perceived_support
    return c.perceived_support_start


def effective_eigen_regie(model: NetworkSupportModel) -> np.ndarray:
    """Eigen regie as it reaches engagement and housing (frozen at the start when knocked out)."""
    c = model.clients
    return c.eigen_regie if model.params.mechanisms.eigen_regie else c.eigen_regie_start


def format_rigidity(model: NetworkSupportModel) -> float:
    pc = model.params.clients
    stramien = model.strategy.settings.format == "stramien"
    return pc.rigidity_stramien if stramien else pc.rigidity_client_paced


def format_exposure(model: NetworkSupportModel) -> np.ndarray:
    """How much of the format a client met this week: a meeting counts fully, a formal group's
    weeks between meetings count less, and otherwise the share of the asked-for work the
    professional did (a week spent waiting for the professional exposes the client to nothing)."""
    c = model.clients
    held = model.process.meeting_held
    quiet = (c.group_form == GroupForm.FORMAL) & ~held
    return np.where(held, 1.0, np.where(quiet, model.params.clients.quiet_week_exposure, c.served))


def dropout_hazard(model: NetworkSupportModel) -> np.ndarray:
    """Weekly chance of leaving network support: a base rate plus misfit between the format's
    rigidity and the client's stramien tolerance, lowered by eigen regie."""
    c = model.clients
    pc = model.params.clients
    hazard = np.full(c.n, pc.base_dropout)
    if model.params.mechanisms.format_fit:
        misfit = np.maximum(0.0, format_rigidity(model) - c.stramien_tolerance)
        hazard += pc.misfit_dropout * misfit * format_exposure(model)
    return hazard * (1.0 - pc.eigen_regie_dropout_protection * effective_eigen_regie(model))


def drop_out(model: NetworkSupportModel) -> None:
    c, t = model.clients, model.ties
    engaged = c.engaged
    if not engaged.any():
        return
    leaves = engaged & (model.streams.client[ClientDraw.DROPOUT] < dropout_hazard(model))
    if not leaves.any():
        return
    rows = np.flatnonzero(leaves)
    c.phase[rows] = Phase.DROPPED_OUT
    c.group_form[rows] = GroupForm.NONE
    c.reason[rows] = NoGroupReason.DROPPED_OUT
    t.member &= ~leaves[t.client]


# --- readiness for a home (used by the housing market and the network's leads) --------------


def readiness(model: NetworkSupportModel) -> np.ndarray:
    """Housing readiness: rust, eigen regie and perceived support, weighted."""
    c = model.clients
    h = model.params.housing
    return (
        h.readiness_weight_rust * c.rust
        + h.readiness_weight_eigen_regie * effective_eigen_regie(model)
        + h.readiness_weight_support * effective_support(model)
    )
