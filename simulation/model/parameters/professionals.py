"""Section `professionals`: the network professionals (netwerkondersteuners), caseload and hours."""

from __future__ import annotations

from simulation.model.parameters.base import A, Section, param


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
