"""The building blocks of every parameter section: `param()` (default, unit, range, evidence),
`Section`, the evidence shorthands and the per-relation values."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

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

#: said of the parameters `snf calibrate` fits (tagged calibrated; the defaults are the medians of
#: the shipped posterior, calibration/posterior; the priors and reasons are in docs/calibration.md)
ABC_FIT = (
    " (calibrated with ABC-SMC against housed_130w, exit_share_home, exit_share_unknown, stay_weeks,"
    " willing and conference_held; calibration/posterior)"
)


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
