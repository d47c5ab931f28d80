"""Words and numbers of the interactive page, in English and Dutch.

Outcome and strategy names come from `simulation.plots.labels`, so the page says what the figures
and the report say. Domain terms (naaste, steungroep, stramien, eigen regie) stay Dutch in both.
Numbers are written as the language writes them: 2,000 and 0.45 in English, 2.000 and 0,45 in
Dutch (`number`, `decimal`, `percent`).
"""

from __future__ import annotations

from simulation.plots.labels import strategy_label, translate

PAGE_WORDS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Network support in an open Dutch shelter",
        "nl": "Netwerkondersteuning in een open maatschappelijke opvang",
    },
    "language": {"en": "Language", "nl": "Taal"},
    # the sidebar
    "run_card": {"en": "Run", "nl": "Verloop"},
    "settings_card": {"en": "Settings", "nl": "Instellingen"},
    "reset": {"en": "Reset", "nl": "Opnieuw"},
    "step": {"en": "Step", "nl": "Stap"},
    "to_end": {"en": "Run to the end", "nl": "Naar het einde"},
    "draw_every": {"en": "Draw every … weeks", "nl": "Teken elke … weken"},
    "draw_every_value": {"en": "every {n} weeks", "nl": "elke {n} weken"},
    "draw_every_week": {"en": "every week", "nl": "elke week"},
    "running": {"en": "Running…", "nl": "Bezig…"},
    "finished": {"en": "The run is over: press Reset.", "nl": "De run is klaar: druk op Opnieuw."},
    "changed": {
        "en": "Changed - press Reset to build the model with these settings.",
        "nl": "Gewijzigd - druk op Opnieuw om het model met deze instellingen te bouwen.",
    },
    "changed_mark": {"en": "changed", "nl": "gewijzigd"},
    "scenario_name": {"en": "Scenario", "nl": "Scenario"},
    "strategy": {"en": "Strategy", "nl": "Strategie"},
    "strategy_variant": {"en": "{name} (variant of {base})", "nl": "{name} (variant van {base})"},
    "n_clients": {"en": "Places", "nl": "Plaatsen"},
    "arrivals_per_week": {"en": "Arrivals per week", "nl": "Aankomsten per week"},
    "homes_per_week": {"en": "Homes per week", "nl": "Woningen per week"},
    "network_size_mean": {"en": "Network size (mean)", "nl": "Netwerkgrootte (gem.)"},
    "refusal_share": {"en": "Refusal share", "nl": "Aandeel weigeraars"},
    "stramien_tolerance_mean": {"en": "Stramien tolerance", "nl": "Stramientolerantie"},
    "network_hours_per_week": {"en": "Network hours/week", "nl": "Netwerkuren/week"},
    "rng": {"en": "Seed", "nl": "Startgetal (seed)"},
    # the knobs in full, with units (the "in use" line)
    "long_n_clients": {"en": "{v} places", "nl": "{v} plaatsen"},
    "long_arrivals_per_week": {"en": "{v} arrivals a week", "nl": "{v} aankomsten per week"},
    "long_homes_per_week": {"en": "{v} homes a week", "nl": "{v} woningen per week"},
    "long_network_size_mean": {
        "en": "mean network size {v} naasten",
        "nl": "gemiddelde netwerkgrootte {v} naasten",
    },
    "long_refusal_share": {
        "en": "{v} of clients refuse all contact with naasten",
        "nl": "{v} van de cliënten weigert elk contact met naasten",
    },
    "long_stramien_tolerance_mean": {
        "en": "mean stramien tolerance {v} (0-1)",
        "nl": "gemiddelde stramientolerantie {v} (0-1)",
    },
    "long_network_hours_per_week": {
        "en": "{v} network hours per professional per week",
        "nl": "{v} netwerkuren per professional per week",
    },
    # the status card
    "week_of": {"en": "Week {week} of {weeks}", "nl": "Week {week} van {weeks}"},
    "warming_up": {
        "en": "warm-up until week {warmup}: not measured, the shelter settles into its flow",
        "nl": "opwarmen tot week {warmup}: telt niet mee, de opvang komt in haar ritme",
    },
    "measuring": {
        "en": "measured weeks: {start} to {end}",
        "nl": "gemeten weken: {start} tot en met {end}",
    },
    "present": {
        "en": "In the shelter: {present} of {places} places ({occupancy} occupied)",
        "nl": "In de opvang: {present} van {places} plaatsen ({occupancy} bezet)",
    },
    "waiting": {"en": "Waiting for a place: {n}", "nl": "Wacht op een plek: {n}"},
    "team": {
        "en": "{professionals} professionals, at most {caseload} clients each",
        "nl": "{professionals} professionals, elk hoogstens {caseload} cliënten",
    },
    "year_exits": {
        "en": "Exits in year {year} so far (from week {start}): {total}",
        "nl": "Uitstroom in jaar {year} tot nu (vanaf week {start}): {total}",
    },
    "homes_this_year": {
        "en": "Homes allocated this year: {n}",
        "nl": "Woningen toegewezen dit jaar: {n}",
    },
    "route_housing_market": {"en": "housing market", "nl": "woningmarkt"},
    "route_network_home": {"en": "home through the network", "nl": "woning via het netwerk"},
    "route_naaste_stay": {"en": "staying with a naaste", "nl": "logeren bij een naaste"},
    "route_care": {"en": "supported housing or care", "nl": "beschermd wonen of zorg"},
    "route_unknown": {"en": "unknown destination", "nl": "onbekende bestemming"},
    "support_now": {"en": "Among the clients in the shelter", "nl": "Onder de cliënten in de opvang"},
    "apply_hint": {
        "en": "Change the settings on the left, then press Reset to build the model with them; "
        "Step runs one week, ▶ runs on and draws every few weeks, Run to the end runs all weeks left.",
        "nl": "Pas links de instellingen aan en druk op Opnieuw om het model ermee te bouwen; "
        "Stap draait één week, ▶ draait door en tekent om de paar weken, Naar het einde draait alle "
        "resterende weken.",
    },
    "in_use": {"en": "In use", "nl": "In gebruik"},
    "too_many": {
        "en": "This page builds at most {limit} places, and {n} were asked for. Lower the number "
        "of places and press Reset. For large runs use the command line: "
        "snf run --scenario ... --set n_clients={n_plain}.",
        "nl": "Deze pagina bouwt hoogstens {limit} plaatsen, en er werden er {n} gevraagd. Verlaag "
        "het aantal plaatsen en druk op Opnieuw. Grote runs gaan via de opdrachtregel: "
        "snf run --scenario ... --set n_clients={n_plain}.",
    },
    "bad_seed": {
        "en": "The seed must be a whole number of 0 or more, not {value!r}.",
        "nl": "Het startgetal moet een geheel getal van 0 of meer zijn, niet {value!r}.",
    },
    "bad_strategy": {
        "en": "Strategy {strategy!r} is not available in scenario {scenario!r}; choose one of: {known}.",
        "nl": "Strategie {strategy!r} bestaat niet in scenario {scenario!r}; kies uit: {known}.",
    },
    "bad_settings": {
        "en": "These settings cannot be used: {message}",
        "nl": "Deze instellingen kunnen niet: {message}",
    },
    "not_built": {"en": "No model was built.", "nl": "Er is geen model gebouwd."},
    # the network view
    "networks_title": {
        "en": "Clients in the shelter and their naasten",
        "nl": "Cliënten in de opvang en hun naasten",
    },
    "first_client": {"en": "First client shown", "nl": "Eerste cliënt in beeld"},
    "client": {"en": "Client {i}", "nl": "Cliënt {i}"},
    "weeks_here": {"en": "{w} weeks here", "nl": "{w} weken hier"},
    "no_naasten": {"en": "no naasten", "nl": "geen naasten"},
    "nobody_present": {"en": "Nobody is in the shelter.", "nl": "Er is niemand in de opvang."},
    "legend_client": {"en": "client", "nl": "cliënt"},
    "legend_active": {"en": "naaste: in contact", "nl": "naaste: in contact"},
    "legend_dormant": {"en": "naaste: out of contact", "nl": "naaste: geen contact"},
    "legend_withdrawn": {"en": "naaste: withdrawn (overloaded)", "nl": "naaste: teruggetrokken (overbelast)"},
    "legend_member": {
        "en": "in the support group (black ring, thick line)",
        "nl": "in de steungroep (zwarte ring, dikke lijn)",
    },
    "legend_built": {
        "en": "new tie: peer or volunteer (square)",
        "nl": "nieuwe band: ervaringsdeskundige of maatje (vierkant)",
    },
    "legend_knows": {"en": "naasten who know each other", "nl": "naasten die elkaar kennen"},
    "networks_note": {
        "en": "Week {week}: clients {first} to {last} of the {present} in the shelter, in order of arrival.",
        "nl": "Week {week}: cliënt {first} tot en met {last} van de {present} in de opvang, "
        "op volgorde van aankomst.",
    },
    # the live plot
    "outcomes_title": {"en": "The open shelter over the weeks", "nl": "De open opvang per week"},
    "week": {"en": "Week", "nl": "Week"},
    "panel_people": {
        "en": "People in the shelter and at the door",
        "nl": "Mensen in de opvang en aan de deur",
    },
    "people_axis": {"en": "People", "nl": "Mensen"},
    "line_in_shelter": {"en": "in the shelter", "nl": "in de opvang"},
    "line_waiting": {"en": "waiting for a place", "nl": "wacht op een plek"},
    "line_places": {"en": "places", "nl": "plaatsen"},
    "panel_exits": {"en": "Exits since the start, by route", "nl": "Uitstroom sinds de start, per route"},
    "exits_axis": {"en": "Exits", "nl": "Uitstromers"},
    "panel_support": {"en": "Clients in the shelter", "nl": "Cliënten in de opvang"},
    "share_axis": {"en": "Clients (%)", "nl": "Cliënten (%)"},
    "warmup_band": {"en": "warm-up (not measured)", "nl": "opwarmen (telt niet mee)"},
    "press_step": {"en": "Press Step or ▶ to run weeks", "nl": "Druk op Stap of ▶ om weken te draaien"},
    # group forms (titles of the ego networks)
    "form_none": {"en": "no group", "nl": "geen groep"},
    "form_single_naaste": {"en": "one naaste", "nl": "één naaste"},
    "form_whatsapp": {"en": "WhatsApp group", "nl": "WhatsApp-groep"},
    "form_formal": {"en": "formal group", "nl": "formele groep"},
    "dropped_out": {"en": "dropped out", "nl": "uitgevallen"},
}


