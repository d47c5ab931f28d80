"""Words of the interactive page, in English and Dutch.

Outcome and strategy names come from `simulation.plots.labels`, so the page says what the figures
and the report say. Domain terms (naaste, steungroep, stramien, eigen regie) stay Dutch in both.
"""

from __future__ import annotations

from simulation.plots.labels import translate

PAGE_WORDS: dict[str, dict[str, str]] = {
    "title": {
        "en": "Network support in Dutch shelters",
        "nl": "Netwerkondersteuning in de maatschappelijke opvang",
    },
    "language": {"en": "Language", "nl": "Taal"},
    # controls (sidebar)
    "scenario_name": {"en": "Scenario", "nl": "Scenario"},
    "strategy": {"en": "Strategy", "nl": "Strategie"},
    "use_sliders": {
        "en": "Sliders below override the scenario",
        "nl": "Schuifjes hieronder gaan voor het scenario",
    },
    "n_clients": {"en": "Clients", "nl": "Cliënten"},
    "network_size_mean": {"en": "Network size (mean)", "nl": "Netwerkgrootte (gem.)"},
    "refusal_share": {"en": "Refusal share", "nl": "Aandeel weigeraars"},
    "stramien_tolerance_mean": {"en": "Stramien tolerance", "nl": "Stramientolerantie"},
    "network_hours_per_week": {"en": "Network hours/week", "nl": "Netwerkuren/week"},
    "rng": {"en": "Seed", "nl": "Seed (startgetal toeval)"},
    # the knobs in full, with units (the "in use" line)
    "long_n_clients": {"en": "{v} clients", "nl": "{v} cliënten"},
    "long_network_size_mean": {
        "en": "mean network size {v:g} naasten",
        "nl": "gemiddelde netwerkgrootte {v:g} naasten",
    },
    "long_refusal_share": {
        "en": "{v:.0%} of clients refuse all contact with naasten",
        "nl": "{v:.0%} van de cliënten weigert elk contact met naasten",
    },
    "long_stramien_tolerance_mean": {
        "en": "mean stramien tolerance {v:.2f} (0-1)",
        "nl": "gemiddelde stramientolerantie {v:.2f} (0-1)",
    },
    "long_network_hours_per_week": {
        "en": "{v:g} network hours per professional per week",
        "nl": "{v:g} netwerkuren per professional per week",
    },
    # status
    "week_of": {"en": "Week {week} of {weeks}", "nl": "Week {week} van {weeks}"},
    "clients_naasten": {
        "en": "{clients} clients, {naasten} naasten, {professionals} professionals",
        "nl": "{clients} cliënten, {naasten} naasten, {professionals} professionals",
    },
    "apply_hint": {
        "en": "Change the settings on the left, then press Reset to build the model with them; "
        "Step runs one week, ▶ runs on.",
        "nl": "Pas links de instellingen aan en druk op Reset om het model ermee te bouwen; "
        "Step draait één week, ▶ draait door.",
    },
    "in_use": {"en": "In use", "nl": "In gebruik"},
    "from_scenario": {"en": "from the scenario", "nl": "uit het scenario"},
    "from_slider": {"en": "from the slider", "nl": "van het schuifje"},
    "too_many": {
        "en": "This page builds at most {limit} clients, and {n} were asked for. Lower the number "
        "of clients (or untick the override for a smaller scenario) and press Reset. For large "
        "runs use the command line: snf run --scenario ... --set n_clients={n_plain}.",
        "nl": "Deze pagina bouwt hoogstens {limit} cliënten, en er werden er {n} gevraagd. Verlaag "
        "het aantal cliënten en druk op Reset. Grote runs gaan via de opdrachtregel: "
        "snf run --scenario ... --set n_clients={n_plain}.",
    },
    "bad_seed": {
        "en": "The seed must be a whole number of 0 or more, not {value!r}.",
        "nl": "De seed moet een geheel getal van 0 of meer zijn, niet {value!r}.",
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
    # network view
    "networks_title": {"en": "Clients' networks", "nl": "Netwerken van cliënten"},
    "first_client": {"en": "First client shown", "nl": "Eerste cliënt in beeld"},
    "client": {"en": "Client {i}", "nl": "Cliënt {i}"},
    "no_naasten": {"en": "no naasten", "nl": "geen naasten"},
    "legend_client": {"en": "client", "nl": "cliënt"},
    "legend_active": {"en": "naaste: active", "nl": "naaste: actief"},
    "legend_dormant": {"en": "naaste: dormant", "nl": "naaste: slapend"},
    "legend_withdrawn": {"en": "naaste: withdrawn (overloaded)", "nl": "naaste: teruggetrokken (overbelast)"},
    "legend_member": {
        "en": "in the support group (ring, thick line)",
        "nl": "in de steungroep (ring, dikke lijn)",
    },
    "legend_built": {"en": "new tie (network building)", "nl": "nieuwe band (netwerkopbouw)"},
    "legend_knows": {"en": "naasten who know each other", "nl": "naasten die elkaar kennen"},
    "networks_note": {
        "en": "Week {week}. Each client sits in the middle of their own naasten.",
        "nl": "Week {week}. Elke cliënt staat midden tussen de eigen naasten.",
    },
    # outcome plots
    "outcomes_title": {"en": "Outcomes over the weeks", "nl": "Uitkomsten per week"},
    "week": {"en": "Week", "nl": "Week"},
    "share_axis": {"en": "Clients (%)", "nl": "Cliënten (%)"},
    "score_axis": {"en": "Mean score (0-1)", "nl": "Gemiddelde score (0-1)"},
    "shares_panel": {"en": "Share of all clients", "nl": "Aandeel van alle cliënten"},
    "scores_panel": {"en": "Mean over clients", "nl": "Gemiddelde over cliënten"},
    "press_step": {"en": "Press Step or ▶ to run weeks", "nl": "Druk op Step of ▶ om weken te draaien"},
    # phases, group forms and housing (titles of the ego networks)
    "form_none": {"en": "no group", "nl": "geen groep"},
    "form_single_naaste": {"en": "one naaste", "nl": "één naaste"},
    "form_whatsapp": {"en": "WhatsApp group", "nl": "WhatsApp-groep"},
    "form_formal": {"en": "formal group", "nl": "formele groep"},
    "housing_shelter": {"en": "in shelter", "nl": "in de opvang"},
    "housing_housed": {"en": "housed", "nl": "gehuisvest"},
    "housing_network_home": {"en": "home through the network", "nl": "woning via het netwerk"},
    "housing_naaste_stay": {"en": "staying with a naaste", "nl": "logeert bij een naaste"},
    "housing_away": {"en": "out of sight", "nl": "uit beeld"},
    "housing_waiting": {"en": "waiting for a place", "nl": "wacht op een plek"},
    "dropped_out": {"en": "dropped out", "nl": "uitgevallen"},
}


def number(value: int, lang: str = "en") -> str:
    """A whole number with thousands separated as the language does it (2,000 or 2.000)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "nl" else text


def page_word(key: str, lang: str = "en", **fmt: object) -> str:
    """A page word in `lang` ('en' or 'nl'), formatted with `fmt`."""
    return translate(PAGE_WORDS, key, lang, **fmt)
