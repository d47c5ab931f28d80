"""Where the model's numbers come from.

Every parameter default carries an evidence tag (see `parameters.param`): either a *source* from
this list, a value *calibrated* so the model reproduces a pattern reported in a source, or a plain
*assumption*. The full citations live in `docs/parameters.md` and the project brief.
"""

from __future__ import annotations

from enum import StrEnum


class Evidence(StrEnum):
    """How solid a default is."""

    SOURCE = "source"  # the number is read from (or directly implied by) a cited study
    CALIBRATED = "calibrated"  # assumed, then tuned so a cited pattern emerges (see docs/ODD.md)
    ASSUMPTION = "assumption"  # nothing found; a modelling choice, covered by sensitivity analysis


SOURCES: dict[str, str] = {
    "tjaden2021": (
        "Tjaden et al. 2021, JAMA Psychiatry 78:1309 - Dutch RCT of resource groups (SMI): groups "
        "meet quarterly; empowerment d = 0.54 at 18 months (other population)"
    ),
    "tjaden2019": (
        "Tjaden et al. 2019, Int J Ment Health Syst 13:15 - protocol: six phases (preparation, "
        "investment, planning, first meeting, follow-up, reorientation); 2+2 goals and a crisis plan"
    ),
    "ract": (
        "ract.se / ract.nl - group = client, case manager(s), psychiatrist, naasten; "
        "client has the final say on who is included"
    ),
    "vanstraaten2016": (
        "Van Straaten et al. 2016, Health Soc Care Community (CODA-G4, n = 324) - 68.5% stably "
        "housed 2.5 years after shelter entry"
    ),
    "coda_amsterdam2024": (
        "CODA Amsterdam 5.5-year follow-up, J Soc Distress Homeless 2024 - 69% stably housed"
    ),
    "dijkstra2017": (
        "Dijkstra et al. 2017 - network conference uptake in Dutch youth care: 60% willing, "
        "27% completed (other population)"
    ),
    "cohen2013": (
        "Cohen et al. 2013, Psychiatr Serv 64:257 - about 22% did not want family involved "
        "(US veterans with SMI; other population)"
    ),
    "eyrich2003": (
        "Eyrich, Pollio & North 2003, Soc Work Res (n = 900) - longer homelessness, smaller family "
        "networks; friends replace family"
    ),
    "kingcounty2024": (
        "King County aggregated relational data 2024 - unsheltered people have about 2.5 close friends"
    ),
    "lachaud2024": ("Lachaud et al. 2024, BMC Public Health - loneliness among homeless people 25-90%"),
    "devet2017": (
        "De Vet et al. 2017, Am J Community Psychol - CTI in Dutch shelters: more family support, "
        "no effect on days housed at 9 months"
    ),
    "golembiewski2017": (
        "Golembiewski et al. 2017, Soc Sci 6:96 - after Housing First network size falls, "
        "density and contact rise (small study)"
    ),
    "vanderent2024": (
        "Van der Ent & Huber 2024, Binnenlands Bestuur - damaged networks; naasten asked for "
        "practical help (a couch to sleep on) and overloaded (qualitative)"
    ),
    "snf2023": (
        "Social Network First? 2023 (HvA, HVO-Querido; 25 interviews) - networks too small, "
        "clients refuse contact with naasten, stramien too strict (qualitative)"
    ),
    "dewit2023": (
        "De Wit et al. 2023, TSG - most people who register for shelter first stayed with family or friends"
    ),
    "legerdesheils2023": (
        "Leger des Heils in NU.nl, Sept 2023 - people stay about a year in shelter where three months "
        "is the intent; shelters are full; too few affordable homes to move on to"
    ),
    "traverse2019": (
        "WijZijn Traverse Groep annual figures 2019 - exits of one regional shelter (n = 141): own home "
        "17%, out of sight 52%, other 31%; occupancy 96.5% (night shelter), 83% (crisis shelter)"
    ),
    "boesveldt2024": (
        "Boesveldt (UvA) Utrecht relapse study 2019-2023 - 70 recruited (50 in the shelter or "
        "supported housing about to move into a home of their own, 20 in the night shelter after an "
        "earlier episode); over two thirds in a home of their own by 2023; about half of "
        "night-shelter users had been homeless before; network problems a direct cause of relapse"
    ),
}
