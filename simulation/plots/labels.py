"""Words for tables, figures and reports, in English and Dutch.

Domain terms (naaste, steungroep, stramien, eigen regie) stay Dutch in both languages; see
docs/glossary.md.
"""

from __future__ import annotations

LANGUAGES = ("en", "nl")

STRATEGY_LABELS: dict[str, dict[str, str]] = {
    "care_as_usual": {"en": "Care as usual", "nl": "Gebruikelijke zorg"},
    "resource": {"en": "Resource method (strict)", "nl": "Resourcemethode (strikt)"},
    "flexible": {"en": "Flexible netwerkondersteuning", "nl": "Flexibele netwerkondersteuning"},
    "peer_first": {"en": "Peer first", "nl": "Ervaringsdeskundige eerst"},
}

STRATEGY_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "care_as_usual": {
        "en": "Case management as usual, without any work on the client's network.",
        "nl": "Gewone casusregie, zonder werk aan het netwerk van de cliënt.",
    },
    "resource": {
        "en": "The strict Resource method: a formal steungroep of at least two naasten, consent asked once "
        "up front, the six-phase stramien with quarterly meetings, led by the professional.",
        "nl": "De strikte Resourcemethode: een formele steungroep met minstens twee naasten, toestemming "
        "één keer vooraf gevraagd, het stramien van zes fasen met elk kwartaal een bijeenkomst, geleid "
        "door de professional.",
    },
    "flexible": {
        "en": "Flexible netwerkondersteuning: support in any form (one naaste, a WhatsApp group), consent "
        "per naaste that can grow with trust, reactivating and making ties, in the client's own direction.",
        "nl": "Flexibele netwerkondersteuning: steun in elke vorm (één naaste, een WhatsApp-groep), "
        "toestemming per naaste die met het vertrouwen kan groeien, contacten herstellen en nieuwe maken, "
        "met de regie bij de cliënt.",
    },
    "peer_first": {
        "en": "Flexible support that starts from a tie with a peer or expert by experience.",
        "nl": "Flexibele steun die begint bij een contact met een lotgenoot of ervaringsdeskundige.",
    },
}

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "has_support_group": {"en": "Support group (any form)", "nl": "Steungroep (elke vorm)"},
    "formal_group": {"en": "Formal resource group", "nl": "Formele resourcegroep"},
    "formal_group_formed": {"en": "Formal group ever formed", "nl": "Formele groep ooit gestart"},
    "willing": {"en": "Willing to involve naasten", "nl": "Bereid naasten te betrekken"},
    "group_size": {"en": "Naasten in the group", "nl": "Naasten in de groep"},
    "active_ties": {"en": "Active ties per client", "nl": "Actieve banden per cliënt"},
    "perceived_support": {"en": "Perceived support", "nl": "Ervaren steun"},
    "eigen_regie": {"en": "Eigen regie", "nl": "Eigen regie"},
    "trust": {"en": "Trust in the professional", "nl": "Vertrouwen in de professional"},
    "rust": {"en": "Rust (calm, stability)", "nl": "Rust"},
    "housed": {"en": "Housed", "nl": "Gehuisvest"},
    "ever_housed": {"en": "Ever housed", "nl": "Ooit gehuisvest"},
    "weeks_to_housing": {"en": "Weeks to housing", "nl": "Weken tot huisvesting"},
    "relapsed": {"en": "Lost housing again", "nl": "Huisvesting weer kwijt"},
    "dropped_out": {"en": "Dropped out", "nl": "Uitgevallen"},
    "naasten_overloaded": {"en": "Naasten overloaded", "nl": "Naasten overbelast"},
    "naasten_withdrawn": {"en": "Naasten withdrawn per client", "nl": "Teruggetrokken naasten per cliënt"},
    "ties_reactivated": {"en": "Ties reactivated per client", "nl": "Heractiveerde banden per cliënt"},
    "ties_built": {"en": "New ties per client", "nl": "Nieuwe banden per cliënt"},
    "professional_hours_per_client": {
        "en": "Professional hours per client so far",
        "nl": "Uren professional per cliënt tot nu toe",
    },
    "arrivals_per_year": {"en": "Arrivals per year", "nl": "Instroom per jaar"},
    "exits_per_year": {
        "en": "People leaving per year (all routes)",
        "nl": "Uitstroom per jaar (alle routes)",
    },
    "exits_housing_market_per_year": {
        "en": "… to a home through the housing market",
        "nl": "… naar een woning via de woningmarkt",
    },
    "exits_network_home_per_year": {
        "en": "… to a room or home through the network",
        "nl": "… naar een kamer of woning via het netwerk",
    },
    "exits_naaste_stay_per_year": {
        "en": "… to stay with a naaste",
        "nl": "… naar een logeerplek bij een naaste",
    },
    "exits_care_per_year": {
        "en": "… to supported housing or care",
        "nl": "… naar beschermd wonen of zorg",
    },
    "exits_unknown_per_year": {"en": "… destination unknown", "nl": "… met onbekende bestemming"},
    "returns_per_year": {"en": "Returns to the shelter per year", "nl": "Terugkeer in de opvang per jaar"},
    "homes_allocated_per_year": {"en": "Homes allocated per year", "nl": "Toegewezen woningen per jaar"},
    "homes_lost_per_year": {"en": "Homes lost per year", "nl": "Verloren woningen per jaar"},
    "stays_broken_per_year": {
        "en": "Stays with naasten broken down per year",
        "nl": "Mislukte logeerplekken per jaar",
    },
    "occupancy": {"en": "Places taken", "nl": "Bezette plaatsen"},
    "waiting_for_place": {
        "en": "Waiting outside for a place (people)",
        "nl": "Wachtend op een plek (mensen)",
    },
    "turned_away_per_year": {"en": "Turned away per year", "nl": "Afgewezen per jaar"},
    "gave_up_per_year": {"en": "Stopped waiting per year", "nl": "Gestopt met wachten per jaar"},
    "mean_stay_weeks": {"en": "Mean stay (weeks)", "nl": "Gemiddelde verblijfsduur (weken)"},
    "hours_used_per_client_year": {
        "en": "Professional hours used per client per year",
        "nl": "Gebruikte uren professional per cliënt per jaar",
    },
    "hours_idle_per_client_year": {
        "en": "Professional hours left unused per client per year",
        "nl": "Onbenutte uren professional per cliënt per jaar",
    },
    "weeks_waiting_per_client_year": {
        "en": "Weeks waiting for a professional per client per year",
        "nl": "Weken wachten op een professional per cliënt per jaar",
    },
    "support_group_ever": {"en": "Ever had a support group", "nl": "Ooit een steungroep"},
    "housed_52w": {"en": "In a home a year after arriving", "nl": "In een woning een jaar na aankomst"},
    "group_26w": {
        "en": "Support group half a year after arriving",
        "nl": "Steungroep een half jaar na aankomst",
    },
    "returned": {"en": "Came back after leaving", "nl": "Teruggekomen na vertrek"},
    "no_group_left_before_group": {
        "en": "No group: left the shelter first",
        "nl": "Geen groep: eerder vertrokken uit de opvang",
    },
    "no_group_too_few_ties": {"en": "No group: too few ties", "nl": "Geen groep: te weinig banden"},
    "no_group_no_consent": {"en": "No group: no consent", "nl": "Geen groep: geen toestemming"},
    "no_group_dropped_out": {"en": "No group: dropped out", "nl": "Geen groep: uitgevallen"},
}

