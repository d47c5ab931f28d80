"""How network support proceeds for each client, driven by the strategy's knobs.

One process serves every strategy; the knobs decide its path:

* **format** `stramien`: preparation -> investment (interview each consented nominee) -> planning
  -> first meeting -> meetings every `meeting_interval_weeks` -> reorientation. `client_paced`:
  light mapping, then the client and professional ask naasten one at a time, in contact by
  message, and a group exists as soon as it has `min_group_size` members.
* **min_group_size**: naasten needed before a group starts.
* **consent_rule** `up_front`: consent is asked once for the nominees and a refusal blocks the
  group for good; `per_tie_growing`: consent per tie, and it can grow with trust.
* **network_building** `named_only`: only the client's active ties count; `activate_and_build`:
  dormant ties can be reactivated and new ties made.
* **direction** `professional_led` or `client_led` (the latter feeds eigen regie; see `rules.py`).

A client whose process cannot go on (too few ties and no way to find more, or too few consented
naasten and consent closed) is blocked, with the reason recorded for the funnel. Otherwise the
client keeps building. Per-client decisions below run only when something happens to that client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.population import knows_each_other
from simulation.model.state import (
    Activity,
    GroupForm,
    NoGroupReason,
    Phase,
    Relation,
    TieStatus,
    Willing,
)
from simulation.model.strategies import Strategy
from simulation.model.streams import ClientDraw, TieDraw

if TYPE_CHECKING:
    from simulation.model.model import NetworkSupportModel


def first_per_group(groups: np.ndarray, priority: np.ndarray) -> np.ndarray:
    """Positions of the highest-priority element within each group (ties: lowest position)."""
    if len(groups) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((-priority, groups))
    g = groups[order]
    first = np.ones(len(g), dtype=bool)
    first[1:] = g[1:] != g[:-1]
    return order[first]


class SupportProcess:
    """The weekly network work of the professionals and the phases clients move through."""

    def __init__(self, model: NetworkSupportModel) -> None:
        self.model = model
        self.settings = model.strategy.settings
        s = self.settings
        self.stramien = s.format == "stramien"
        self.builds = s.network_building == "activate_and_build"
        self.consent_grows = s.consent_rule == "per_tie_growing"
        mech = model.params.mechanisms
        self.activation_on = self.builds and mech.network_activation
        self.building_on = self.builds and mech.network_building
        self.meeting_held = np.zeros(model.clients.n, dtype=bool)

    # --- taken in, leaving ------------------------------------------------------------------

    def offer(self, rows: np.ndarray) -> None:
        """Clients taken into the shelter are offered network support (not under care as usual):
        preparation, or straight on with the group they still have. A new stay means a new
        professional, who asks for consent again."""
        c = self.model.clients
        if len(self.meeting_held) != c.n:  # this week's meetings, sized to the clients now
            self.meeting_held = np.zeros(c.n, dtype=bool)
        if not self.settings.offers_network_support:
            c.phase[rows] = Phase.NOT_OFFERED
            return
        has_group = c.group_form[rows] != GroupForm.NONE
        c.phase[rows] = np.where(has_group, Phase.GROUP, Phase.PREPARATION)
        c.work_left[rows] = np.where(has_group, 0.0, self.preparation_hours)
        c.consent_closed[rows] = False
        c.reason[rows] = NoGroupReason.NONE
        formal = rows[c.group_form[rows] == GroupForm.FORMAL]
        c.next_meeting_week[formal] = self.model.week

    def leave(self, rows: np.ndarray) -> None:
        """Leaving the shelter ends its network support. Whoever was still on the way to a formal
        group left before it formed (a reason of its own in the funnel); a group in any form
        stays with the client, but a formal group meets no more without its professional."""
        c, t = self.model.clients, self.model.ties
        # a client who once had a formal group (and came back after it ended) did not leave "before"
        on_the_way = c.engaged[rows] & (c.group_form[rows] == GroupForm.NONE) & ~c.ever_formal[rows]
        c.reason[rows[on_the_way]] = NoGroupReason.LEFT_BEFORE_GROUP
        offered = c.phase[rows] != Phase.NOT_OFFERED
        c.phase[rows[offered & c.engaged[rows]]] = Phase.LEFT
        c.work_left[rows] = 0.0
        if len(rows):
            t.nominated[np.concatenate([self.model.ties_of(i) for i in rows.tolist()])] = False

    @property
    def preparation_hours(self) -> float:
        prof = self.model.params.professionals
        return prof.mapping_hours_stramien if self.stramien else prof.mapping_hours_client_paced

    # --- 1. professionals spend their network hours -----------------------------------------

    def request_hours(self) -> np.ndarray:
        """Hours each client's process asks of the professional this week, by activity."""
        c = self.model.clients
        prof = self.model.params.professionals
        week = self.model.week
        rows = np.flatnonzero(c.engaged)  # only clients in network support ask for hours
        req = np.zeros((len(Activity), len(rows)))  # one column per row in `rows`
        cap = prof.max_hours_per_client_week
        phase = c.phase[rows]
        for ph, activity in (
            (Phase.PREPARATION, Activity.MAPPING),
            (Phase.INVESTMENT, Activity.CONTACTING),
            (Phase.PLANNING, Activity.MEETINGS),
        ):
            in_phase = phase == ph
            req[activity, in_phase] = np.minimum(c.work_left[rows[in_phase]], cap)
        building = phase == Phase.BUILDING
        group = phase == Phase.GROUP
        can_ask = self.has_someone_to_ask()[rows]
        req[Activity.COACHING, building] = prof.coaching_hours
        req[Activity.CONTACTING, building & can_ask] = prof.contact_hours
        if self.stramien:
            due = group & (c.next_meeting_week[rows] <= week)
            req[Activity.MEETINGS, due] = prof.meeting_hours
            req[Activity.COACHING, group & ~due] = prof.follow_up_hours
        else:
            req[Activity.COACHING, group] = prof.follow_up_hours
            recruiting = group & can_ask & (self.member_count()[rows] < self.settings.max_nominees)
            req[Activity.CONTACTING, recruiting] = prof.contact_hours
        total = req.sum(axis=0)
        over = total > cap
        if over.any():
            req[:, over] *= cap / total[over]
        everyone = np.zeros((len(Activity), c.n))
        everyone[:, rows] = req
        return everyone

    def spend_hours(self) -> None:
        """Each professional serves their clients first come, first served (the longest in network
        support first), each with the hours they ask, until the week's hours run out; a client
        the professional does not reach this week waits (no work, no exposure to the format)."""
        m = self.model
        c = m.clients
        n = c.n
        self.meeting_held = np.zeros(n, dtype=bool)
        req = self.request_hours()
        total = req.sum(axis=0)
        c.requested[:] = total
        hours = m.params.professionals.network_hours_per_week
        served = np.zeros(n)
        rows = np.flatnonzero((total > 0) & (c.professional >= 0))
        if len(rows):
            order = rows[np.lexsort((c.uid[rows], c.support_since[rows], c.professional[rows]))]
            prof = c.professional[order]
            need = total[order]
            cumulative = np.cumsum(need)
            first = np.ones(len(order), dtype=bool)
            first[1:] = prof[1:] != prof[:-1]
            group_start = np.maximum.accumulate(np.where(first, np.arange(len(order)), 0))
            before = cumulative - need - (cumulative[group_start] - need[group_start])
            served[order] = np.clip((hours - before) / need, 0.0, 1.0)
        c.served[:] = served
        waiting = (total > 0) & (served <= 0)
        c.weeks_waiting += waiting
        spent = req * served
        c.hours += spent
        c.work_left -= np.where(c.in_work_phase, spent.sum(axis=0), 0.0)
        m.flow.add("hours_used", float(spent.sum()))
        m.flow.add("hours_available", hours * m.shelter.n_professionals)
        m.flow.add("waiting_for_professional", int(np.count_nonzero(waiting)))

    # --- 2. strategy actions ----------------------------------------------------------------

    def act(self) -> None:
        """Advance phases, grow consent, activate and build ties, ask naasten, hold meetings."""
        self.finish_work_phases()
        if self.consent_grows:
            self.grow_consent()
        if self.activation_on:
            self.activate_dormant_ties()
        if self.building_on:
            self.build_new_ties()
        if self.stramien:
            self.restart_when_ready()
            self.hold_meetings()
        else:
            self.ask_naasten_one_at_a_time()
            self.update_client_paced_groups()

    def finish_work_phases(self) -> None:
        c = self.model.clients
        done = np.flatnonzero(c.in_work_phase & (c.work_left <= 1e-9))
        if type(self.model.strategy).nominate is Strategy.nominate:
            # the usual nomination: every client finishing preparation at once (what happens to
            # one client touches only their own row and naasten, so the order does not matter)
            preparing = c.phase[done] == Phase.PREPARATION
            self.finish_preparations(done[preparing])
            done = done[~preparing]
        for i, phase in zip(done.tolist(), c.phase[done].tolist(), strict=True):
            if phase == Phase.PREPARATION:
                self.finish_preparation(i)
            elif phase == Phase.INVESTMENT:
                self.finish_investment(i)
            else:
                self.hold_first_meeting(i)

    # per-client events -----------------------------------------------------------------------

    def eligible_ties(self, client: int) -> np.ndarray:
        """Naasten who could be in the group: active ones, plus dormant ones if the strategy
        reactivates ties; never those who already said no or who just withdrew."""
        mine = self.model.ties_of(client)
        return mine[self.eligible(mine)]

    def eligible(self, ties: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Whether each of these naasten (default: all) could be in the group (`eligible_ties`)."""
        t = self.model.ties
        status = t.status[ties]
        ok = status == TieStatus.ACTIVE
        if self.activation_on:
            ok |= status == TieStatus.DORMANT
        return ok & ~t.declined[ties]

    def finish_preparation(self, i: int) -> None:
        """End of the network map: the client nominates naasten and is asked for consent."""
        c, t = self.model.clients, self.model.ties
        mine = self.model.ties_of(i)
        eligible = mine[self.eligible(mine)]  # eligible_ties(i)
        nominees = self.model.strategy.nominate(self.model, i, eligible)
        consented = nominees[t.consent[nominees]]
        # willing: the client allows contact with at least one naaste on the network map
        c.willing[i] = Willing.YES if t.consent[mine].any() else Willing.NO
        if self.settings.consent_rule == "up_front":
            c.consent_closed[i] = True
        self.start_group_work(i, eligible, consented)

    def finish_preparations(self, clients: np.ndarray) -> None:
        """`finish_preparation` for many clients at once, when they nominate as `Strategy.nominate`
        does (their strongest eligible naasten, up to `max_nominees`; equal strengths in network
        order): the same steps on all their naasten together."""
        if len(clients) == 0:
            return
        m = self.model
        c, t = m.clients, m.ties
        networks = [m.ties_of(i) for i in clients.tolist()]
        sizes = np.fromiter(map(len, networks), dtype=np.int64, count=len(networks))
        mine = np.concatenate(networks) if networks else np.zeros(0, dtype=np.int64)
        position = np.repeat(np.arange(len(clients)), sizes)  # whose network each naaste is in
        # willing: the client allows contact with at least one naaste on the network map
        willing = np.bincount(position[t.consent[mine]], minlength=len(clients)) > 0
        c.willing[clients] = np.where(willing, Willing.YES, Willing.NO)
        if self.settings.consent_rule == "up_front":
            c.consent_closed[clients] = True
        keep = self.eligible(mine)
        eligible, owner = mine[keep], position[keep]
        # each client's strongest first (a stable sort within each network), the first few nominated
        order = np.lexsort((-t.strength[eligible], owner))
        eligible, owner = eligible[order], owner[order]
        n_eligible = np.bincount(owner, minlength=len(clients))
        rank = np.arange(len(eligible)) - np.repeat(np.cumsum(n_eligible) - n_eligible, n_eligible)
        nominated = rank < self.settings.max_nominees
        consented = nominated & t.consent[eligible]
        n_consented = np.bincount(owner[consented], minlength=len(clients))
        need = self.settings.min_group_size
        too_few_ties = n_eligible < need
        no_consent = ~too_few_ties & (n_consented < need)
        starts = ~too_few_ties & ~no_consent
        # cannot_start, for both reasons at once
        can_change = np.where(too_few_ties, self.builds, self.consent_grows & ~c.consent_closed[clients])
        stopped = too_few_ties | no_consent
        blocked = stopped & ~can_change
        c.phase[clients[stopped & can_change]] = Phase.BUILDING
        c.phase[clients[blocked]] = Phase.BLOCKED
        c.reason[clients[blocked & too_few_ties]] = NoGroupReason.TOO_FEW_TIES
        c.reason[clients[blocked & no_consent]] = NoGroupReason.NO_CONSENT
        t.member[mine[blocked[position]]] = False  # no group: nobody is a member
        if self.stramien:
            t.nominated[eligible[consented & starts[owner]]] = True
            c.phase[clients[starts]] = Phase.INVESTMENT
            c.work_left[clients[starts]] = m.params.professionals.interview_hours * n_consented[starts]
        else:
            c.phase[clients[starts]] = Phase.BUILDING

    def start_group_work(self, i: int, eligible: np.ndarray, consented: np.ndarray) -> None:
        """Go on to the interviews (stramien) or to asking naasten (client-paced), or stop."""
        c = self.model.clients
        need = self.settings.min_group_size
        if len(eligible) < need:
            self.cannot_start(i, NoGroupReason.TOO_FEW_TIES)
        elif len(consented) < need:
            self.cannot_start(i, NoGroupReason.NO_CONSENT)
        elif self.stramien:
            self.model.ties.nominated[consented] = True
            c.phase[i] = Phase.INVESTMENT
            c.work_left[i] = self.model.params.professionals.interview_hours * len(consented)
        else:
            c.phase[i] = Phase.BUILDING

    def cannot_start(self, i: int, reason: NoGroupReason) -> None:
        """Block the client if nothing can change, else keep building the network.

        Too few ties can change only if the strategy reactivates and builds ties; too few
        consented naasten only if consent can still grow."""
        c = self.model.clients
        if reason == NoGroupReason.TOO_FEW_TIES:
            can_change = self.builds
        else:
            can_change = self.consent_grows and not c.consent_closed[i]
        if can_change:
            c.phase[i] = Phase.BUILDING
        else:
            c.phase[i] = Phase.BLOCKED
            c.reason[i] = reason
            self.model.ties.member[self.model.ties_of(i)] = False  # no group: nobody is a member

    def finish_investment(self, i: int) -> None:
        """After the interviews each nominee decides whether to join the resource group."""
        t = self.model.ties
        nominees = self.model.ties_of(i)
        nominees = nominees[t.nominated[nominees] & ~t.member[nominees]]
        self.ask_to_join(nominees)
        t.nominated[nominees] = False
        members = self.member_count_of(i)
        if members >= self.settings.min_group_size:
            self.model.clients.phase[i] = Phase.PLANNING
            self.model.clients.work_left[i] = self.model.params.professionals.planning_hours
        else:
            self.cannot_start(i, NoGroupReason.TOO_FEW_TIES)

    def hold_first_meeting(self, i: int) -> None:
        """Planning is done: the formal group meets for the first time."""
        c = self.model.clients
        week = self.model.week
        c.phase[i] = Phase.GROUP
        c.group_form[i] = GroupForm.FORMAL
        c.ever_formal[i] = True
        c.ever_group[i] = True
        if c.formal_start_week[i] < 0:
            c.formal_start_week[i] = week
        c.next_meeting_week[i] = week  # held this week, in hold_meetings
        c.reorientation_week[i] = week + self.settings.reorientation_after_weeks

    def ask_to_join(self, ties: np.ndarray) -> np.ndarray:
        """Ask naasten to join; a dormant one can only come back if activation is on, and one who
        withdrew from overload does not join until the burden has faded (then they are dormant)."""
        t = self.model.ties
        if len(ties) == 0:
            return ties
        status = t.status[ties]
        dormant = status == TieStatus.DORMANT
        p = self.join_probability(ties)
        p = np.where(status == TieStatus.WITHDRAWN, 0.0, p)
        if not self.activation_on:
            p = np.where(dormant, 0.0, p)
        joins = self.model.streams.tie[TieDraw.JOIN, ties] < p
        joined = ties[joins]
        self.model.reactivate(joined[dormant[joins]])
        t.member[joined] = True
        t.declined[ties[~joins]] = True
        self.bridge_acquaintances(joined)
        return joined

    def bridge_acquaintances(self, joined: np.ndarray) -> None:
        """New group members make the naasten they know easier to reach (`model.bridge_acquaintances`
        for all of this week's new members at once: the pairs' draws are keyed, so order is moot)."""
        m = self.model
        t = m.ties
        joined = joined[~t.built[joined]]
        if len(joined) == 0:
            return
        owner = t.client[joined]
        networks = [m.ties_of(int(i)) for i in owner]
        counts = np.fromiter(map(len, networks), dtype=np.int64, count=len(networks))
        others = np.concatenate(networks)
        tie = np.repeat(joined, counts)
        pair = (others != tie) & ~t.built[others]
        others, tie = others[pair], tie[pair]
        if len(others) == 0:
            return
        known = knows_each_other(
            m.seed,
            m.clients.uid[np.repeat(owner, counts)[pair]],
            t.slot[tie],
            t.slot[others],
            m.params.population.acquaintance_probability,
        )
        t.bridged[others[known]] = True

    def join_probability(self, ties: np.ndarray) -> np.ndarray:
        """A naaste says yes more readily when close and not already overloaded."""
        t = self.model.ties
        room = np.clip(1.0 - t.burden[ties] / t.threshold[ties], 0.0, 1.0)
        base = self.model.params.naasten.join_probability
        return base * (0.5 + 0.5 * t.strength[ties]) * room

    # weekly, vectorised ----------------------------------------------------------------------

    def engaged_ties(self) -> np.ndarray:
        """Mask over naasten whose client is engaged and got professional time this week."""
        c, t = self.model.clients, self.model.ties
        return (c.engaged & (c.served > 0))[t.client]

    def grow_consent(self) -> None:
        """Consent per tie can grow with trust, slower for clients who refused all contact."""
        c, t = self.model.clients, self.model.ties
        p_cl = self.model.params.clients
        open_to_ask = c.engaged & (c.served > 0) & ~c.consent_closed
        asked = np.flatnonzero(open_to_ask[t.client] & ~t.consent)  # draws and chances for these only
        owner = t.client[asked]
        factor = np.where(c.refuses_all[owner], p_cl.refuser_consent_factor, 1.0)
        p = p_cl.consent_growth_rate * c.trust[owner] * factor * c.served[owner]
        t.consent[asked[self.model.streams.tie[TieDraw.CONSENT, asked] < p]] = True

    def activate_dormant_ties(self) -> None:
        """Network activation: consented dormant ties are brought back into contact."""
        c, t = self.model.clients, self.model.ties
        asked = np.flatnonzero(self.engaged_ties() & (t.status == TieStatus.DORMANT) & t.consent)
        rate = self.settings.activation_rate
        bridge = np.where(t.bridged[asked], self.settings.bridge_factor, 1.0)
        p = rate * (0.5 + t.strength[asked]) * bridge * c.served[t.client[asked]]
        back = asked[self.model.streams.tie[TieDraw.ACTIVATION, asked] < p]
        self.model.reactivate(back)

    def build_new_ties(self) -> None:
        """Network building: a new tie with a peer, an expert by experience or a volunteer."""
        c = self.model.clients
        draws = self.model.streams.client
        p = self.settings.build_rate * c.served
        room = c.engaged & c.accepts_new_ties & (c.built_ties < self.settings.max_built_ties)
        who = np.flatnonzero(room & (draws[ClientDraw.BUILD] < p))
        if len(who) == 0:
            return
        s = self.settings
        peer = draws[ClientDraw.NEW_TIE_RELATION, who] < s.built_tie_peer_share
        spread = s.built_tie_strength_max - s.built_tie_strength_min
        self.model.add_built_ties(
            who,
            relation=np.where(peer, Relation.PEER, Relation.OTHER),
            strength=s.built_tie_strength_min + spread * draws[ClientDraw.NEW_TIE_STRENGTH, who],
            threshold_quantile=draws[ClientDraw.NEW_TIE_THRESHOLD, who],
        )

    def member_count(self) -> np.ndarray:
        """Active group members per client."""
        t = self.model.ties
        members = np.flatnonzero(t.member)  # few naasten are members: look only at those
        members = members[t.status[members] == TieStatus.ACTIVE]
        return np.bincount(t.client[members], minlength=self.model.clients.n)

    def member_count_of(self, i: int) -> int:
        t = self.model.ties
        mine = self.model.ties_of(i)
        return int(np.count_nonzero(t.member[mine] & (t.status[mine] == TieStatus.ACTIVE)))

    def has_someone_to_ask(self) -> np.ndarray:
        """Clients with a naaste to ask to join or a consented dormant tie to bring back."""
        t = self.model.ties
        todo = self.candidates()
        if self.activation_on:
            todo = todo | (t.consent & (t.status == TieStatus.DORMANT))
        return np.bincount(t.client[np.flatnonzero(todo)], minlength=self.model.clients.n) > 0

    def candidates(self) -> np.ndarray:
        """Naasten who may be asked to join: consented, active, not a member, never declined."""
        t = self.model.ties
        return t.consent & (t.status == TieStatus.ACTIVE) & ~t.member & ~t.declined

    def ask_naasten_one_at_a_time(self) -> None:
        """Client-paced: each week the client (with the professional) asks one naaste to join."""
        c, t = self.model.clients, self.model.ties
        owner = t.client
        asking = c.building_or_in_group & (c.served > 0)
        asking &= self.member_count() < self.settings.max_nominees
        mask = self.candidates() & asking[owner]
        idx = np.flatnonzero(mask)
        if len(idx) == 0:
            return
        priority = self.model.strategy.ask_priority(self.model, idx)
        chosen = idx[first_per_group(owner[idx], priority)]
        # a short-handed professional asks with a chance equal to the share of time given
        asked = self.model.streams.client[ClientDraw.ASK, owner[chosen]] < c.served[owner[chosen]]
        chosen = chosen[asked]
        self.ask_to_join(chosen)

    def update_client_paced_groups(self, members: np.ndarray | None = None) -> None:
        """A client-paced group exists while it has enough members: one naaste or a chat group.
        `members`: this week's `member_count()` if the caller has just counted them."""
        c = self.model.clients
        members = self.member_count() if members is None else members
        active = np.flatnonzero(c.building_or_in_group)
        count = members[active]
        enough = count >= self.settings.min_group_size
        c.phase[active] = np.where(enough, Phase.GROUP, Phase.BUILDING)
        c.group_form[active] = np.where(
            enough, np.where(count == 1, GroupForm.SINGLE_NAASTE, GroupForm.WHATSAPP), GroupForm.NONE
        )
        c.ever_group[active[enough]] = True
        self.block_when_nothing_can_change()

    def block_when_nothing_can_change(self) -> None:
        """A client still looking for members, with nobody left to ask and no way to find anyone
        (no activation, no new ties, consent that cannot grow), stops: blocked, with the reason."""
        if self.activation_on or self.building_on:
            return
        c = self.model.clients
        stuck = (c.phase == Phase.BUILDING) & ~self.has_someone_to_ask()
        if self.consent_grows:
            stuck &= c.consent_closed
        for i in np.flatnonzero(stuck):
            eligible = self.eligible_ties(int(i))
            reason = (
                NoGroupReason.TOO_FEW_TIES
                if len(eligible) < self.settings.min_group_size
                else NoGroupReason.NO_CONSENT
            )
            c.phase[i] = Phase.BLOCKED
            c.reason[i] = reason
            self.model.ties.member[self.model.ties_of(int(i))] = False

    def settle_groups(self) -> None:
        """After naasten have withdrawn or drifted away this week: a group's form follows the
        members it has left, and a formal group with no active member left falls apart."""
        c = self.model.clients
        members = self.member_count()
        if self.stramien:
            in_support = c.phase == Phase.GROUP
            for i in np.flatnonzero(in_support & (c.group_form == GroupForm.FORMAL) & (members == 0)):
                self.dissolve(int(i))
        else:
            self.update_client_paced_groups(members)
        # outside the shelter a group is the client's own: it lasts while it has members, and one
        # that is not formal takes the form its members give it (one naaste, or a chat group)
        outside = np.flatnonzero((c.phase == Phase.LEFT) & (c.group_form != GroupForm.NONE))
        informal = outside[c.group_form[outside] != GroupForm.FORMAL]
        c.group_form[informal] = np.where(members[informal] == 1, GroupForm.SINGLE_NAASTE, GroupForm.WHATSAPP)
        c.group_form[outside[members[outside] == 0]] = GroupForm.NONE

    def restart_when_ready(self) -> None:
        """Stramien clients who were building go back to the interviews once enough naasten
        are eligible and consented."""
        c, t = self.model.clients, self.model.ties
        building = c.phase == Phase.BUILDING
        if not building.any():
            return
        ok = t.consent & ~t.declined & ~t.member
        status_ok = t.status == TieStatus.ACTIVE
        if self.activation_on:
            status_ok |= t.status == TieStatus.DORMANT
        counts = np.bincount(t.client[np.flatnonzero(ok & status_ok)], minlength=c.n)
        ready = building & (counts + self.member_count() >= self.settings.min_group_size)
        for i in np.flatnonzero(ready):
            # this time the client nominates among the naasten they already allow to be contacted
            eligible = self.eligible_ties(int(i))
            eligible = eligible[~t.member[eligible] & t.consent[eligible]]
            nominees = self.model.strategy.nominate(self.model, int(i), eligible)
            t.nominated[nominees] = True
            c.phase[i] = Phase.INVESTMENT
            c.work_left[i] = self.model.params.professionals.interview_hours * len(nominees)

    def hold_meetings(self) -> None:
        """Stramien: formal meetings on the fixed interval, new members at meetings, and the
        reorientation; a group with no active member left falls apart."""
        c, t = self.model.clients, self.model.ties
        week = self.model.week
        formal = (c.group_form == GroupForm.FORMAL) & (c.phase == Phase.GROUP)
        self.meeting_held[:] = False
        members = self.member_count()
        gone = np.flatnonzero(formal & (members == 0))
        for i in gone:
            self.dissolve(int(i))
        formal &= members > 0
        due = formal & (c.next_meeting_week <= week)
        held = due & (self.model.streams.client[ClientDraw.MEETING] < c.served)
        met = np.flatnonzero(held)
        self.meeting_held[met] = True
        c.meetings_held[met] += 1
        c.next_meeting_week[met] = week + self.settings.meeting_interval_weeks
        # composition can change at a meeting: consented naasten may be asked to join
        if held.any():
            mask = self.candidates() & held[t.client]
            self.ask_to_join(np.flatnonzero(mask))
        reorient = np.flatnonzero(formal & (c.reorientation_week <= week))
        members = self.member_count()
        for i in reorient:
            if members[i] >= self.settings.min_group_size:
                c.reorientation_week[i] = week + self.settings.reorientation_after_weeks
            else:
                self.dissolve(int(i))

    def dissolve(self, i: int) -> None:
        """The group stops; the client looks for members again if that can change anything."""
        c, t = self.model.clients, self.model.ties
        mine = self.model.ties_of(i)
        t.member[mine] = False
        c.group_form[i] = GroupForm.NONE
        c.next_meeting_week[i] = -1
        c.reorientation_week[i] = -1
        self.cannot_start(i, NoGroupReason.TOO_FEW_TIES)

    # --- end of run -------------------------------------------------------------------------

    def diagnose(self) -> np.ndarray:
        """Why each client ends without a formal group (`NoGroupReason.NONE` if they have one)."""
        c, t = self.model.clients, self.model.ties
        reason = c.reason.copy()
        reason[c.group_form == GroupForm.FORMAL] = NoGroupReason.NONE
        reason[c.phase == Phase.NOT_OFFERED] = NoGroupReason.NOT_OFFERED
        reason[c.phase == Phase.DROPPED_OUT] = NoGroupReason.DROPPED_OUT
        left = (c.phase == Phase.LEFT) & (reason == NoGroupReason.NONE)
        reason[left & (c.group_form == GroupForm.NONE) & ~c.ever_formal] = NoGroupReason.LEFT_BEFORE_GROUP
        other = (c.group_form != GroupForm.NONE) & (c.group_form != GroupForm.FORMAL)
        reason[other] = NoGroupReason.OTHER_FORM
        open_ = (c.in_work_phase | (c.phase == Phase.BUILDING)) & (c.group_form == GroupForm.NONE)
        # per client, as if each one's eligible_ties were counted, all at once
        eligible = self.eligible()
        n_eligible = np.bincount(t.client[np.flatnonzero(eligible)], minlength=c.n)
        n_consented = np.bincount(t.client[np.flatnonzero(eligible & t.consent)], minlength=c.n)
        need = self.settings.min_group_size
        reason[open_] = np.where(
            n_eligible[open_] < need,
            NoGroupReason.TOO_FEW_TIES,
            np.where(n_consented[open_] < need, NoGroupReason.NO_CONSENT, NoGroupReason.IN_PROGRESS),
        )
        return reason
