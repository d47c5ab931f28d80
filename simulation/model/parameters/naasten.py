"""Section `naasten`: how naasten give support, carry burden, withdraw and drift away."""

from __future__ import annotations

from simulation.model.parameters.base import ABC_FIT, A, C, PerRelation, Section, param, per_relation


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
        0.734,
        "chance a naaste agrees to join a group when asked, at full strength and no burden" + ABC_FIT,
        evidence=C,
        ref="dijkstra2017",
        unit="share",
        ge=0,
        le=1,
    )
