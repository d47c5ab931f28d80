"""The page's colours: one colour, one meaning, everywhere on the page.

Every coloured mark on the page (a naaste's dot, a line in the live plot, the swatch beside an
exit route on the status card) takes its colour from `COLOURS`, by what it means. No two meanings
share a colour, so a colour never says two things (a test checks). Greys and black for structure
(rings, thin lines, the warm-up band) are in `INK` and carry no meaning of their own. The colours
are Okabe-Ito and Paul Tol's "muted" set, both safe for the common forms of colour blindness.
"""

from __future__ import annotations

COLOURS: dict[str, str] = {
    # the network view
    "client": "#332288",
    "naaste_active": "#009E73",
    "naaste_dormant": "#BBBBBB",
    "naaste_withdrawn": "#D55E00",
    # people in and at the door of the shelter
    "in_shelter": "#0072B2",
    "waiting_for_place": "#88CCEE",
    # exits by route
    "exits_housing_market": "#E69F00",
    "exits_network_home": "#AA4499",
    "exits_naaste_stay": "#999933",
    "exits_care": "#DDCC77",
    "exits_unknown": "#666666",
    # support among the clients in the shelter
    "has_support_group": "#CC79A7",
    "formal_group": "#44AA99",
    "dropped_out": "#882255",
}

#: structure, not meaning: rings of support-group members, tie lines, grids, the warm-up band
INK: dict[str, str] = {
    "member_ring": "#000000",
    "tie": "#555555",
    "knows": "#DDDDDD",
    "grid": "#E5E5E5",
    "warmup": "#F2F2F2",
    "note": "#555555",
}


def colour(meaning: str) -> str:
    """The colour of `meaning` (a key of `COLOURS`)."""
    return COLOURS[meaning]