KNOB_LABELS: dict[str, dict[str, str]] = {
    "min_group_size": {"en": "minimum group size", "nl": "minimale groepsgrootte"},
    "consent_rule": {"en": "consent rule", "nl": "toestemmingsregel"},
    "format": {"en": "format (stramien)", "nl": "vorm (stramien)"},
    "network_building": {"en": "network building", "nl": "netwerkopbouw"},
    "direction": {"en": "direction (eigen regie)", "nl": "regie (eigen regie)"},
    "total": {"en": "total gap", "nl": "totaal verschil"},
}

MECHANISM_LABELS: dict[str, dict[str, str]] = {
    "network_activation": {"en": "network activation", "nl": "netwerkactivatie"},
    "network_building": {"en": "network building", "nl": "netwerkopbouw"},
    "eigen_regie": {"en": "eigen regie", "nl": "eigen regie"},
    "format_fit": {"en": "format fit", "nl": "passende vorm"},
    "perceived_support": {"en": "perceived support", "nl": "ervaren steun"},
    "naaste_burden": {"en": "naaste burden", "nl": "belasting naasten"},
}

UNIT_LABELS: dict[str, dict[str, str]] = {
    "share": {"en": "% of clients", "nl": "% van cliënten"},
    "0-1": {"en": "score (0-1)", "nl": "score (0-1)"},
    "hours": {"en": "hours", "nl": "uren"},
    "naasten": {"en": "naasten", "nl": "naasten"},
    "ties": {"en": "ties", "nl": "banden"},
    "weeks": {"en": "weeks", "nl": "weken"},
    "clients/year": {"en": "people per year", "nl": "mensen per jaar"},
    "homes/year": {"en": "homes per year", "nl": "woningen per jaar"},
    "hours/client-year": {"en": "hours per client per year", "nl": "uren per cliënt per jaar"},
    "clients": {"en": "people", "nl": "mensen"},
}

