"""All model parameters in one typed place, each with a default, a unit, a range and its evidence.

A scenario file (YAML) is validated against `ScenarioParams`: an unknown key, a wrong type or a value
out of range is refused. Sections follow the conceptual model: the population (clients and their
networks), naasten, professionals, client dynamics, housing, the mechanism switches and any extra
strategies the scenario defines. `docs/parameters.md` is generated from these classes.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from simulation.model.evidence import SOURCES, Evidence


def param(
    default: Any,
    doc: str,
    *,
    evidence: Evidence,
    ref: str | None = None,
    unit: str = "",
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
) -> Any:
    """A parameter field with its evidence tag (source, calibrated or assumption) and unit."""
    if ref is not None and ref not in SOURCES:
        raise KeyError(f"unknown evidence reference {ref!r}")
    if evidence is Evidence.SOURCE and ref is None:
        raise ValueError("a parameter tagged 'source' needs a reference")
    extra = {"evidence": evidence.value, "ref": ref or "", "unit": unit}
    return Field(default, description=doc, ge=ge, gt=gt, le=le, lt=lt, json_schema_extra=extra)


class Section(BaseModel):
    """Base for every parameter block: strict types, no unknown keys, immutable once built."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)


A = Evidence.ASSUMPTION
S = Evidence.SOURCE
C = Evidence.CALIBRATED


class RelationMix(Section):
    """Share of each relation among a client's naasten (must sum to 1)."""

    family: float = param(
        0.40,
        "share of naasten who are family",
        evidence=A,
        ref="eyrich2003",
        unit="share",
        ge=0,
        le=1,
    )
    friend: float = param(
        0.35,
        "share of naasten who are friends",
        evidence=A,
        ref="kingcounty2024",
        unit="share",
        ge=0,
        le=1,
    )
    peer: float = param(
        0.15,
        "share who are peers with homelessness experience",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )
    other: float = param(
        0.10,
        "share who are volunteers, neighbours or others",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _sums_to_one(self) -> RelationMix:
        total = self.family + self.friend + self.peer + self.other
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"relation shares must sum to 1, got {total:.3f}")
        return self


class PerRelation(Section):
    """A value for each relation type (family, friend, peer, other)."""

    family: float = Field(ge=0, le=1)
    friend: float = Field(ge=0, le=1)
    peer: float = Field(ge=0, le=1)
    other: float = Field(ge=0, le=1)


def per_relation(
    family: float,
    friend: float,
    peer: float,
    other: float,
    doc: str,
    *,
    evidence: Evidence,
    ref: str | None = None,
    unit: str = "share",
) -> Any:
    """A `PerRelation` field with one evidence tag for the four values."""
    value = PerRelation(family=family, friend=friend, peer=peer, other=other)
    return param(value, doc, evidence=evidence, ref=ref, unit=unit)


class PopulationParams(Section):
    """Who is in the shelter: clients, their informal networks and their starting states."""

    n_clients: int = param(
        200,
        "places in the shelter (open shelter: it starts full) or clients in the cohort (cohort design)",
        evidence=A,
        unit="clients",
        ge=1,
        le=200_000,
    )
    network_size_mean: float = param(
        6.0,
        "mean number of naasten (active and dormant) among clients who have any",
        evidence=A,
        ref="kingcounty2024",
        unit="naasten",
        ge=0,
        le=100,
    )
    network_size_dispersion: float = param(
        1.5,
        "negative-binomial dispersion of network size (smaller = more unequal)",
        evidence=A,
        unit="-",
        gt=0,
        le=1000,
    )
    share_no_naasten: float = param(
        0.12,
        "share of clients with no naasten at all",
        evidence=A,
        ref="vanderent2024",
        unit="share",
        ge=0,
        le=1,
    )
    relation_mix: RelationMix = param(
        RelationMix(),
        "relation of each naaste to the client",
        evidence=A,
        ref="eyrich2003",
    )
    share_dormant: PerRelation = per_relation(
        0.45,
        0.30,
        0.30,
        0.30,
        "share of ties dormant (estranged, no contact) at the start",
        evidence=A,
        ref="vanderent2024",
    )
    tie_strength_mean: float = param(
        0.5,
        "mean strength of an active tie (0 = weak, 1 = very close)",
        evidence=A,
        unit="0-1",
        ge=0.01,
        le=0.99,
    )
    dormant_strength_factor: float = param(
        0.5,
        "strength of a dormant tie relative to an active one",
        evidence=A,
        unit="ratio",
        ge=0,
        le=1,
    )
    refusal_share: float = param(
        0.22,
        "share of clients who refuse all contact with their naasten",
        evidence=A,
        ref="cohen2013",
        unit="share",
        ge=0,
        le=1,
    )
    willingness_mean: float = param(
        0.8,
        "mean willingness of other clients to let a naaste be contacted",
        evidence=A,
        unit="0-1",
        ge=0.01,
        le=1,
    )
    consent_by_relation: PerRelation = per_relation(
        0.6,
        1.0,
        1.0,
        1.0,
        "relative chance of consent by relation (someone may allow a friend but not family)",
        evidence=A,
        ref="cohen2013",
        unit="factor",
    )
    stramien_tolerance_mean: float = param(
        0.45,
        "mean fit with a fixed structure (stramien tolerance)",
        evidence=A,
        ref="snf2023",
        unit="0-1",
        ge=0.01,
        le=0.99,
    )
    eigen_regie_mean: float = param(
        0.35,
        "mean eigen regie (self-direction) at the start",
        evidence=A,
        unit="0-1",
        ge=0.01,
        le=0.99,
    )
    trust_mean: float = param(
        0.4,
        "mean trust in the professional at the start",
        evidence=A,
        unit="0-1",
        ge=0.01,
        le=0.99,
    )
    rust_mean: float = param(
        0.35,
        "mean rust (calm, stability) at the start",
        evidence=A,
        unit="0-1",
        ge=0.01,
        le=0.99,
    )
    trait_concentration: float = param(
        6.0,
        "concentration of the beta distributions of client traits (larger = less spread)",
        evidence=A,
        unit="-",
        gt=0.5,
        le=1000,
    )
    acquaintance_probability: float = param(
        0.3,
        "chance that two naasten of the same client know each other",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )


