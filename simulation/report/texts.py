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
    "uncertainty_few_distinct": {
        "en": "The {draws} draws hold only {distinct} different sets of those numbers (the calibration "
        "rests on few well-fitting sets), so their part of the spread is a rough estimate.",
        "nl": "De {draws} trekkingen bevatten maar {distinct} verschillende sets van die getallen (de "
        "kalibratie rust op weinig goed passende sets), dus hun deel van de spreiding is een ruwe schatting.",
    },
    "h_strategies": {"en": "The strategies", "nl": "De strategieën"},
    "h_findings": {"en": "Key findings", "nl": "Belangrijkste uitkomsten"},
    "uncertainty_both": {
        "en": "The intervals hold two kinds of uncertainty: chance (who arrives and what happens to them) "
        "and what the evidence leaves open about {n_params} calibrated numbers, such as how many homes "
        "become available each week ({draws} draws from the calibration's posterior, {reps} runs each). "
        "For the extra exits a year with flexible support, {share} of the spread comes from those "
        "numbers and the rest from chance.",
        "nl": "De intervallen bevatten twee soorten onzekerheid: toeval (wie er binnenkomt en wat diegene "
        "overkomt) en wat het onderzoek openlaat over {n_params} gekalibreerde getallen, zoals hoeveel "
        "woningen er per week vrijkomen ({draws} trekkingen uit de kalibratie, elk {reps} runs). Van de "
        "spreiding in de extra uitstroom per jaar met flexibele steun komt {share} uit die getallen en de "
        "rest uit toeval.",
    },
    "uncertainty_chance": {
        "en": "The intervals show chance only: the calibrated and assumed numbers are held at their "
        "central values. What the evidence leaves open about them would widen the intervals "
        "(run `snf compare --posterior calibration/posterior` to include it).",
        "nl": "De intervallen tonen alleen toeval: de gekalibreerde en aangenomen getallen staan vast op hun "
        "middenwaarde. Wat het onderzoek over die getallen openlaat, zou de intervallen breder maken "
        "(draai `snf compare --posterior calibration/posterior` om dat mee te nemen).",
    },
    "lead": {
        "en": "A shelter of {places} places, followed for {years} years after it reached its usual state. "
        "Three ways of working compared on the same simulated people; numbers in brackets are 95% intervals "
        "over {reps} repeated runs.",
        "nl": "Een opvang met {places} plaatsen, {years} jaar gevolgd nadat ze haar gewone bezetting had "
        "bereikt. De werkwijzen zijn vergeleken op dezelfde gesimuleerde mensen; tussen haakjes staat het "
        "95%-interval over {reps} herhaalde runs.",
    },
    "f_support": {
        "en": "With {best}, {best_words} clients in the shelter have people to lean on: a steungroep in some "
        "form ({best_value}; {best_low} to {best_high}), against {others}.",
        "nl": "Met {best} heeft {best_words} cliënten in de opvang mensen om op terug te vallen: een "
        "steungroep in welke vorm dan ook ({best_value}; {best_low} tot {best_high}), tegen {others}.",
    },
    "f_support_other": {"en": "{words} with {name} ({value})", "nl": "{words} bij {name} ({value})"},
    "f_homes_fixed": {
        "en": "The housing market gives the shelter about {homes} homes a year whichever way it works: the "
        "supply of homes sets that number, not support. What network support adds are exits through "
        "naasten: with {strategy}, {extra} more people a year leave for a room found through their network "
        "or a stay with a naaste ({low} to {high}), and {exits} more leave the shelter in all.",
        "nl": "De woningmarkt geeft de opvang ongeveer {homes} woningen per jaar, hoe er ook gewerkt wordt: "
        "het aanbod bepaalt dat aantal, niet de ondersteuning. Wat netwerkondersteuning toevoegt is vertrek "
        "via naasten: met {strategy} vertrekken per jaar {extra} mensen meer naar een kamer via hun netwerk "
        "of naar een logeeradres bij een naaste ({low} tot {high}), en verlaten in totaal {exits} mensen "
        "meer de opvang.",
    },
    "f_homes_slack": {
        "en": "With {strategy} the shelter's clients get {homes} more homes a year ({low} to {high}) and "
        "{extra} more people a year leave through their naasten: here the housing market still has room.",
        "nl": "Met {strategy} krijgen cliënten van de opvang {homes} woningen per jaar meer ({low} tot {high}) "
        "en vertrekken {extra} mensen per jaar meer via hun naasten: hier heeft de woningmarkt nog ruimte.",
    },
    "f_time": {
        "en": "For someone arriving now this means a shorter stay: half have left the shelter after {t_best} "
        "weeks with {best}, against {t_base} weeks with {baseline} ({diff} weeks {direction}; {low} to {high}). "
        "{housed}",
        "nl": "Voor wie nu binnenkomt betekent dat een kortere verblijfsduur: de helft heeft de opvang na "
        "{t_best} weken verlaten met {best}, tegen {t_base} weken bij {baseline} ({diff} weken {direction}; "
        "{low} tot {high}). {housed}",
    },
    "sooner": {"en": "sooner", "nl": "eerder"},
    "later": {"en": "later", "nl": "later"},
    "f_time_year": {
        "en": "For someone arriving now this means a shorter stay: within a year of arriving, {left_best} "
        "have left the shelter with {best}, against {left_base} with {baseline}. {housed}",
        "nl": "Voor wie nu binnenkomt betekent dat een kortere verblijfsduur: binnen een jaar na aankomst "
        "heeft {left_best} de opvang verlaten met {best}, tegen {left_base} bij {baseline}. {housed}",
    },
    "f_time_year_unclear": {
        "en": "Whether someone arriving now leaves the shelter sooner is not clear: within a year of arriving, "
        "{left_best} have left with {best}, against {left_base} with {baseline}. {housed}",
        "nl": "Of wie nu binnenkomt eerder uit de opvang vertrekt, is niet duidelijk: binnen een jaar na "
        "aankomst heeft {left_best} de opvang verlaten met {best}, tegen {left_base} bij {baseline}. {housed}",
    },
    "f_housed_queue": {
        "en": "Within a year of arriving, {best_value} has a home of their own against {base_value}; as the "
        "number of homes is fixed, this is a place further up the queue, taken from someone else.",
        "nl": "Binnen een jaar na aankomst heeft {best_value} een eigen woning, tegen {base_value}; omdat het "
        "aantal woningen vastligt, is dat een plek hoger in de rij, ten koste van iemand anders.",
    },
    "f_housed_queue_year": {
        "en": "In that year {best_value} found a home of their own, against {base_value}; as the number of "
        "homes is fixed, this is a place further up the queue, taken from someone else.",
        "nl": "In dat jaar vond {best_value} een eigen woning, tegen {base_value}; omdat het aantal woningen "
        "vastligt, is dat een plek hoger in de rij, ten koste van iemand anders.",
    },
    "f_housed_more_year": {
        "en": "In that year {best_value} found a home of their own, against {base_value}.",
        "nl": "In dat jaar vond {best_value} een eigen woning, tegen {base_value}.",
    },
    "f_housed_unclear": {
        "en": "Whether more of them find a home of their own within a year is not clear ({best_value} against "
        "{base_value}).",
        "nl": "Of meer van hen binnen een jaar een eigen woning vinden, is niet duidelijk ({best_value} tegen "
        "{base_value}).",
    },
    "f_housed_more": {
        "en": "Within a year of arriving, {best_value} has a home of their own against {base_value}.",
        "nl": "Binnen een jaar na aankomst heeft {best_value} een eigen woning, tegen {base_value}.",
    },
    "f_cost": {
        "en": "{Strategy} takes {hours} hours of a professional per client per year for network work "
        "({euros}; for the whole shelter {fte} FTE).{per}",
        "nl": "{Strategy} vraagt {hours} uur van een professional per cliënt per jaar voor netwerkwerk "
        "({euros}; voor de hele opvang {fte} fte).{per}",
    },
    "f_cost_per": {
        "en": " That is about {per_group} hours for every extra client with a steungroep, and {per_exit} for "
        "every extra person leaving the shelter, compared with {baseline}.",
        "nl": " Dat is ongeveer {per_group} uur voor elke extra cliënt met een steungroep, en {per_exit} voor "
        "elke extra persoon die de opvang verlaat, vergeleken met {baseline}.",
    },
    "f_cost_per_group": {
        "en": " That is about {per_group} hours for every extra client with a steungroep, compared with "
        "{baseline}; it does not clearly raise the number of people leaving the shelter.",
        "nl": " Dat is ongeveer {per_group} uur voor elke extra cliënt met een steungroep, vergeleken met "
        "{baseline}; het aantal mensen dat de opvang verlaat, stijgt er niet duidelijk door.",
    },
    "f_whom": {
        "en": "{Strategy} helps most clients with {top} ({top_value} with a steungroep after half a "
        "year) and least clients with {bottom} ({bottom_value}).{strict}",
        "nl": "{Strategy} helpt vooral cliënten met {top} ({top_value} vaker een steungroep na een half "
        "jaar) en het minst cliënten met {bottom} ({bottom_value}).{strict}",
    },
    "f_whom_strict": {
        "en": " The strict method comes closest for clients with {group}: {strict_value} against {flex_value}.",
        "nl": " De strikte methode komt het dichtst in de buurt bij cliënten met {group}: {strict_value} "
        "tegen {flex_value}.",
    },
    "f_whom_strict_same": {
        "en": " For clients with {group} the strict method works as well: {strict_value} against {flex_value}.",
        "nl": " Bij cliënten met {group} werkt de strikte methode even goed: {strict_value} tegen {flex_value}.",
    },
    "words_none": {"en": "no", "nl": "geen enkele"},
    "alone_none": {"en": "none", "nl": "niemand"},
    "alone_half": {"en": "about half", "nl": "ongeveer de helft"},
    "words_almost_none": {"en": "almost no", "nl": "bijna geen"},
    "words_few": {"en": "fewer than 1 in 20", "nl": "minder dan 1 op de 20"},
    "words_all": {"en": "almost all", "nl": "bijna alle"},
    "words_fraction": {"en": "about {n} in {d}", "nl": "ongeveer {n} op de {d}"},
    "words_half": {"en": "about half of the", "nl": "ongeveer de helft van de"},
    "h_costs": {"en": "What it costs, and what it buys", "nl": "Wat het kost en wat het oplevert"},
    "costs_intro": {
        "en": "Hours are a professional's hours for network work, per client per year in the shelter. Euros use "
        "{cost} an hour (an assumption of the scenario: the full cost of an hour of ambulatory support, "
        "usually between 60 and 100 euros); an FTE is {fte_hours} hours a week for 52 weeks. The burden on "
        "naasten counts too: naasten who withdrew because it became too much.",
        "nl": "Uren zijn uren van een professional voor netwerkwerk, per cliënt per jaar in de opvang. De "
        "bedragen rekenen met {cost} per uur (een aanname van het scenario: de volledige kosten van een uur "
        "ambulante begeleiding, meestal tussen 60 en 100 euro); een fte is {fte_hours} uur per week, 52 "
        "weken per jaar. Ook de belasting van naasten telt als kosten: naasten die zich terugtrokken omdat "
        "het te veel werd.",
    },
    "c_strategy": {"en": "Way of working", "nl": "Werkwijze"},
    "c_hours": {"en": "Hours per client per year", "nl": "Uren per cliënt per jaar"},
    "c_euros": {"en": "Euros per client per year", "nl": "Euro per cliënt per jaar"},
    "c_fte": {"en": "FTE for the shelter", "nl": "Fte voor de opvang"},
    "c_budget": {"en": "Euros per year for the shelter", "nl": "Euro per jaar voor de opvang"},
    "c_idle": {"en": "Hours left unused per client per year", "nl": "Onbenutte uren per cliënt per jaar"},
    "c_withdrawn": {"en": "Naasten who withdrew, per client", "nl": "Teruggetrokken naasten per cliënt"},
    "c_per_group": {
        "en": "Hours per extra client with a steungroep",
        "nl": "Uren per extra cliënt met een steungroep",
    },
    "c_per_exit": {"en": "Hours per extra person leaving", "nl": "Uren per extra vertrek"},
    "c_extra_groups": {
        "en": "Extra clients with a steungroep per year",
        "nl": "Extra cliënten met steungroep per jaar",
    },
    "c_extra_exits": {"en": "Extra people leaving per year", "nl": "Extra vertrek per jaar"},
    "costs_note": {
        "en": "Extra: compared with {baseline}, on the same people (paired). Hours per extra client: the extra "
        "hours of the whole shelter divided by the extra clients, with a bootstrap interval over runs; a dash "
        "where the extra is not clearly above zero.",
        "nl": "Extra: vergeleken met {baseline}, bij dezelfde mensen (gepaard). Uren per extra cliënt: de "
        "extra uren van de hele opvang gedeeld door het aantal extra cliënten, met een bootstrapinterval over "
        "runs; een streepje waar het extra niet duidelijk boven nul ligt.",
    },
    "h_whom": {"en": "For whom it works", "nl": "Voor wie het werkt"},
    "whom_intro": {
        "en": "The same people arrive under each way of working, so the effect can be compared within groups of "
        "clients: by the number of naasten they have when they arrive, whether they refuse all contact with "
        "them, and how well a fixed structure suits them. The measure is having a steungroep half a year "
        "after arriving.",
        "nl": "Onder elke werkwijze komen dezelfde mensen binnen, dus het effect is te vergelijken binnen "
        "groepen cliënten: naar het aantal naasten bij aankomst, of ze elk contact met naasten weigeren, en "
        "hoe goed een vaste structuur bij ze past. De maat is een steungroep hebben een half jaar na aankomst.",
    },
    "h_todo": {"en": "What to do tomorrow", "nl": "Wat u morgen kunt doen"},
    "todo_intro": {
        "en": "The strict and the flexible method differ in five settings an organisation can change. Switched "
        "one by one and in all combinations, this is what each buys of the difference in clients with a "
        "steungroep ({gap} between them):",
        "nl": "De strikte en de flexibele methode verschillen in vijf instellingen die een organisatie zelf kan "
        "veranderen. Een voor een en in alle combinaties omgezet levert elk dit op van het verschil in "
        "cliënten met een steungroep ({gap} tussen beide):",
    },
    "todo_item": {
        "en": "{action}: {share} of the difference ({low} to {high}), about {points}.",
        "nl": "{action}: {share} van het verschil ({low} tot {high}), ongeveer {points}.",
    },
    "todo_item_none": {
        "en": "{action}: no clear part of the difference.",
        "nl": "{action}: geen duidelijk deel van het verschil.",
    },
    "todo_fallback": {
        "en": "Of the ways of working compared here, {best} gives the most clients a steungroep. Which of its "
        "features matter most (a group of one, consent per naaste, no fixed structure, building new ties, "
        "the client in charge) shows the decomposition, which is not part of these results.",
        "nl": "Van de vergeleken werkwijzen geeft {best} de meeste cliënten een steungroep. Welke kenmerken "
        "daarvan het meest uitmaken (een groep van één, toestemming per naaste, geen vast stramien, nieuwe "
        "contacten maken, de regie bij de cliënt) laat de decompositie zien; die hoort niet bij deze "
        "resultaten.",
    },
    "todo_item_draws": {
        "en": "Depending on the calibrated numbers: {range}{spread}.",
        "nl": "Afhankelijk van de gekalibreerde getallen: {range}{spread}.",
    },
    "spread_short": {
        "en": " ({param} of the spread comes from those numbers, {chance} from chance)",
        "nl": " ({param} van de spreiding komt uit die getallen, {chance} uit toeval)",
    },
    "todo_draws": {
        "en": "These parts were worked out over {draws} draws of the calibrated numbers ({reps} runs each), so "
        "they hold both kinds of uncertainty: chance, and what the evidence leaves open about those numbers. "
        "Depending on those numbers, the whole gap lies between {low} and {high}.",
        "nl": "Deze delen zijn berekend over {draws} trekkingen van de gekalibreerde getallen (elk {reps} runs), "
        "dus ze bevatten beide soorten onzekerheid: toeval, en wat het onderzoek openlaat over die getallen. "
        "Afhankelijk van die getallen ligt het hele verschil tussen {low} en {high}.",
    },
    "spread": {
        "en": "Of the spread, {param} comes from what the evidence leaves open about the calibrated numbers "
        "and {chance} from chance.",
        "nl": "Van de spreiding komt {param} uit wat het onderzoek openlaat over de gekalibreerde getallen en "
        "{chance} uit toeval.",
    },
    "todo_chance": {
        "en": "These intervals cover chance only, not what the evidence leaves open about the calibrated "
        "numbers: the decomposition ran with those numbers fixed at their central values, so the real "
        "uncertainty is larger. To include it, run:",
        "nl": "Deze intervallen tonen alleen toeval, niet wat het onderzoek openlaat over de gekalibreerde "
        "getallen: de decompositie draaide met die getallen vast op hun middenwaarde, dus de werkelijke "
        "onzekerheid is groter. Meenemen kan met:",
    },
    "todo_threshold": {
        "en": "Where the strict method can work: {finding}",
        "nl": "Waar de strikte methode kan werken: {finding}",
    },
    "action_min_group_size": {
        "en": "Allow a steungroep of one naaste",
        "nl": "Sta een steungroep van één naaste toe",
    },
    "action_consent_rule": {
        "en": "Ask consent per naaste, and again as trust grows",
        "nl": "Vraag toestemming per naaste, en later opnieuw als het vertrouwen groeit",
    },
    "action_format": {
        "en": "Let go of the fixed stramien and meet in the form that suits the client",
        "nl": "Laat het vaste stramien los en kom samen in de vorm die bij de cliënt past",
    },
    "action_network_building": {
        "en": "Help clients restore old ties and make new ones",
        "nl": "Help cliënten oude contacten te herstellen en nieuwe te maken",
    },
    "action_direction": {
        "en": "Let the client lead (eigen regie)",
        "nl": "Laat de regie bij de cliënt (eigen regie)",
    },
    "h_flow": {"en": "The shelter as a whole", "nl": "De opvang als geheel"},
    "flow_intro": {
        "en": "Per year, for the whole shelter: who arrives, who leaves and by which route, who comes back, how "
        "full it is and how many wait outside.",
        "nl": "Per jaar, voor de hele opvang: wie binnenkomt, wie vertrekt en langs welke route, wie terugkomt, "
        "hoe vol de opvang is en hoeveel mensen buiten wachten.",
    },
    "h_both_levels": {
        "en": "Effect on supported clients and on the whole shelter",
        "nl": "Effect op ondersteunde cliënten en op de hele opvang",
    },
    "both_levels": {
        "en": "Left: what a new arrival gains, compared with {baseline}. Right: what the whole shelter gains per "
        "year. When homes are scarce, the two differ: clients can move up the queue without the shelter "
        "receiving more homes.",
        "nl": "Links: wat iemand die binnenkomt wint, vergeleken met {baseline}. Rechts: wat de hele opvang per "
        "jaar wint. Als woningen schaars zijn, verschillen die twee: cliënten kunnen in de rij opschuiven "
        "zonder dat de opvang meer woningen krijgt.",
    },
    "l_home_1y": {"en": "Home within a year of arriving", "nl": "Woning binnen een jaar na aankomst"},
    "l_left_1y": {"en": "Left the shelter within a year", "nl": "Opvang verlaten binnen een jaar"},
    "l_homes": {"en": "Homes per year", "nl": "Woningen per jaar"},
    "l_exits": {"en": "People leaving per year", "nl": "Vertrek per jaar"},
    "l_per_client": {"en": "per new arrival", "nl": "per nieuwe cliënt"},
    "l_per_shelter": {"en": "whole shelter", "nl": "hele opvang"},
    "h_time": {"en": "Time to a home and to leaving", "nl": "Tijd tot een woning en tot vertrek"},
    "time_intro": {
        "en": "Followed from their own arrival. People who have not yet found a home when the run ends, or who "
        "are no longer followed, count for as long as they were seen (Kaplan-Meier), so slow cases are not "
        "left out.",
        "nl": "Gevolgd vanaf hun eigen aankomst. Wie aan het eind nog geen woning heeft, of niet meer gevolgd "
        "wordt, telt mee zolang hij in beeld was (Kaplan-Meier), zodat trage gevallen niet wegvallen.",
    },
    "s_by": {"en": "by week {week}", "nl": "na {week} weken"},
    "s_median": {"en": "half reached after (weeks)", "nl": "helft bereikt na (weken)"},
    "s_home": {"en": "A home of one's own", "nl": "Een eigen woning"},
    "s_exit": {"en": "Left the shelter (any route)", "nl": "Opvang verlaten (elke route)"},
    "s_not_reached": {
        "en": "not within {weeks} weeks in every run",
        "nl": "niet in elke run binnen {weeks} weken",
    },
    "h_details": {"en": "Support groups and other outcomes", "nl": "Steungroepen en andere uitkomsten"},
    "table_note": {
        "en": "Mean over replications with its 95% interval; shares are of the clients in the shelter at the end.",
        "nl": "Gemiddelde over herhalingen met 95%-interval; aandelen zijn van de cliënten die aan het eind in "
        "de opvang zijn.",
    },
    "col_outcome": {"en": "Outcome", "nl": "Uitkomst"},
    "h_funnel": {"en": "Why the strict method rarely starts", "nl": "Waarom de strikte methode zelden start"},
    "funnel": {
        "en": "Under the strict method {willing} of new clients allow contact with at least one naaste, "
        "{formed} ever hold a first group meeting and {sustained} still have a formal group at the end. "
        "Of all arrivals, {too_few} end without a group because they have too few ties, {no_consent} because "
        "consent is lacking and {dropped} because they dropped out of the stramien.",
        "nl": "Bij de strikte methode staat {willing} van de nieuwe cliënten contact met minstens één naaste toe, "
        "houdt {formed} ooit een eerste groepsbijeenkomst en heeft {sustained} aan het eind nog een formele "
        "groep. Van alle nieuwe cliënten eindigt {too_few} zonder groep omdat ze te weinig banden hebben, "
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
    "mechanisms_draws": {
        "en": "For {strategy}, {mediated} of the effect on housing runs through perceived support ({mediated_low} "
        "to {mediated_high} depending on the calibrated numbers) and {regie} through eigen regie ({regie_low} "
        "to {regie_high}).",
        "nl": "Bij {strategy} loopt {mediated} van het effect op huisvesting via ervaren steun ({mediated_low} "
        "tot {mediated_high}, afhankelijk van de gekalibreerde getallen) en {regie} via eigen regie "
        "({regie_low} tot {regie_high}).",
    },
    "h_mech_sure": {"en": "How sure are these effects?", "nl": "Hoe zeker zijn deze effecten?"},
    "mech_sure_intro": {
        "en": "The knockouts were worked out over {draws} draws of the calibrated numbers ({reps} runs each), "
        "so the effects hold both kinds of uncertainty. The range shows where an effect lies depending on "
        "what the evidence leaves open about those numbers; the last two columns split its spread into that "
        "part and chance.",
        "nl": "De knock-outs zijn berekend over {draws} trekkingen van de gekalibreerde getallen (elk {reps} "
        "runs), dus de effecten bevatten beide soorten onzekerheid. Het bereik laat zien waar een effect ligt "
        "afhankelijk van wat het onderzoek openlaat over die getallen; de laatste twee kolommen verdelen de "
        "spreiding over dat deel en toeval.",
    },
    "mech_sure_example": {
        "en": "{Strategy}, effect on {outcome}: {effect} compared with {baseline}, between {low} and {high} "
        "depending on the calibrated numbers. {spread}",
        "nl": "{Strategy}, effect op {outcome}: {effect} vergeleken met {baseline}, tussen {low} en {high} "
        "afhankelijk van de gekalibreerde getallen. {spread}",
    },
    "m_effect": {"en": "Effect compared with {baseline}", "nl": "Effect vergeleken met {baseline}"},
    "m_range": {
        "en": "Range over the calibrated numbers",
        "nl": "Bereik over de gekalibreerde getallen",
    },
    "m_from_numbers": {
        "en": "Spread from the calibrated numbers",
        "nl": "Spreiding uit de gekalibreerde getallen",
    },
    "m_from_chance": {"en": "Spread from chance", "nl": "Spreiding uit toeval"},
    "mech_chance": {
        "en": "These shares cover chance only, not what the evidence leaves open about the calibrated numbers: "
        "the knockouts ran with those numbers fixed at their central values, so the real uncertainty is "
        "larger. To include it, run:",
        "nl": "Deze aandelen tonen alleen toeval, niet wat het onderzoek openlaat over de gekalibreerde "
        "getallen: de knock-outs draaiden met die getallen vast op hun middenwaarde, dus de werkelijke "
        "onzekerheid is groter. Meenemen kan met:",
    },
    "h_validation": {
        "en": "Does the model reproduce what is known?",
        "nl": "Reproduceert het model wat bekend is?",
    },
    "validation": {
        "en": "{passed} of {total} checks against evidence that was not used to calibrate the model pass; "
        "{failed} fail (marked in the figure: the model should not be trusted on those points). The {fit} "
        "numbers the model was calibrated to are shown as fit and not counted: agreeing with them proves "
        "nothing.",
        "nl": "{passed} van de {total} toetsen aan gegevens die niet voor de kalibratie zijn gebruikt, slagen; "
        "{failed} slagen niet (gemarkeerd in de figuur: op die punten is het model niet te vertrouwen). De "
        "{fit} getallen waarop het model is gekalibreerd, staan erbij als fit en tellen niet mee: "
        "daarmee overeenkomen bewijst niets.",
    },
    "h_assumptions": {"en": "Assumptions and limitations", "nl": "Aannames en beperkingen"},
    "assumptions": {
        "en": "Several key numbers are not known for Dutch shelters and are assumptions: the size of clients' "
        "networks, the share refusing contact with naasten, how often a naaste offers a place to stay, the "
        "number of homes the housing market offers each week and the cost of a professional hour. Others come "
        "from other populations (mental health care, youth care, the United States). The model simplifies: "
        "people arrive at a steady rate into a shelter with a fixed number of places, homes go to the clients "
        "who are most ready, a naaste belongs to one client, and only hours for network work are counted, not "
        "the rest of case management. {sensitivity}Read the differences between ways of working, not the "
        "exact percentages.",
        "nl": "Een aantal belangrijke getallen is voor de Nederlandse opvang niet bekend en dus aangenomen: de "
        "grootte van het netwerk van cliënten, het aandeel dat contact met naasten weigert, hoe vaak een "
        "naaste een logeerplek biedt, het aantal woningen dat de woningmarkt per week aanbiedt en de kosten "
        "van een uur van een professional. Andere komen uit andere groepen (ggz, jeugdzorg, de Verenigde "
        "Staten). Het model vereenvoudigt: mensen komen in een vast tempo binnen in een opvang met een vast "
        "aantal plaatsen, woningen gaan naar de cliënten die er het meest klaar voor zijn, een naaste hoort "
        "bij één cliënt, en alleen uren voor netwerkwerk tellen mee, niet de rest van de begeleiding. "
        "{sensitivity}Lees de verschillen tussen werkwijzen, niet de precieze percentages.",
    },
    "sensitivity_present": {
        "en": "The sensitivity analysis with these results shows which assumptions matter most. ",
        "nl": "De gevoeligheidsanalyse bij deze resultaten laat zien welke aannames het meest uitmaken. ",
    },
    "sensitivity_absent": {
        "en": "How much each assumption matters is not part of these results; a sensitivity analysis would show it. ",
        "nl": "Hoeveel elke aanname uitmaakt, hoort niet bij deze resultaten; een gevoeligheidsanalyse laat dat zien. ",
    },
    "missing": {
        "en": "Not part of these results. To add it, run:",
        "nl": "Hoort niet bij deze resultaten. Toevoegen kan met:",
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