#: Dutch descriptions of the scenario files that come with the project (a scenario of one's own
#: shows its file's description in both languages)
SCENARIO_DESCRIPTIONS_NL: dict[str, str] = {
    "default": "Een Nederlandse opvangorganisatie met ongeveer 200 plaatsen (alle standaardwaarden).",
    "haarlem": "Middelgrote stad, cliënten dichter bij familie, makkelijker aan een woning "
    "(aangenomen verschillen).",
    "amsterdam": "Grote stad, krappe woningmarkt, meer geïsoleerde cliënten (aangenomen verschillen).",
    "large_networks": "Knelpunten weggenomen: grote netwerken, volledige toestemming, "
    "hoge stramientolerantie.",
    "peer_first": "Standaardwereld; de strategie ervaringsdeskundige eerst en een variant die "
    "twee naasten vraagt.",
}


def scenario_text(name: str, description: str, lang: str) -> str:
    """A scenario's description in `lang` (its file's own, unless a Dutch one is known)."""
    return SCENARIO_DESCRIPTIONS_NL.get(name, description) if lang == "nl" else description


def page_word(key: str, lang: str = "en", **fmt: object) -> str:
    """A page word in `lang` ('en' or 'nl'), formatted with `fmt`."""
    return translate(PAGE_WORDS, key, lang, **fmt)


