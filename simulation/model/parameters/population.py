"""Section `population`: who is in the shelter, their informal networks and starting states."""

from __future__ import annotations

from simulation.model.parameters.base import (
    ABC_FIT,
    A,
    C,
    PerRelation,
    RelationMix,
    Section,
    param,
    per_relation,
)


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
        5.82,
        "mean number of naasten (active and dormant) among clients who have any" + ABC_FIT,
        evidence=C,
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
        0.889,
        "mean willingness of other clients to let a naaste be contacted" + ABC_FIT,
        evidence=C,
        ref="dijkstra2017",
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
