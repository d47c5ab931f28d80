"""The open shelter as a flow: sections `housing`, `shelter`, `network_exits` and `peers`."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from simulation.model.parameters.base import ABC_FIT, A, C, PerRelation, Section, param, per_relation

AllocationRule = Literal["waiting_time", "readiness", "lottery"]


class HousingParams(Section):
    """Homes: who is ready, how the scarce homes are allocated, and losing a home again."""

    homes_per_week: float = param(
        0.912,
        "homes the housing market offers the shelter's clients per week (social housing, "
        "urgency, Housing First places); too few affordable homes is why stays are long" + ABC_FIT,
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
    queue_from_care: bool = param(
        True,
        "clients in supported housing or care (beschermd wonen, a clinic) register for a home too and "
        "compete for the same homes (doorstroom: moving on from supported housing to a home of one's own)",
        evidence=A,
        ref="boesveldt2024",
    )
    relapse_rate: float = param(
        0.00742,
        "weekly chance of losing housing with no perceived support" + ABC_FIT,
        evidence=C,
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
        0.0137,
        "weekly chance that a client at rust 0 leaves the shelter for an unknown destination" + ABC_FIT,
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
        0.00242,
        "weekly chance that someone who left for an unknown destination comes back to the shelter" + ABC_FIT,
        evidence=C,
        ref="boesveldt2024",
        unit="per week",
        ge=0,
        le=1,
    )
    care_rate: float = param(
        0.00533,
        "weekly chance that a client in the shelter moves on to supported housing or a care place "
        "(beschermd wonen, a clinic): part of the exits the source counts as 'other'; its own "
        "waiting lists, which network support does not change" + ABC_FIT,
        evidence=C,
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
        0.00105,
        "weekly chance that an active naaste of strength 1 with no burden offers a client in the "
        "shelter a place to stay" + ABC_FIT,
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
        0.000909,
        "weekly chance that an active naaste of strength 1 leads a client at readiness 1 to a room "
        "or home outside the allocation queue" + ABC_FIT,
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
