"""Clients in the shelter in the middle of their naasten, coloured by the state of each tie.

`ego_graph` turns one client's rows of `model.ties` into a networkx graph; `networks_svg` draws
a few of them side by side with a legend. A naaste's colour says whether the tie is in contact,
out of contact or withdrawn after overload (`palette.COLOURS`); support-group members get a black
ring and a thick line to the client; new ties made by network building (peers and volunteers) are
squares; thin grey lines join naasten who know each other. Drawn as SVG (`svg.py`): nine
networks take milliseconds, so the view can follow a running model.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from simulation.app import svg
from simulation.app.palette import COLOURS, INK
from simulation.app.words import number, page_word
from simulation.model import NetworkSupportModel
from simulation.model.population import knows_each_other
from simulation.model.state import GroupForm, Phase, TieStatus

#: colour of a naaste by tie status
STATUS_COLOURS = {
    TieStatus.ACTIVE: COLOURS["naaste_active"],
    TieStatus.DORMANT: COLOURS["naaste_dormant"],
    TieStatus.WITHDRAWN: COLOURS["naaste_withdrawn"],
}
CLIENT = "client"


def ego_graph(model: NetworkSupportModel, client: int) -> nx.Graph:
    """One client (a row) and its naasten: a node per naaste with its tie's state, an edge per tie,
    and edges between naasten who know each other (naasten made by network building know nobody)."""
    t = model.ties
    g = nx.Graph()
    g.add_node(CLIENT, kind="client")
    mine = [int(j) for j in model.ties_of(client)]
    for j in mine:
        g.add_node(
            j,
            kind="naaste",
            status=TieStatus(int(t.status[j])),
            member=bool(t.member[j]),
            built=bool(t.built[j]),
        )
        g.add_edge(CLIENT, j, kind="tie", member=bool(t.member[j]))
    known = [j for j in mine if not t.built[j]]
    if len(known) > 1:
        a, b = np.triu_indices(len(known), k=1)
        rows = np.asarray(known)
        pairs = knows_each_other(
            model.seed,
            int(model.clients.uid[client]),
            t.slot[rows[a]],
            t.slot[rows[b]],
            model.params.population.acquaintance_probability,
        )
        for i, k in zip(rows[a][pairs], rows[b][pairs], strict=True):
            g.add_edge(int(i), int(k), kind="knows")
    return g


def client_title(model: NetworkSupportModel, client: int, lang: str) -> str:
    """`Client 812` and below it the group form (or dropped out) and the weeks in the shelter."""
    c = model.clients
    form = GroupForm(int(c.group_form[client])).name.lower()
    first = (
        page_word("dropped_out", lang)
        if c.phase[client] == Phase.DROPPED_OUT
        else page_word(f"form_{form}", lang)
    )
    weeks = page_word("weeks_here", lang, w=number(model.week - int(c.location_since[client]), lang))
    return page_word("client", lang, i=number(int(c.uid[client]), lang)) + "\n" + f"{first}, {weeks}"


#: size of one client's drawing, and the radius of the circle of naasten
CELL_W, CELL_H, RADIUS = 200, 200, 62


def legend_items(lang: str) -> list[tuple[str, str, str, str]]:
    """(kind, fill, ring, label) of each legend entry: kind is dot, square or line."""
    return [
        ("dot", COLOURS["client"], "#FFFFFF", page_word("legend_client", lang)),
        ("dot", STATUS_COLOURS[TieStatus.ACTIVE], "#FFFFFF", page_word("legend_active", lang)),
        ("dot", STATUS_COLOURS[TieStatus.DORMANT], "#FFFFFF", page_word("legend_dormant", lang)),
        ("dot", STATUS_COLOURS[TieStatus.WITHDRAWN], "#FFFFFF", page_word("legend_withdrawn", lang)),
        ("dot", "#FFFFFF", INK["member_ring"], page_word("legend_member", lang)),
        ("square", "#FFFFFF", INK["tie"], page_word("legend_built", lang)),
        ("line", INK["knows"], INK["knows"], page_word("legend_knows", lang)),
    ]


def _ego_svg(model: NetworkSupportModel, client: int, lang: str, left: float, top: float) -> list[str]:
    g = ego_graph(model, client)
    naasten = [n for n in g.nodes if n != CLIENT]
    cx, cy = left + CELL_W / 2, top + 36 + RADIUS + 14
    angles = np.linspace(0.0, 2 * np.pi, len(naasten), endpoint=False) - np.pi / 2
    pos = {
        n: (cx + RADIUS * math.cos(a), cy + RADIUS * math.sin(a))
        for n, a in zip(naasten, angles, strict=True)
    }
    pos[CLIENT] = (cx, cy)
    r = max(3.5, min(8.0, 70.0 / max(len(naasten), 1)))
    uid = int(model.clients.uid[client])
    out = [f'<g data-client="{uid}">']
    name, detail = client_title(model, client, lang).split("\n")
    out.append(svg.text(cx, top + 14, name, size=11.5, anchor="middle", weight="bold"))
    out.append(svg.text(cx, top + 29, detail, size=10.5, anchor="middle", colour="#333"))
    for u, v, d in g.edges(data=True):
        if d["kind"] == "knows":
            out.append(svg.line(*pos[u], *pos[v], INK["knows"], 0.8))
    for n in naasten:
        node = g.nodes[n]
        active = node["status"] == TieStatus.ACTIVE
        out.append(
            svg.line(
                *pos[CLIENT], *pos[n], INK["tie"], 3.0 if node["member"] else 1.0, None if active else "4 3"
            )
        )
    for n in naasten:
        node = g.nodes[n]
        fill = STATUS_COLOURS[node["status"]]
        ring = INK["member_ring"] if node["member"] else "#FFFFFF"
        width = 2.4 if node["member"] else 0.8
        mark = svg.square if node["built"] else svg.circle
        out.append(
            mark(
                *pos[n],
                r,
                fill,
                ring,
                width,
                data_status=node["status"].name.lower(),
                data_member=int(node["member"]),
                data_built=int(node["built"]),
            )
        )
    out.append(svg.circle(cx, cy, 10, COLOURS["client"], data_status="client"))
    if not naasten:
        out.append(
            svg.text(cx, cy + 26, page_word("no_naasten", lang), size=10, anchor="middle", colour=INK["note"])
        )
    out.append("</g>")
    return out


def networks_svg(
    model: NetworkSupportModel,
    clients: list[int],
    lang: str = "en",
    *,
    columns: int = 3,
    first: int = 0,
    present: int | None = None,
) -> str:
    """Ego networks of the listed clients (rows) in a grid, with a note above and a legend below.
    `first` and `present` number them for the note: the first shown is the `first`-th (from 0) of
    the `present` clients in the shelter."""
    present = len(clients) if present is None else present
    cols = max(1, min(columns, max(len(clients), 1)))
    rows = max(1, math.ceil(len(clients) / cols))
    width = CELL_W * cols
    body = [
        svg.text(
            width / 2,
            14,
            page_word(
                "networks_note",
                lang,
                week=number(model.week, lang),
                first=number(first + 1, lang),
                last=number(first + len(clients), lang),
                present=number(present, lang),
            )
            if clients
            else page_word("nobody_present", lang),
            size=10.5,
            anchor="middle",
            colour=INK["note"],
        )
    ]
    for k, client in enumerate(clients):
        body += _ego_svg(model, client, lang, CELL_W * (k % cols), 22 + CELL_H * (k // cols))
    legend_top = 22 + CELL_H * rows + 8
    items = legend_items(lang)
    for i, (kind, fill, ring, label) in enumerate(items):
        x, y = 12, legend_top + 16 * i + 8
        if kind == "line":
            body.append(svg.line(x - 7, y, x + 7, y, fill, 1.5))
        elif kind == "square":
            body.append(svg.square(x, y, 5.5, fill, ring, 1.2))
        else:
            body.append(svg.circle(x, y, 6, fill, ring, 2.2 if ring == INK["member_ring"] else 0.8))
        body.append(svg.text(x + 12, y + 4, label, size=10.5))
    return svg.document(width, legend_top + 16 * len(items) + 8, body, data_week=model.week)
