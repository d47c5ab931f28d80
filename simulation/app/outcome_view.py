"""The live plot of the open shelter: who is in it, how people leave, and the support they have.

Three panels over the weeks of the run, from `PageModel.history()`: people in the shelter and
waiting at the door (against the number of places), exits since the start by route, and the share
of the clients in the shelter with a support group, a formal group, or dropped out of network
support. The warm-up weeks (not measured) are shaded. Every line takes its colour from
`palette.COLOURS` by what it means, so the status card's swatches match it; Dutch mode writes
decimal commas. Drawn as SVG (`svg.py`), so a redraw costs milliseconds while the model runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from simulation.app import svg
from simulation.app.palette import COLOURS, INK
from simulation.app.words import decimal, page_word
from simulation.app.world import ROUTES, SUPPORT_OUTCOMES, route_key
from simulation.plots.labels import outcome_label

#: dash pattern of each support outcome (colour comes from the palette)
SUPPORT_DASHES: dict[str, str | None] = {
    "has_support_group": None,
    "formal_group": "7 4",
    "dropped_out": "2 3",
}

WIDTH = 680
PLOT_X, PLOT_W, PLOT_H = 52, 400, 120
PANEL_H = 168
LEGEND_X = PLOT_X + PLOT_W + 14


@dataclass(frozen=True)
class Series:
    """One line: the history column it draws, its label, colour and dash pattern."""

    name: str
    label: str
    colour: str
    scale: float = 1.0
    dash: str | None = None


def panels(places: int, lang: str) -> list[tuple[str, str, list[Series]]]:
    """(title, y-axis label, lines) of each panel, top to bottom."""
    people = [
        Series("in_shelter", page_word("line_in_shelter", lang), COLOURS["in_shelter"]),
        Series("waiting_for_place", page_word("line_waiting", lang), COLOURS["waiting_for_place"]),
    ]
    exits = [
        Series(route_key(r), page_word(f"route_{r.name.lower()}", lang), COLOURS[route_key(r)])
        for r in ROUTES
    ]
    support = [
        Series(n, outcome_label(n, lang), COLOURS[n], scale=100.0, dash=SUPPORT_DASHES[n])
        for n in SUPPORT_OUTCOMES
    ]
    return [
        (page_word("panel_people", lang), page_word("people_axis", lang), people),
        (page_word("panel_exits", lang), page_word("exits_axis", lang), exits),
        (page_word("panel_support", lang), page_word("share_axis", lang), support),
    ]


def _label(lang: str):
    def fmt(value: float) -> str:
        return decimal(value, 0 if abs(value - round(value)) < 1e-9 else 1, lang)

    return fmt


def outcomes_svg(history: pd.DataFrame, weeks: int, warmup: int, places: int, lang: str = "en") -> str:
    """The three panels as one SVG drawing, from `history` over a run of `weeks` weeks."""
    label = _label(lang)
    x_max = max(weeks, 1)
    x_ticks = svg.nice_ticks(x_max, 8)
    x_ticks = [v for v in x_ticks if v <= x_max]
    weeks_drawn = history["week"].to_numpy() if len(history) else []
    body: list[str] = []
    for k, (title, y_label, lines) in enumerate(panels(places, lang)):
        top = 8 + k * PANEL_H
        y0 = top + 22
        if k == 0:
            waiting = history["waiting_for_place"].max() if len(history) else 0
            y_top = max(places * 1.1, float(waiting) * 1.1, 1.0)
        elif k == 1:
            ends = [float(history[s.name].iloc[-1]) for s in lines] if len(history) else [0.0]
            y_top = max(max(ends) * 1.1, 10.0)
        else:
            y_top = 100.0
        y_ticks = svg.nice_ticks(y_top, 4)
        y_max = y_ticks[-1]

        def xy(week: float, value: float, y0: float = y0, y_max: float = y_max) -> tuple[float, float]:
            return PLOT_X + PLOT_W * week / x_max, y0 + PLOT_H - PLOT_H * min(value, y_max) / y_max

        body.append(svg.text(4, top + 12, title, size=12, weight="bold", data_panel=str(k)))
        if warmup:
            body.append(
                svg.rect(
                    PLOT_X, y0, PLOT_W * min(warmup, x_max) / x_max, PLOT_H, INK["warmup"], data_warmup=warmup
                )
            )
            if k == 0:
                body.append(
                    svg.text(
                        PLOT_X + PLOT_W * min(warmup, x_max) / x_max / 2,
                        y0 + 12,
                        page_word("warmup_band", lang),
                        size=10,
                        anchor="middle",
                        colour=INK["note"],
                    )
                )
        body += svg.axes(
            PLOT_X, y0, PLOT_W, PLOT_H, x_max, y_ticks, x_ticks, label, grid=INK["grid"], show_x_labels=k == 2
        )
        body.append(
            svg.text(
                12,
                y0 + PLOT_H / 2,
                y_label,
                size=10,
                anchor="middle",
                colour="#444",
                transform=f"rotate(-90 12 {y0 + PLOT_H / 2:.1f})",
            )
        )
        if k == 0:
            _, y = xy(0, places)
            body.append(
                svg.line(PLOT_X, y, PLOT_X + PLOT_W, y, COLOURS["in_shelter"], 1, "2 3", data_series="places")
            )
        for s in lines:
            values = history[s.name].to_numpy() * s.scale if len(history) else []
            points = [xy(w, v) for w, v in zip(weeks_drawn, values, strict=True)]
            if len(points) == 1:
                points = points * 2
            if points:
                body.append(svg.polyline(points, s.colour, 2.0, s.dash, data_series=s.name))
        legend = [*lines]
        for i, s in enumerate(legend):
            ly = y0 + 8 + i * 17
            body.append(svg.line(LEGEND_X, ly, LEGEND_X + 22, ly, s.colour, 2.5, s.dash))
            body.append(svg.text(LEGEND_X + 28, ly + 4, s.label, size=11))
        if k == 0:
            ly = y0 + 8 + len(legend) * 17
            body.append(svg.line(LEGEND_X, ly, LEGEND_X + 22, ly, COLOURS["in_shelter"], 1, "2 3"))
            body.append(svg.text(LEGEND_X + 28, ly + 4, page_word("line_places", lang), size=11))
    bottom = 8 + 2 * PANEL_H + 22 + PLOT_H
    body.append(svg.text(PLOT_X + PLOT_W / 2, bottom + 28, page_word("week", lang), size=11, anchor="middle"))
    if len(history) <= 1:
        body.append(
            svg.text(
                PLOT_X + PLOT_W / 2,
                8 + PANEL_H + 22 + PLOT_H / 2,
                page_word("press_step", lang),
                size=12,
                anchor="middle",
                colour=INK["note"],
            )
        )
    return svg.document(WIDTH, bottom + 36, body, data_week=int(weeks_drawn[-1]) if len(history) else 0)
