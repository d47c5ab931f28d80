"""Clients' ego networks: each client in the middle of its naasten, coloured by the state of the tie.

`ego_graph` turns one client's rows of `model.ties` into a networkx graph; `networks_figure` draws
a few of them side by side with a legend. Naasten are coloured by tie status (active, dormant,
withdrawn); support-group members get a black ring and a thick line to the client; new ties made
by network building are squares; thin grey lines join naasten who know each other.
"""

from __future__ import annotations

import math

import networkx as nx
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from simulation.app.words import page_word
from simulation.model import NetworkSupportModel
from simulation.model.state import GroupForm, Location, Phase, TieStatus

#: colour of a naaste by tie status (Okabe-Ito, safe for colour blindness)
STATUS_COLOURS = {
    TieStatus.ACTIVE: "#009E73",
    TieStatus.DORMANT: "#BBBBBB",
    TieStatus.WITHDRAWN: "#D55E00",
}
CLIENT_COLOUR = "#0072B2"
CLIENT = "client"


def ego_graph(model: NetworkSupportModel, client: int) -> nx.Graph:
    """One client and its naasten: a node per naaste with its tie's state, an edge per tie, and
    edges between naasten who know each other."""
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
    ours = set(mine)
    for j in mine:
        for k in model.acquaintances.of(j):
            k = int(k)
            if k in ours and j < k:
                g.add_edge(j, k, kind="knows")
    return g


def _client_title(model: NetworkSupportModel, client: int, lang: str) -> str:
    c = model.clients
    form = GroupForm(int(c.group_form[client])).name.lower()
    housing = Location(int(c.location[client])).name.lower()
    parts = [page_word(f"form_{form}", lang), page_word(f"housing_{housing}", lang)]
    if c.phase[client] == Phase.DROPPED_OUT:
        parts.append(page_word("dropped_out", lang))
    return page_word("client", lang, i=client) + "\n" + ", ".join(parts)


def _draw_ego(ax, model: NetworkSupportModel, client: int, lang: str) -> None:
    g = ego_graph(model, client)
    naasten = [n for n in g.nodes if n != CLIENT]
    pos = nx.shell_layout(g, nlist=[[CLIENT], naasten], scale=2.0) if naasten else {CLIENT: (0.0, 0.0)}
    size = min(170.0, 2400.0 / max(len(naasten), 1))  # smaller dots for large networks
    ties = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "tie"]
    knows = [(u, v) for u, v, d in g.edges(data=True) if d["kind"] == "knows"]
    if knows:
        nx.draw_networkx_edges(g, pos, edgelist=knows, ax=ax, edge_color="#CCCCCC", width=0.6)
    for member in (False, True):
        edges = [e for e in ties if g.edges[e]["member"] is member]
        if not edges:
            continue
        active = {e: g.nodes[e[1] if e[0] == CLIENT else e[0]]["status"] == TieStatus.ACTIVE for e in edges}
        in_contact = [e for e in edges if active[e]]
        out_of_contact = [e for e in edges if not active[e]]
        width = 2.6 if member else 0.9
        colour = "#222222" if member else "#888888"
        if in_contact:
            nx.draw_networkx_edges(g, pos, edgelist=in_contact, ax=ax, width=width, edge_color=colour)
        if out_of_contact:
            nx.draw_networkx_edges(
                g, pos, edgelist=out_of_contact, ax=ax, width=width, edge_color=colour, style="dashed"
            )
    for built, shape in ((False, "o"), (True, "s")):
        nodes = [n for n in naasten if g.nodes[n]["built"] is built]
        if not nodes:
            continue
        nx.draw_networkx_nodes(
            g,
            pos,
            nodelist=nodes,
            ax=ax,
            node_shape=shape,
            node_size=size,
            node_color=[STATUS_COLOURS[g.nodes[n]["status"]] for n in nodes],
            edgecolors=["#000000" if g.nodes[n]["member"] else "#FFFFFF" for n in nodes],
            linewidths=[2.2 if g.nodes[n]["member"] else 0.6 for n in nodes],
        )
    nx.draw_networkx_nodes(
        g, pos, nodelist=[CLIENT], ax=ax, node_size=320, node_color=CLIENT_COLOUR, edgecolors="#FFFFFF"
    )
    if not naasten:
        ax.text(0, -0.5, page_word("no_naasten", lang), ha="center", va="center", fontsize=8, color="#555555")
    ax.set_title(_client_title(model, client, lang), fontsize=9)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")


def legend_handles(lang: str) -> list[Line2D]:
    """The legend of the network view."""

    def dot(colour: str, label: str, *, ring: str = "#FFFFFF", width: float = 0.8, shape: str = "o"):
        return Line2D(
            [],
            [],
            linestyle="",
            marker=shape,
            markersize=9,
            markerfacecolor=colour,
            markeredgecolor=ring,
            markeredgewidth=width,
            label=label,
        )

    return [
        dot(CLIENT_COLOUR, page_word("legend_client", lang)),
        dot(STATUS_COLOURS[TieStatus.ACTIVE], page_word("legend_active", lang)),
        dot(STATUS_COLOURS[TieStatus.DORMANT], page_word("legend_dormant", lang)),
        dot(STATUS_COLOURS[TieStatus.WITHDRAWN], page_word("legend_withdrawn", lang)),
        dot("#FFFFFF", page_word("legend_member", lang), ring="#000000", width=2.4),
        dot("#FFFFFF", page_word("legend_built", lang), ring="#555555", shape="s"),
        Line2D([], [], color="#CCCCCC", lw=1.2, label=page_word("legend_knows", lang)),
    ]


def networks_figure(
    model: NetworkSupportModel, clients: list[int], lang: str = "en", *, columns: int = 3
) -> Figure:
    """Ego networks of the listed clients in a grid, with a legend underneath."""
    count = max(len(clients), 1)
    cols = min(columns, count)
    rows = math.ceil(count / cols)
    fig = Figure(figsize=(2.15 * cols, 2.25 * rows + 0.9), dpi=90, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, client in zip(axes.flat, clients, strict=False):
        _draw_ego(ax, model, client, lang)
    for ax in list(axes.flat)[len(clients) :]:
        ax.axis("off")
    fig.legend(
        handles=legend_handles(lang),
        loc="outside lower center",
        ncol=2,
        fontsize=8.5,
        frameon=False,
    )
    fig.suptitle(page_word("networks_note", lang, week=model.week), fontsize=9.5, color="#333333")
    return fig
