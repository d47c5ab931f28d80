"""Section `clients`: how perceived support, trust, eigen regie, consent, rust and engagement change."""

from __future__ import annotations

from simulation.model.parameters.base import ABC_FIT, A, C, Section, param


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
        0.0216,
        "extra weekly dropout per unit of misfit between format rigidity and tolerance" + ABC_FIT,
        evidence=C,
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
