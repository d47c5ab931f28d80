"""Section `mechanisms` (the knockout switches) and the strategy knobs (`StrategySettings`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from simulation.model.parameters.base import A, S, Section, param


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
