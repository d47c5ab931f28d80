"""Every sentence of the report, in English and Dutch (domain terms stay Dutch in both)."""

from __future__ import annotations

from simulation.plots.labels import translate

TEXT: dict[str, dict[str, str]] = {
    "title": {
        "en": "Network support in Dutch shelters: what the simulation shows",
        "nl": "Netwerkondersteuning in de maatschappelijke opvang: wat de simulatie laat zien",
    },
    "subtitle": {
        "en": "A report from the agent-based model of netwerkondersteuning, for readers without code",
        "nl": "Een rapport uit het agent-based model van netwerkondersteuning, voor lezers zonder code",
    },
    "lang_other": {"en": "Nederlandse versie", "nl": "English version"},
    "h_question": {"en": "The question", "nl": "De vraag"},
    "question": {
        "en": "Shelter organisations in Amsterdam and Haarlem tried the strict Resource method with homeless "
        "clients: a steungroep of professionals and naasten that meets in a fixed format, the stramien. "
        "In practice it rarely started: many clients' networks were too small, part of the clients did not "
        "want their naasten contacted, and the stramien did not fit their lives. The organisations moved to "
        "flexible netwerkondersteuning: support in any form, with the client in charge (eigen regie). "
        "This report compares the two ways of working, and care as usual, in a simulation: which gives more "
        "clients people to lean on, rust and a home, at what cost in professional hours and in burden on "
        "naasten, and what the strict method would need to work.",
        "nl": "Opvangorganisaties in Amsterdam en Haarlem probeerden de strikte Resourcemethode met dak- en "
        "thuisloze cliënten: een steungroep van professionals en naasten die volgens een vast stramien "
        "bijeenkomt. In de praktijk kwam die zelden van de grond: het netwerk van veel cliënten was te klein, "
        "een deel van de cliënten wilde niet dat hun naasten benaderd werden, en het stramien paste niet bij "
        "hun leven. De organisaties stapten over op flexibele netwerkondersteuning: steun in elke vorm, met "
        "de regie bij de cliënt (eigen regie). Dit rapport vergelijkt beide werkwijzen, en gebruikelijke zorg, "
        "in een simulatie: welke geeft meer cliënten mensen om op te leunen, rust en een woning, wat kost dat "
        "aan uren van professionals en aan belasting van naasten, en wat zou de strikte methode nodig hebben "
        "om te werken?",
    },
    "how_to_read": {
        "en": "The numbers come from a simulation with assumed parameters, not from measurements of real "
        "clients. Every figure shows its uncertainty: the range within which the simulated average lies with "
        "95% certainty, over {reps} repeated runs. The strategies were run on the same simulated clients and "
        "networks, so their differences are compared like for like.",
        "nl": "De getallen komen uit een simulatie met aangenomen parameters, niet uit metingen bij echte "
        "cliënten. Elke figuur toont de onzekerheid: het bereik waarin het gesimuleerde gemiddelde met 95% "
        "zekerheid ligt, over {reps} herhaalde runs. De strategieën draaiden op dezelfde gesimuleerde "
        "cliënten en netwerken, zodat hun verschillen eerlijk vergeleken worden.",
    },
    "h_strategies": {"en": "The strategies", "nl": "De strategieën"},
    "h_findings": {"en": "Key findings", "nl": "Belangrijkste uitkomsten"},
    "finding_group": {
        "en": "After {weeks} weeks, {best} gives {best_value} of clients a support group in some form "
        "(95% interval {best_low} to {best_high}); {others}.",
        "nl": "Na {weeks} weken heeft {best_value} van de cliënten een steungroep in een of andere vorm bij "
        "{best} (95%-interval {best_low} tot {best_high}); {others}.",
    },
    "finding_other": {"en": "{name}: {value}", "nl": "{name}: {value}"},
    "finding_diff": {
        "en": "Compared with {baseline}, {strategy} changes {outcome} by {diff} (95% interval {low} to {high}).",
        "nl": "Vergeleken met {baseline} verandert {strategy} {outcome} met {diff} (95%-interval {low} tot "
        "{high}).",
    },
    "finding_cost": {
        "en": "This costs {hours} professional hours per client over the period under {strategy}, "
        "against {other_hours} under {other}.",
        "nl": "Dat kost {hours} uur van een professional per cliënt over de hele periode bij {strategy}, "
        "tegen {other_hours} bij {other}.",
    },
    "table_note": {
        "en": "Mean over replications with its 95% interval; shares are of all clients.",
        "nl": "Gemiddelde over herhalingen met 95%-interval; aandelen zijn van alle cliënten.",
    },
    "col_outcome": {"en": "Outcome", "nl": "Uitkomst"},
    "h_funnel": {"en": "Why the strict method rarely starts", "nl": "Waarom de strikte methode zelden start"},
    "funnel": {
        "en": "Under the strict method {willing} of clients allow contact with at least one naaste, "
        "{formed} ever hold a first group meeting and {sustained} still have a formal group at the end. "
        "Of all clients, {too_few} end without a group because they have too few ties, {no_consent} because "
        "consent is lacking and {dropped} because they dropped out of the stramien.",
        "nl": "Bij de strikte methode staat {willing} van de cliënten contact met minstens één naaste toe, "
        "houdt {formed} ooit een eerste groepsbijeenkomst en heeft {sustained} aan het eind nog een formele "
        "groep. Van alle cliënten eindigt {too_few} zonder groep omdat ze te weinig banden hebben, "
        "{no_consent} omdat toestemming ontbreekt en {dropped} omdat ze uitvielen uit het stramien.",
    },
    "decomposition": {
        "en": "Where does the gap between the strict and the flexible method come from? The five settings "
        "that separate them were switched one by one and in all combinations. Of the gap in support groups, "
        "{parts}.",
        "nl": "Waar komt het verschil tussen de strikte en de flexibele methode vandaan? De vijf instellingen "
        "waarin ze verschillen zijn een voor een en in alle combinaties omgezet. Van het verschil in "
        "steungroepen komt {parts}.",
    },
    "decomposition_part": {"en": "{share} is due to the {knob}", "nl": "{share} door de {knob}"},
    "h_threshold": {
        "en": "What the strict method needs to work",
        "nl": "Wat de strikte methode nodig heeft om te werken",
    },
    "threshold_intro": {
        "en": "The map shows the strict method's share of clients with a group as a percentage of what the "
        "flexible method achieves, for networks of different sizes, shares of clients refusing all contact "
        "and fit with a fixed structure.",
        "nl": "De kaart toont het aandeel cliënten met een groep bij de strikte methode als percentage van wat "
        "de flexibele methode bereikt, bij netwerken van verschillende grootte, verschillende aandelen "
        "cliënten die elk contact weigeren en verschillende passing bij een vaste structuur.",
    },
    "h_mechanisms": {"en": "How network support works", "nl": "Hoe netwerkondersteuning werkt"},
    "mechanisms": {
        "en": "For {strategy}, {mediated} of the effect on housing runs through perceived support and {regie} "
        "through eigen regie.",
        "nl": "Bij {strategy} loopt {mediated} van het effect op huisvesting via ervaren steun en {regie} via "
        "eigen regie.",
    },
    "mechanisms_intro": {
        "en": "Each mechanism of the model was switched off in turn, to see how much of each strategy's effect "
        "depends on it (knockouts).",
        "nl": "Elk mechanisme in het model is om de beurt uitgezet, om te zien hoeveel van het effect van elke "
        "strategie ervan afhangt (knock-outs).",
    },
    "h_validation": {
        "en": "Does the model reproduce what is known?",
        "nl": "Reproduceert het model wat bekend is?",
    },
    "validation": {
        "en": "{passed} of {total} known patterns are reproduced, among them the three bottlenecks of the strict "
        "method, their disappearance when their cause is removed, about two thirds of clients housed 2.5 years "
        "after entering the shelter, and an uptake funnel like that seen for network conferences.",
        "nl": "{passed} van de {total} bekende patronen worden gereproduceerd, waaronder de drie knelpunten van "
        "de strikte methode, hun verdwijnen als de oorzaak wegvalt, ongeveer twee derde van de cliënten "
        "gehuisvest 2,5 jaar na instroom in de opvang, en een trechter zoals gezien bij netwerkconferenties.",
    },
    "h_assumptions": {"en": "Assumptions and limitations", "nl": "Aannames en beperkingen"},
    "assumptions": {
        "en": "Several key numbers are not known for Dutch shelters and are assumptions: the size of clients' "
        "networks, the share refusing contact with naasten, and typical group size. Others come from other "
        "populations (mental health care, youth care, the United States). The model simplifies: all clients "
        "start at once, a naaste belongs to one client, professional time is shared evenly, and housing "
        "availability is one number. The results show what follows from these assumptions; the sensitivity "
        "analysis shows which of them matter most. Read the differences between strategies, not the exact "
        "percentages.",
        "nl": "Een aantal belangrijke getallen is voor de Nederlandse opvang niet bekend en dus aangenomen: de "
        "grootte van het netwerk van cliënten, het aandeel dat contact met naasten weigert en de gebruikelijke "
        "groepsgrootte. Andere komen uit andere groepen (ggz, jeugdzorg, de Verenigde Staten). Het model "
        "vereenvoudigt: alle cliënten beginnen tegelijk, een naaste hoort bij één cliënt, de tijd van "
        "professionals wordt gelijk verdeeld en de beschikbaarheid van woningen is één getal. De uitkomsten "
        "laten zien wat uit deze aannames volgt; de gevoeligheidsanalyse laat zien welke het meest uitmaken. "
        "Lees de verschillen tussen strategieën, niet de precieze percentages.",
    },
    "missing": {
        "en": "Not part of these results. Run: {command}",
        "nl": "Niet in deze resultaten. Draai: {command}",
    },
    "h_reproduce": {"en": "Reproducibility", "nl": "Reproduceerbaarheid"},
    "footer": {
        "en": "Made with snf-simulation {version} (git commit {commit}{dirty}) on {date}. Scenario: {scenario}. "
        "Root seed {seed}, {reps} replications of {weeks} weeks. Command: {command}",
        "nl": "Gemaakt met snf-simulation {version} (git-commit {commit}{dirty}) op {date}. Scenario: "
        "{scenario}. Startzaad {seed}, {reps} herhalingen van {weeks} weken. Opdracht: {command}",
    },
    "dirty": {"en": ", with uncommitted changes", "nl": ", met niet-vastgelegde wijzigingen"},
    "and": {"en": "and", "nl": "en"},
    "none": {"en": "none", "nl": "geen"},
}


def t(key: str, lang: str, **fmt: object) -> str:
    return translate(TEXT, key, lang, **fmt)