WORDS: dict[str, dict[str, str]] = {
    "week": {"en": "Week", "nl": "Week"},
    "strategy": {"en": "Strategy", "nl": "Strategie"},
    "share_with_group": {
        "en": "Clients with a support group (%)",
        "nl": "Cliënten met een steungroep (%)",
    },
    "interval_note": {
        "en": "bands: 95% interval over replications",
        "nl": "banden: 95%-interval over herhalingen",
    },
    "group_title": {
        "en": (
            "After {weeks} weeks, {best} gives {value:.0f}% of clients a support group "
            "({runner} {runner_value:.0f}%)"
        ),
        "nl": (
            "Na {weeks} weken heeft {value:.0f}% van de cliënten een steungroep bij {best} "
            "({runner} {runner_value:.0f}%)"
        ),
    },
    "decompose_title": {
        "en": "{share:.0f}% of the gap in {outcome} between {a} and {b} is the {knob}",
        "nl": "{share:.0f}% van het verschil in {outcome} tussen {a} en {b} komt door de {knob}",
    },
    "gap": {"en": "gap", "nl": "verschil"},
    "share_of_gap": {"en": "share of the gap (%)", "nl": "aandeel in het verschil (%)"},
    "decompose_note": {
        "en": "Shapley values over all knob combinations; bars: mean, lines: 95% interval over replications",
        "nl": "Shapley-waarden over alle combinaties; balk: gemiddelde, lijn: 95%-interval over herhalingen",
    },
    "knockout_title": {
        "en": "Without {mechanism}, {strategy} loses {share:.0f}% of its effect on {outcome}",
        "nl": "Zonder {mechanism} verliest {strategy} {share:.0f}% van het effect op {outcome}",
    },
    "knockout_none": {
        "en": "No strategy's effect on {outcome} is large enough to split over mechanisms",
        "nl": (
            "Geen strategie heeft een effect op {outcome} dat groot genoeg is om over mechanismen te verdelen"
        ),
    },
    "effect_too_small": {"en": "effect too small to split", "nl": "effect te klein om te verdelen"},
    "share_dependent": {
        "en": "share of the effect that depends on it (%)",
        "nl": "deel van het effect dat ervan afhangt (%)",
    },
    "knockout_note": {
        "en": "effect = paired difference from care as usual; lines: 95% bootstrap interval",
        "nl": "effect = gepaard verschil met gebruikelijke zorg; lijn: 95%-bootstrapinterval",
    },
    "end_title": {
        "en": "Outcomes after {weeks} weeks (mean and 95% interval)",
        "nl": "Uitkomsten na {weeks} weken (gemiddelde en 95%-interval)",
    },
}


def translate(table: dict[str, dict[str, str]], key: str, lang: str, **fmt: object) -> str:
    """The text for `key` in `lang` ('en' or 'nl') from a two-language table, formatted with `fmt`."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
    text = table[key][lang]
    return text.format(**fmt) if fmt else text


def _pick(table: dict[str, dict[str, str]], key: str, lang: str) -> str:
    """Like `translate`, but a name without an entry is shown as itself (underscores as spaces)."""
    if key not in table:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; choose from {', '.join(LANGUAGES)}")
        return key.replace("_", " ")
    return translate(table, key, lang)


def strategy_label(name: str, lang: str = "en") -> str:
    return _pick(STRATEGY_LABELS, name, lang)


def strategy_description(name: str, lang: str = "en", fallback: str = "") -> str:
    """One sentence on a strategy; a strategy without a translation keeps its own description."""
    if name in STRATEGY_DESCRIPTIONS:
        return _pick(STRATEGY_DESCRIPTIONS, name, lang)
    return fallback or strategy_label(name, lang)


def outcome_label(name: str, lang: str = "en") -> str:
    return _pick(OUTCOME_LABELS, name, lang)


def unit_label(unit: str, lang: str = "en") -> str:
    return _pick(UNIT_LABELS, unit, lang)


def knob_label(name: str, lang: str = "en") -> str:
    return _pick(KNOB_LABELS, name, lang)


def mechanism_label(name: str, lang: str = "en") -> str:
    return _pick(MECHANISM_LABELS, name, lang)


def word(key: str, lang: str = "en", **fmt: object) -> str:
    return translate(WORDS, key, lang, **fmt)