class NaastenParams(Section):
    """How naasten give support, carry burden, withdraw and drift away."""

    contact_rate: PerRelation = per_relation(
        0.45,
        0.40,
        0.45,
        0.25,
        "weekly chance of an ordinary contact with an active naaste",
        evidence=A,
        unit="per week",
    )
    practical_ask_rate: float = param(
        0.08,
        "weekly chance a client in shelter asks an active naaste for practical help (a couch, money, mail)",
        evidence=A,
        ref="dewit2023",
        unit="per week",
        ge=0,
        le=1,
    )
    burden_practical: float = param(
        1.0,
        "burden of one practical ask (a night on the couch)",
        evidence=A,
        ref="vanderent2024",
        unit="burden",
        ge=0,
        le=10,
    )
    burden_meeting: float = param(
        1.0,
        "burden of attending one formal steungroep meeting",
        evidence=A,
        unit="burden",
        ge=0,
        le=10,
    )
    burden_contact: float = param(
        0.25,
        "burden of an ordinary or in-person contact",
        evidence=A,
        unit="burden",
        ge=0,
        le=10,
    )
    burden_message: float = param(
        0.05,
        "burden of a WhatsApp-style message exchange",
        evidence=A,
        unit="burden",
        ge=0,
        le=10,
    )
    burden_recovery: float = param(
        0.3,
        "share of accumulated burden that fades each week",
        evidence=A,
        unit="per week",
        gt=0,
        le=1,
    )
    overload_threshold_mean: float = param(
        2.5,
        "mean burden at which a naaste is overloaded",
        evidence=A,
        ref="vanderent2024",
        unit="burden",
        gt=0,
        le=100,
    )
    overload_threshold_shape: float = param(
        4.0,
        "gamma shape of the overload threshold across naasten",
        evidence=A,
        unit="-",
        gt=0,
        le=1000,
    )
    withdraw_probability: float = param(
        0.35,
        "weekly chance an overloaded naaste withdraws (the tie goes dormant)",
        evidence=A,
        ref="vanderent2024",
        unit="per week",
        ge=0,
        le=1,
    )
    support_message_factor: float = param(
        0.5,
        "support of a message exchange relative to an ordinary contact",
        evidence=A,
        unit="ratio",
        ge=0,
        le=10,
    )
    support_meeting_factor: float = param(
        2.0,
        "support of a formal meeting relative to an ordinary contact (the whole group mobilised)",
        evidence=A,
        unit="ratio",
        ge=0,
        le=10,
    )
    withdrawn_recovery_level: float = param(
        0.5,
        "a withdrawn naaste becomes dormant (reachable again) once burden falls below this share of "
        "the overload threshold",
        evidence=A,
        unit="share",
        gt=0,
        le=1,
    )
    support_per_contact: float = param(
        1.0,
        "support from one contact with a tie of strength 1 and no burden",
        evidence=A,
        unit="support",
        ge=0,
        le=10,
    )
    strength_gain: float = param(
        0.05,
        "tie strength gained per week with contact (towards 1)",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    strength_decay: float = param(
        0.01,
        "tie strength lost per week without contact",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    dormant_threshold: float = param(
        0.08,
        "an active tie weaker than this goes dormant",
        evidence=A,
        unit="0-1",
        ge=0,
        le=1,
    )
    reactivated_strength: float = param(
        0.3,
        "strength a reactivated tie comes back with (at least)",
        evidence=A,
        unit="0-1",
        ge=0,
        le=1,
    )
    join_probability: float = param(
        0.95,
        "chance a naaste agrees to join a group when asked, at full strength and no burden",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )


class ProfessionalParams(Section):
    """Network professionals (netwerkondersteuners): caseload, hours, and hours per activity."""

    caseload: int = param(
        15,
        "caseload limit: most clients one professional works with; the team has one professional "
        "per this many places",
        evidence=A,
        unit="clients",
        ge=1,
        le=1000,
    )
    network_hours_per_week: float = param(
        6.0,
        "weekly hours a professional has for network work",
        evidence=A,
        unit="hours/week",
        ge=0,
        le=40,
    )
    max_hours_per_client_week: float = param(
        3.0,
        "most network hours a professional spends on one client in a week",
        evidence=A,
        unit="hours",
        gt=0,
        le=40,
    )
    mapping_hours_stramien: float = param(
        6.0,
        "preparation under the stramien: network map, 2+2 goals, crisis plan",
        evidence=A,
        ref="tjaden2019",
        unit="hours",
        ge=0,
        le=200,
    )
    mapping_hours_client_paced: float = param(
        2.0,
        "light network mapping under client-paced support",
        evidence=A,
        unit="hours",
        ge=0,
        le=200,
    )
    interview_hours: float = param(
        1.5,
        "investment phase: interview with one nominated naaste",
        evidence=A,
        ref="tjaden2019",
        unit="hours",
        ge=0,
        le=100,
    )
    planning_hours: float = param(
        2.0,
        "planning the first meeting (date, agenda, chair, channel)",
        evidence=A,
        ref="tjaden2019",
        unit="hours",
        ge=0,
        le=100,
    )
    meeting_hours: float = param(
        3.0,
        "preparing, holding and reporting one formal meeting",
        evidence=A,
        unit="hours",
        ge=0,
        le=100,
    )
    coaching_hours: float = param(
        0.5,
        "weekly coaching of an engaged client (client-paced support)",
        evidence=A,
        unit="hours/week",
        ge=0,
        le=40,
    )
    contact_hours: float = param(
        0.5,
        "contacting one naaste (call, visit, message)",
        evidence=A,
        unit="hours",
        ge=0,
        le=40,
    )
    follow_up_hours: float = param(
        0.25,
        "weekly follow-up of a client with a formal group between meetings",
        evidence=A,
        unit="hours/week",
        ge=0,
        le=40,
    )
    hourly_cost: float = param(
        80.0,
        "full cost of one professional hour (salary, overhead, travel), for the report's euros; "
        "Dutch hourly rates for ambulatory support (ambulante begeleiding) lie roughly between 60 and 100",
        evidence=A,
        unit="euro/hour",
        ge=0,
        le=1000,
    )
    hours_per_fte: float = param(
        36.0,
        "working hours per week of one full-time professional (FTE) in Dutch social work",
        evidence=A,
        unit="hours/week",
        gt=0,
        le=60,
    )


class ClientParams(Section):
    """How clients' perceived support, trust, eigen regie, consent, rust and engagement change."""

    support_scale: float = param(
        1.5,
        "weekly support at which received support is 63% of its maximum effect",
        evidence=A,
        unit="support",
        gt=0,
        le=100,
    )
    group_support_weight: float = param(
        0.3,
        "part of perceived support that comes from having a group at all",
        evidence=A,
        ref="snf2023",
        unit="share",
        ge=0,
        le=1,
    )
    perceived_support_rate: float = param(
        0.1,
        "weekly adjustment of perceived support towards what is received",
        evidence=A,
        unit="per week",
        gt=0,
        le=1,
    )
    trust_gain: float = param(
        0.01,
        "weekly trust gained from network work with the professional",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    trust_gain_client_led: float = param(
        0.015,
        "extra weekly trust gained when the work is client-led",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    eigen_regie_gain_client_led: float = param(
        0.004,
        "weekly gain in eigen regie when the work is client-led",
        evidence=A,
        ref="tjaden2021",
        unit="per week",
        ge=0,
        le=1,
    )
    eigen_regie_gain_group: float = param(
        0.003,
        "weekly gain in eigen regie while the client has a support group (the aim of the "
        "resource group: the client becomes its manager)",
        evidence=A,
        ref="ract",
        unit="per week",
        ge=0,
        le=1,
    )
    consent_growth_rate: float = param(
        0.04,
        "weekly chance per tie that consent is given, times trust (consent that can grow)",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    refuser_consent_factor: float = param(
        0.25,
        "how much slower consent grows for clients who refused all contact",
        evidence=A,
        unit="factor",
        ge=0,
        le=1,
    )
    rust_rate: float = param(
        0.05,
        "weekly adjustment of rust towards its target",
        evidence=A,
        unit="per week",
        gt=0,
        le=1,
    )
    rust_support_weight: float = param(
        0.5,
        "weight of perceived support in the rust target",
        evidence=A,
        ref="lachaud2024",
        unit="weight",
        ge=0,
        le=2,
    )
    rust_housed_bonus: float = param(
        0.25,
        "rise of the rust target once housed",
        evidence=A,
        unit="0-1",
        ge=0,
        le=1,
    )
    base_dropout: float = param(
        0.002,
        "weekly chance of dropping out of network support, whatever the format",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    misfit_dropout: float = param(
        0.02,
        "extra weekly dropout per unit of misfit between format rigidity and tolerance",
        evidence=A,
        ref="snf2023",
        unit="per week",
        ge=0,
        le=1,
    )
    quiet_week_exposure: float = param(
        0.25,
        "how much a week with a formal group but no meeting exposes the client to the "
        "format (1 = a week of phase work or a meeting)",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )
    rigidity_stramien: float = param(
        0.8,
        "how much fixed structure the strict stramien demands",
        evidence=A,
        ref="snf2023",
        unit="0-1",
        ge=0,
        le=1,
    )
    rigidity_client_paced: float = param(
        0.2,
        "how much fixed structure client-paced support demands",
        evidence=A,
        unit="0-1",
        ge=0,
        le=1,
    )
    refuser_accepts_new_tie: float = param(
        0.5,
        "share of the clients who refuse all contact with their naasten who do accept a new tie "
        "with a peer or volunteer",
        evidence=A,
        ref="snf2023",
        unit="share",
        ge=0,
        le=1,
    )
    eigen_regie_dropout_protection: float = param(
        0.6,
        "share of dropout risk removed at full eigen regie",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )


AllocationRule = Literal["waiting_time", "readiness", "lottery"]


class HousingParams(Section):
    """Homes: who is ready, how the scarce homes are allocated, and losing a home again."""

    homes_per_week: float = param(
        1.65,
        "homes the housing market offers the shelter's clients per week (social housing, "
        "urgency, Housing First places); too few affordable homes is why stays are long"
        " (calibrated: housed_130w, exit_share_home, exit_share_unknown, stay_weeks; calibration/posterior)",
        evidence=C,
        ref="legerdesheils2023",
        unit="homes/week",
        ge=0,
        le=10_000,
    )
    allocation: AllocationRule = param(
        "waiting_time",
        "how homes go to clients in the housing queue: waiting_time (longest in the queue first), "
        "readiness (most ready first) or lottery (a draw weighted by readiness)",
        evidence=A,
    )
    rate_at_zero_readiness: float = param(
        0.01,
        "weekly chance a client in the shelter at readiness 0 becomes ready for a home and joins the "
        "housing queue",
        evidence=A,
        ref="vanstraaten2016",
        unit="per week",
        ge=0,
        le=1,
    )
    rate_at_full_readiness: float = param(
        0.05,
        "weekly chance a client in the shelter at readiness 1 becomes ready for a home and joins the "
        "housing queue",
        evidence=A,
        ref="vanstraaten2016",
        unit="per week",
        ge=0,
        le=1,
    )
    readiness_weight_rust: float = param(
        0.4,
        "weight of rust in housing readiness",
        evidence=A,
        unit="weight",
        ge=0,
        le=1,
    )
    readiness_weight_eigen_regie: float = param(
        0.3,
        "weight of eigen regie in housing readiness",
        evidence=A,
        unit="weight",
        ge=0,
        le=1,
    )
    readiness_weight_support: float = param(
        0.3,
        "weight of perceived support in housing readiness",
        evidence=A,
        unit="weight",
        ge=0,
        le=1,
    )
    relapse_rate: float = param(
        0.005,
        "weekly chance of losing housing with no perceived support",
        evidence=A,
        ref="boesveldt2024",
        unit="per week",
        ge=0,
        le=1,
    )
    relapse_support_protection: float = param(
        0.6,
        "share of relapse risk removed at full perceived support",
        evidence=A,
        ref="boesveldt2024",
        unit="share",
        ge=0,
        le=1,
    )

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> HousingParams:
        total = self.readiness_weight_rust + self.readiness_weight_eigen_regie + self.readiness_weight_support
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"readiness weights must sum to 1, got {total:.3f}")
        return self


ShelterMode = Literal["open", "cohort"]
WhenFull = Literal["wait", "turn_away"]


class ShelterParams(Section):
    """The shelter as a flow: arrivals, places, leaving for an unknown destination, coming back."""

    mode: ShelterMode = param(
        "open",
        "open: clients arrive every week into a shelter with n_clients places and leave by routes; "
        "cohort: n_clients clients all arrive at week 0 and are followed (as cohort studies do)",
        evidence=A,
    )
    arrivals_per_week: float = param(
        3.5,
        "mean arrivals per week (Poisson), newcomers and people coming back after a long time away",
        evidence=A,
        ref="traverse2019",
        unit="clients/week",
        ge=0,
        le=10_000,
    )
    when_full: WhenFull = param(
        "wait",
        "when every place is taken: arrivals wait outside for a place (wait) or are turned away",
        evidence=A,
        ref="traverse2019",
    )
    waiting_give_up_rate: float = param(
        0.1,
        "weekly chance that someone waiting for a place stops waiting (street, another city)",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    warmup_weeks: int = param(
        104,
        "open shelter: weeks run before measuring, so the clients who filled the shelter at the "
        "start (all starting network support at once) have mostly moved on",
        evidence=A,
        unit="weeks",
        ge=0,
        le=2600,
    )
    leave_rate: float = param(
        0.0186,
        "weekly chance that a client at rust 0 leaves the shelter for an unknown destination"
        " (calibrated: housed_130w, exit_share_home, exit_share_unknown, stay_weeks; calibration/posterior)",
        evidence=C,
        ref="traverse2019",
        unit="per week",
        ge=0,
        le=1,
    )
    leave_rust_protection: float = param(
        0.5,
        "share of the chance of leaving for an unknown destination removed at full rust",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )
    return_rate: float = param(
        0.00612,
        "weekly chance that someone who left for an unknown destination comes back to the shelter"
        " (calibrated: housed_130w, exit_share_home, exit_share_unknown, stay_weeks; calibration/posterior)",
        evidence=C,
        ref="boesveldt2024",
        unit="per week",
        ge=0,
        le=1,
    )
    care_rate: float = param(
        0.0,
        "weekly chance that a client in the shelter moves on to supported housing or a care place "
        "(beschermd wonen, a clinic): part of the exits the source counts as 'other'; its own "
        "waiting lists, which network support does not change",
        evidence=A,
        ref="traverse2019",
        unit="per week",
        ge=0,
        le=1,
    )
    care_end_rate: float = param(
        0.004,
        "weekly chance that a supported-housing or care place ends and the client comes back to the "
        "shelter (about 1 in 5 within a year)",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    follow_up_weeks: int = param(
        156,
        "open shelter: weeks a client is followed after leaving the shelter (returns, relapse); "
        "then they leave the model",
        evidence=A,
        unit="weeks",
        ge=1,
        le=5200,
    )


class NetworkExitParams(Section):
    """Naasten as a place to stay and as a way into housing, outside the allocation queue."""

    stay_offer_rate: float = param(
        0.00566,
        "weekly chance that an active naaste of strength 1 with no burden offers a client in the "
        "shelter a place to stay"
        " (calibrated: housed_130w, exit_share_home, exit_share_unknown, stay_weeks; calibration/posterior)",
        evidence=C,
        ref="dewit2023",
        unit="per week",
        ge=0,
        le=1,
    )
    stay_offer_by_relation: PerRelation = per_relation(
        1.0,
        0.8,
        0.2,
        0.2,
        "relative chance of offering a place to stay, by relation (peers and others rarely have room)",
        evidence=A,
        ref="dewit2023",
        unit="factor",
    )
    member_factor: float = param(
        2.0,
        "how much likelier a member of the client's support group offers a stay or a lead to a home",
        evidence=A,
        unit="factor",
        ge=0,
        le=10,
    )
    burden_stay: float = param(
        0.8,
        "burden on the host of one week with the client staying (a heavy, daily practical ask)",
        evidence=A,
        ref="vanderent2024",
        unit="burden/week",
        ge=0,
        le=10,
    )
    stay_breakdown_probability: float = param(
        0.5,
        "weekly chance that an overloaded host ends the stay (the client returns to the shelter)",
        evidence=A,
        ref="vanderent2024",
        unit="per week",
        ge=0,
        le=1,
    )
    home_lead_rate: float = param(
        0.000782,
        "weekly chance that an active naaste of strength 1 leads a client at readiness 1 to a room "
        "or home outside the allocation queue"
        " (calibrated: housed_130w, exit_share_home, exit_share_unknown, stay_weeks; calibration/posterior)",
        evidence=C,
        ref="traverse2019",
        unit="per week",
        ge=0,
        le=1,
    )


class PeerParams(Section):
    """The organisation's pool of peers (ervaringsdeskundigen) and volunteers (maatjes) for new ties."""

    experts_by_experience: int = param(
        8,
        "experts by experience (ervaringsdeskundigen) available to be matched with clients",
        evidence=A,
        unit="people",
        ge=0,
        le=100_000,
    )
    volunteers: int = param(
        20,
        "volunteers (maatjes) available to be matched with clients",
        evidence=A,
        unit="people",
        ge=0,
        le=100_000,
    )
    clients_each: int = param(
        3,
        "clients one expert or volunteer can be matched with at a time",
        evidence=A,
        unit="clients",
        ge=1,
        le=100,
    )
    match_weeks: int = param(
        52,
        "weeks a match lasts; then the place is free for another client (the tie may stay)",
        evidence=A,
        unit="weeks",
        ge=1,
        le=1040,
    )


class Mechanisms(Section):
    """Named pathways of the rules; switching one off removes exactly that pathway (a knockout)."""

    network_activation: bool = param(
        True,
        "dormant ties can be brought back into contact",
        evidence=A,
    )
    network_building: bool = param(
        True,
        "new ties can be made (peers, experts by experience, volunteers)",
        evidence=A,
    )
    eigen_regie: bool = param(
        True,
        "client control builds eigen regie, trust, consent and engagement",
        evidence=A,
    )
    format_fit: bool = param(
        True,
        "a poor fit between format and stramien tolerance drives dropout",
        evidence=A,
    )
    perceived_support: bool = param(
        True,
        "perceived support drives rust, housing readiness and protects against relapse",
        evidence=A,
    )
    naaste_burden: bool = param(
        True,
        "an overloaded naaste withdraws",
        evidence=A,
    )
    housing_market: bool = param(
        True,
        "homes are scarce: a fixed supply per week is allocated among the clients who are ready "
        "(off: every client who is ready gets a home at once)",
        evidence=A,
    )
    network_stays: bool = param(
        True,
        "naasten offer a place to stay and lead clients to rooms or homes outside the queue",
        evidence=A,
    )
    peer_pool: bool = param(
        True,
        "new ties come from a finite pool of peers and volunteers (off: the supply is unlimited)",
        evidence=A,
    )


ConsentRule = Literal["up_front", "per_tie_growing"]
Format = Literal["stramien", "client_paced"]
NetworkBuilding = Literal["named_only", "activate_and_build"]
Direction = Literal["professional_led", "client_led"]


class StrategySettings(Section):
    """The knobs that make a strategy; strict and flexible differ only in these values."""

    description: str = Field("", description="one sentence for tables and reports")
    offers_network_support: bool = param(
        True,
        "whether the strategy does any network work at all",
        evidence=A,
    )
    min_group_size: int = param(
        2,
        "naasten needed in the group before it starts (the professional comes on top)",
        evidence=A,
        ref="ract",
        unit="naasten",
        ge=1,
        le=50,
    )
    consent_rule: ConsentRule = param(
        "up_front",
        "up_front: asked once for the nominees, refusal blocks the group; "
        "per_tie_growing: per tie, and can grow with trust",
        evidence=A,
        ref="snf2023",
    )
    format: Format = param(
        "stramien",
        "stramien: the six phases with formal meetings on a fixed interval; "
        "client_paced: client-paced contact including WhatsApp",
        evidence=A,
        ref="tjaden2019",
    )
    network_building: NetworkBuilding = param(
        "named_only",
        "named_only: only the client's active named ties; activate_and_build: also "
        "reactivate dormant ties and make new ones",
        evidence=A,
        ref="snf2023",
    )
    direction: Direction = param(
        "professional_led",
        "who directs the work: the professional or the client (eigen regie)",
        evidence=A,
        ref="ract",
    )
    meeting_interval_weeks: int = param(
        13,
        "weeks between formal meetings (quarterly in the Dutch trial)",
        evidence=S,
        ref="tjaden2021",
        unit="weeks",
        ge=1,
        le=104,
    )
    reorientation_after_weeks: int = param(
        52,
        "weeks after the first meeting when the group's composition is reconsidered",
        evidence=A,
        ref="tjaden2019",
        unit="weeks",
        ge=1,
        le=520,
    )
    max_nominees: int = param(
        6,
        "most naasten nominated or approached for one group",
        evidence=A,
        unit="naasten",
        ge=1,
        le=100,
    )
    build_rate: float = param(
        0.02,
        "weekly chance of making a new tie while building the network",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    max_built_ties: int = param(
        2,
        "most new ties made for one client",
        evidence=A,
        unit="ties",
        ge=0,
        le=50,
    )
    activation_rate: float = param(
        0.04,
        "weekly chance a consented dormant tie of strength 0.5 is brought back (scaled by "
        "0.5 + strength, times bridge_factor if it knows a group member)",
        evidence=A,
        unit="per week",
        ge=0,
        le=1,
    )
    bridge_factor: float = param(
        2.0,
        "how much likelier a dormant tie is brought back when it knows a group member (via-via)",
        evidence=A,
        unit="factor",
        ge=1,
        le=10,
    )
    built_tie_strength_min: float = param(
        0.2, "weakest starting strength of a new tie", evidence=A, unit="0-1", ge=0, le=1
    )
    built_tie_strength_max: float = param(
        0.5, "strongest starting strength of a new tie", evidence=A, unit="0-1", ge=0, le=1
    )
    built_tie_peer_share: float = param(
        0.5,
        "share of new ties with peers or experts by experience (the rest volunteers and others)",
        evidence=A,
        unit="share",
        ge=0,
        le=1,
    )

    #: a scenario's strategy block lists only changes; its knobs are checked together once merged
    #: with its base strategy's (see strategies.block_settings)
    _check_together: ClassVar[bool] = True

    @model_validator(mode="after")
    def _knobs_fit_together(self) -> StrategySettings:
        if not self._check_together:
            return self
        if self.built_tie_strength_min > self.built_tie_strength_max:
            raise ValueError("built_tie_strength_min must not exceed built_tie_strength_max")
        if self.min_group_size > self.max_nominees:
            raise ValueError(
                f"min_group_size ({self.min_group_size}) must not exceed max_nominees ({self.max_nominees}): "
                "a group could never reach its minimum"
            )
        return self


class StrategyBlock(StrategySettings):
    """A strategy defined in a scenario file: a registered strategy to start from, plus changes."""

    _check_together: ClassVar[bool] = False

    base: str = Field(description="name of the registered strategy whose behaviour and knobs to start from")


class ScenarioParams(Section):
    """A complete scenario: the world the strategies are tried in."""

    name: str = Field("default", description="short name of the scenario")
    description: str = Field("", description="one line saying what the scenario is for")
    weeks: int = param(
        104,
        "weeks to simulate and measure (one step is one week); the open shelter runs its warm-up first",
        evidence=A,
        unit="weeks",
        ge=1,
        le=5200,
    )
    population: PopulationParams = PopulationParams()
    naasten: NaastenParams = NaastenParams()
    professionals: ProfessionalParams = ProfessionalParams()
    clients: ClientParams = ClientParams()
    housing: HousingParams = HousingParams()
    shelter: ShelterParams = ShelterParams()
    network_exits: NetworkExitParams = NetworkExitParams()
    peers: PeerParams = PeerParams()
    mechanisms: Mechanisms = Mechanisms()
    strategies: dict[str, StrategyBlock] = Field(
        default_factory=dict,
        description="extra strategies: name -> {base: registered strategy, knob: value, ...}",
    )


# --- walking the schema ---------------------------------------------------------------------------


def walk_parameters(model: type[BaseModel] | None = None, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted path, field) of every parameter in schema order, sections expanded; tagged blocks
    such as `population.share_dormant` count as one parameter. Names, descriptions and the
    scenario's own strategies are not parameters."""
    model = model or ScenarioParams
    out: list[tuple[str, Any]] = []
    for name, field in model.model_fields.items():
        if name in ("strategies", "name", "description"):
            continue
        ann = field.annotation
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if isinstance(ann, type) and issubclass(ann, BaseModel) and not extra:
            out += walk_parameters(ann, f"{prefix}{name}.")
        else:
            out.append((f"{prefix}{name}", field))
    return out


def evidence_of(field: Any) -> str:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return str(extra.get("evidence", ""))


# --- changing parameters by name, and explaining what is wrong -----------------------------------


class ParameterError(ValueError):
    """A parameter change or scenario that does not fit the schema; `problems` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _section_fields(model: type[BaseModel]) -> dict[str, type[BaseModel] | None]:
    out: dict[str, type[BaseModel] | None] = {}
    for name, field in model.model_fields.items():
        ann = field.annotation
        out[name] = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return out


@functools.cache
def flat_parameter_index() -> dict[str, str]:
    """Parameter names that are unique across sections -> their dotted path."""
    seen: dict[str, list[str]] = {}
    for section, cls in _section_fields(ScenarioParams).items():
        if cls is None:
            seen.setdefault(section, []).append(section)
            continue
        for name in cls.model_fields:
            seen.setdefault(name, []).append(f"{section}.{name}")
    return {name: paths[0] for name, paths in seen.items() if len(paths) == 1}


@functools.cache
def _parameter_paths() -> tuple[str, ...]:
    return tuple(_walk_paths())


def parameter_paths() -> list[str]:
    """Every dotted parameter path a scenario file or `--set` accepts (strategies aside)."""
    return list(_parameter_paths())


def _walk_paths() -> list[str]:
    paths: list[str] = []

    def walk(cls: type[BaseModel], prefix: str) -> None:
        for name, sub in _section_fields(cls).items():
            if name == "strategies":
                continue
            path = f"{prefix}{name}"
            if sub is None:
                paths.append(path)
            else:
                walk(sub, path + ".")

    walk(ScenarioParams, "")
    return paths


def _model_at(loc: tuple, root: type[BaseModel]) -> type[BaseModel] | None:
    """The schema class at a location inside a document (for listing allowed keys)."""
    cls: type[BaseModel] | None = root
    parts = list(loc)
    while parts and cls is not None:
        key = str(parts.pop(0))
        field = cls.model_fields.get(key)
        if field is None:
            return None
        ann = field.annotation
        if typing.get_origin(ann) is dict:
            value_type = typing.get_args(ann)[1]
            if not parts:
                return None
            parts.pop(0)  # the entry's own name
            ann = value_type
        cls = ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None
    return cls


def _num(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def _allowed(field: Any, ctx: dict[str, Any]) -> str:
    """The whole allowed range of a field (both bounds), from its schema or the error."""
    bounds = dict(ctx)
    for meta in getattr(field, "metadata", []):
        for key in ("ge", "gt", "le", "lt"):
            if getattr(meta, key, None) is not None:
                bounds[key] = getattr(meta, key)
    parts = []
    for key, word in (("ge", "at least"), ("gt", "above"), ("le", "at most"), ("lt", "below")):
        if key in bounds:
            parts.append(f"{word} {_num(bounds[key])}")
    return " and ".join(parts)


#: the most characters of a bad value shown in a message (a value may be a whole file's worth)
EXCERPT = 80


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A value as the user wrote it, cut to a short excerpt: messages stay one readable line."""
    text = repr(value[: 4 * limit] if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def shorten(text: str, limit: int = EXCERPT) -> str:
    """Plain text (a message, a path) cut to `limit` characters, on one line."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_union_tag(part: str) -> bool:
    """pydantic names the members of a union in the error location (`list[any]`,
    `function-after[_ordered(), Range]`); no field name has brackets."""
    return "[" in part or "(" in part


def _union_member_words(tag: str) -> str:
    if tag.startswith(("list", "tuple", "set")):
        return "a list of values"
    words = {"int": "a whole number", "float": "a number", "str": "text", "bool": "true or false"}
    if tag in words:
        return words[tag]
    if "range" in tag.lower():
        return "a range {low: .., high: ..}"
    return "a section of key: value pairs"


def _drop_union_mismatches(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Errors from the members of a union that the value plainly is not (a list where a range was
    expected) are noise beside the member that fits; when none fits, one error names them all."""
    sites: dict[tuple, dict[str, list[dict[str, Any]]]] = {}
    plain = []
    for e in errors:
        loc = tuple(str(x) for x in e["loc"])
        cut = next((i for i, part in enumerate(loc) if _is_union_tag(part)), None)
        if cut is None:
            plain.append(e)
            continue
        sites.setdefault(loc[:cut], {}).setdefault(loc[cut], []).append(e)
    out = list(plain)
    for site, branches in sites.items():

        def mismatch(errs: list[dict[str, Any]], site: tuple = site) -> bool:
            return (
                len(errs) == 1 and len(errs[0]["loc"]) == len(site) + 1 and errs[0]["type"].endswith("_type")
            )

        fitting = {tag: errs for tag, errs in branches.items() if not mismatch(errs)}
        if fitting:
            for errs in fitting.values():
                out += errs
        else:
            first = next(iter(branches.values()))[0]
            kinds = " or ".join(dict.fromkeys(_union_member_words(t) for t in branches))
            out.append({"type": "union_mismatch", "loc": site, "input": first.get("input"), "msg": kinds})
    return [{**e, "loc": tuple(str(x) for x in e["loc"] if not _is_union_tag(str(x)))} for e in out]


def _message(e: dict[str, Any]) -> str:
    """pydantic's own sentence without its internals ("Value error, ", "Input should be")."""
    msg = str(e.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg.replace("Input should be", "must be").replace("input should be", "must be")


def describe_validation_error(error: ValidationError, root: type[BaseModel] | None = None) -> list[str]:
    """One plain sentence per problem: the key, the value given (a short excerpt), and what is
    allowed. The one formatter for pydantic's errors: no internals (union members, error types,
    links) reach the user."""
    root = root or ScenarioParams
    problems = []
    for e in _drop_union_mismatches(error.errors()):
        loc = tuple(str(x) for x in e["loc"])
        key = ".".join(loc) if loc else "(top level)"
        given = excerpt(e.get("input"))
        kind = e["type"]
        ctx = e.get("ctx") or {}
        if kind == "extra_forbidden":
            parent = _model_at(loc[:-1], root)
            allowed = sorted(parent.model_fields) if parent is not None else []
            close = difflib.get_close_matches(loc[-1], allowed, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            shown = listing(allowed, 6 if close else 12)
            problems.append(f"{shorten(key, 120)}: unknown key{hint}; allowed here: {shown}")
            continue
        field = None
        parent = _model_at(loc[:-1], root) if loc else None
        if parent is not None and loc[-1] in parent.model_fields:
            field = parent.model_fields[loc[-1]]
        field_doc = field.description if field is not None and field.description else ""
        about = f" ({shorten(field_doc, 100)})" if field_doc else ""
        if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            value = e.get("input")
            shown = shorten(_num(value)) if isinstance(value, (int, float)) else given
            problems.append(f"{key} = {shown} is out of range: must be {_allowed(field, ctx)}{about}")
        elif kind in ("int_type", "int_from_float", "int_parsing"):
            problems.append(f"{key} = {given}: must be a whole number{about}")
        elif kind in ("float_type", "float_parsing"):
            problems.append(f"{key} = {given}: must be a number{about}")
        elif kind == "finite_number":
            problems.append(f"{key} = {given}: must be a finite number{about}")
        elif kind in ("bool_type", "bool_parsing"):
            problems.append(f"{key} = {given}: must be true or false{about}")
        elif kind == "string_type":
            problems.append(f"{key} = {given}: must be text{about}")
        elif kind == "literal_error":
            problems.append(f"{key} = {given}: must be one of {ctx.get('expected')}{about}")
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            problems.append(f"{key} = {given}: must be a section of key: value pairs{about}")
        elif kind in ("list_type", "tuple_type", "set_type"):
            problems.append(f"{key} = {given}: must be a list{about}")
        elif kind == "too_short":
            problems.append(f"{key}: needs at least {ctx.get('min_length', 1)} item(s){about}")
        elif kind == "too_long":
            problems.append(f"{key}: takes at most {ctx.get('max_length')} item(s){about}")
        elif kind == "missing":
            problems.append(f"{key}: required but missing{about}")
        elif kind == "union_mismatch":
            problems.append(f"{key} = {given}: must be {e['msg']}{about}")
        elif not loc:  # a rule over the whole document: the caller names it
            problems.append(shorten(_message(e), 160))
        elif isinstance(e.get("input"), dict):  # a rule over a section: its values are in the message
            problems.append(f"{key}: {shorten(_message(e), 160)}{about}")
        else:
            problems.append(f"{key} = {given}: {shorten(_message(e), 160)}{about}")
    return problems


def listing(names: list[str], most: int = 12) -> str:
    """A list of allowed names, cut short where it would drown the message."""
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f", ... ({len(names)} in all; `snf params` lists them)"


def validate_scenario(data: Mapping[str, Any]) -> ScenarioParams:
    """Build a scenario from plain data (a parsed YAML file), or raise `ParameterError`."""
    if not isinstance(data, Mapping):
        raise ParameterError([f"a scenario must be a mapping of sections, got {type(data).__name__}"])
    try:
        return ScenarioParams.model_validate(dict(data))
    except ValidationError as e:
        raise ParameterError(describe_validation_error(e)) from None


def _plain(value: Any) -> Any:
    """Plain data for a schema value; strategy blocks keep only the keys they set."""
    if isinstance(value, StrategyBlock):
        return value.model_dump(exclude_unset=True)
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def set_dotted(data: dict[str, Any], path: str, value: Any, current: Any = None) -> None:
    """Set `a.b.c = value` inside nested dicts. Sections missing from `data` are filled from
    `current` (the scenario being changed) so that blocks like `relation_mix` stay complete."""
    parts = path.split(".")
    node = data
    for part in parts[:-1]:
        if current is not None:
            current = current.get(part) if isinstance(current, dict) else getattr(current, part, None)
        child = node.get(part)
        if not isinstance(child, dict):
            child = _plain(current) if isinstance(current, (BaseModel, dict)) else {}
            node[part] = child
        node = child
    node[parts[-1]] = value


def resolve_key(key: str) -> str:
    """A parameter name or dotted path -> its dotted path, or `ParameterError` if unknown."""
    if key.startswith("strategies."):
        return key
    if key in parameter_paths() or ("." not in key and key in _section_fields(ScenarioParams)):
        return key
    flat = flat_parameter_index()
    if key in flat:
        return flat[key]
    candidates = parameter_paths() + list(flat)
    close = difflib.get_close_matches(key, candidates, n=1) if len(key) <= 200 else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    shown = key if len(key) <= EXCERPT and key.isprintable() else excerpt(key)
    raise ParameterError([f"{shown}: unknown parameter{hint}"])


def apply_overrides(scenario: ScenarioParams, changes: Mapping[str, Any]) -> ScenarioParams:
    """A copy of the scenario with parameters changed by name or dotted path, re-validated."""
    data = scenario.model_dump(exclude_unset=True)
    problems: list[str] = []
    for key, value in changes.items():
        try:
            set_dotted(data, resolve_key(key), value, current=scenario)
        except ParameterError as e:
            problems += e.problems
    if problems:
        raise ParameterError(problems)
    return validate_scenario(data)