def number(value: int, lang: str = "en") -> str:
    """A whole number with thousands separated as the language does it (2,000 or 2.000)."""
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "nl" else text


def decimal(value: float, digits: int = 2, lang: str = "en") -> str:
    """A number with `digits` decimals, with a decimal comma in Dutch (0.45 or 0,45)."""
    text = f"{value:,.{digits}f}"
    if lang == "nl":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(share: float, lang: str = "en", digits: int = 0) -> str:
    """A share as a percentage (0.224 -> 22%; Dutch 22,4% with one digit)."""
    return decimal(100 * share, digits, lang) + "%"


def strategy_name(name: str, lang: str, base: str | None = None) -> str:
    """A readable strategy name; a scenario's own strategy says which one it varies."""
    if base is None:
        return strategy_label(name, lang)
    readable = name.replace("_", " ")
    readable = readable[:1].upper() + readable[1:]
    return page_word("strategy_variant", lang, name=readable, base=strategy_label(base, lang))


def slider_text(name: str, value: float, lang: str = "en") -> str:
    """A slider's value as the page shows it next to the slider."""
    if name == "n_clients":
        return number(int(value), lang)
    if name == "refusal_share":
        return percent(value, lang)
    if name in ("stramien_tolerance_mean", "homes_per_week", "arrivals_per_week"):
        return decimal(value, 2, lang)
    return decimal(value, 1, lang)
