"""The interactive page: one run of the open shelter, watched week by week.

Serve it with `snf app` (see `server.serve`) or `solara run simulation.app.page`. The sidebar holds
the run's buttons (Reset, play and pause, Step, Run to the end, and how often to draw) and the
settings (scenario, strategy, the main knobs with their values shown, seed), which take effect when
Reset is pressed; until then the page says plainly that settings were changed. The main area
shows where the run is (status card), the networks of clients in the shelter and the live plot,
in English or Dutch (numbers with decimal commas in Dutch).

The page's model is a Mesa model (`world.PageModel`) run by the page's own controller rather than
Mesa's SolaraViz, because the controller has to speak Dutch, draw every few weeks while the model
runs at full speed in a thread (at least 10 weeks a second; see tests/test_browser.py), run to
the end, and know which settings changed since the model was built.
"""

from __future__ import annotations

import math
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab
from mesa.visualization import Slider

from simulation.app.network_view import networks_svg
from simulation.app.outcome_view import outcomes_svg
from simulation.app.palette import COLOURS
from simulation.app.words import number, page_word, percent, scenario_text, slider_text, strategy_name
from simulation.app.world import (
    DEFAULTS,
    MAX_CLIENTS,
    ROUTES,
    SLIDER_PARAMETERS,
    SUPPORT_OUTCOMES,
    PageModel,
    ShelterStatus,
    route_key,
    scenario_base,
    scenario_description,
    scenario_names,
    scenario_values,
    strategies_in,
)
from simulation.plots.labels import outcome_label

#: clients whose networks are drawn at once
SHOWN_CLIENTS = 9
#: the most places the slider offers (more than the page builds, so the limit can be seen)
SLIDER_MAX_CLIENTS = 5000
#: how many weeks the page may simulate between two drawings while it plays
DRAW_CHOICES = (1, 2, 5, 10, 26)
DRAW_EVERY = 5

#: the page's language ('en' or 'nl'); solara keeps one value per browser session
language = solara.reactive("en")
#: the first client (counted among those in the shelter, from 0) whose network is drawn
first_client = solara.reactive(0)
#: counts the drawings: the main area redraws when it moves (a reactive of its own, so that only
#: the main area, not the sidebar, is rendered again every few weeks)
drawings = solara.reactive(0)


def sliders(lang: str = "en") -> dict[str, Slider]:
    """The sliders, labelled in `lang`, at their defaults; their names are `PageModel` arguments."""

    def label(key: str) -> str:
        return page_word(key, lang)

    return {
        "n_clients": Slider(label("n_clients"), DEFAULTS["n_clients"], 10, SLIDER_MAX_CLIENTS, 10),
        "arrivals_per_week": Slider(
            label("arrivals_per_week"), DEFAULTS["arrivals_per_week"], 0.0, 20.0, 0.25
        ),
        "homes_per_week": Slider(label("homes_per_week"), DEFAULTS["homes_per_week"], 0.0, 10.0, 0.1),
        "network_size_mean": Slider(
            label("network_size_mean"), DEFAULTS["network_size_mean"], 0.0, 20.0, 0.5
        ),
        "refusal_share": Slider(label("refusal_share"), DEFAULTS["refusal_share"], 0.0, 1.0, 0.01),
        "stramien_tolerance_mean": Slider(
            label("stramien_tolerance_mean"), DEFAULTS["stramien_tolerance_mean"], 0.01, 0.99, 0.01
        ),
        "network_hours_per_week": Slider(
            label("network_hours_per_week"), DEFAULTS["network_hours_per_week"], 0.0, 20.0, 0.5
        ),
    }


def changed_controls(pending: dict[str, Any], model: PageModel) -> list[str]:
    """The controls whose sidebar value differs from what the model was built with."""
    built = model.controls()
    changed = []
    for name, value in pending.items():
        old = built.get(name)
        if isinstance(value, (int, float)) and isinstance(old, (int, float)) and not isinstance(value, bool):
            if not math.isclose(float(value), float(old), rel_tol=1e-9, abs_tol=1e-9):
                changed.append(name)
        elif str(value) != str(old):
            changed.append(name)
    return changed


def choice(title: str, value: Any) -> dict[str, Any]:
    """An item of a select that shows `title` and stands for `value` (Vuetify 3 reads `title`,
    Vuetify 2 `text`)."""
    return {"title": title, "text": title, "value": value}


def draw_every_text(weeks: int, lang: str) -> str:
    return page_word("draw_every_week", lang) if weeks == 1 else page_word("draw_every_value", lang, n=weeks)


def problem_text(model: PageModel, lang: str) -> str:
    """Why the model was not built, in `lang`."""
    assert model.problem is not None
    values = {
        k: number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in model.problem.values.items()
    }
    return page_word(model.problem.key, lang, **values)


def swatch(colour: str) -> None:
    """A small square in a meaning's colour, as in the plots."""
    solara.HTML(
        tag="span",
        unsafe_innerHTML="&nbsp;",
        style={
            "background": colour,
            "display": "inline-block",
            "width": "12px",
            "height": "12px",
            "border-radius": "2px",
            "margin-right": "4px",
        },
    )


# --- the sidebar -------------------------------------------------------------------------------


@solara.component
def LanguageToggle():
    with solara.Row(style={"align-items": "center"}):
        solara.Text(page_word("language", language.value) + ":")
        with solara.ToggleButtonsSingle(value=language, dense=True):
            solara.Button("English", value="en")
            solara.Button("Nederlands", value="nl")


@solara.component
def RunControls(model: solara.Reactive[PageModel], pending: solara.Reactive[dict[str, Any]], lang: str):
    """Reset, play and pause, Step, Run to the end, and how often to draw while playing."""
    playing = solara.use_reactive(False)
    to_end = solara.use_reactive(False)
    draw_every = solara.use_reactive(DRAW_EVERY)
    m = model.value
    drawings.value  # noqa: B018 - read so the buttons follow the run (a Step can end it)

    def play() -> None:
        # runs in a thread: simulate `draw_every` weeks (all that are left when running to the
        # end), then redraw, until paused or the run is over; one thread at a time (after a
        # quick pause and play, the new one waits for the old one)
        page_model = model.value
        with page_model.player:
            while playing.value and page_model.running:
                weeks = page_model.weeks - page_model.week if to_end.value else draw_every.value
                if page_model.advance(max(weeks, 1)) == 0:
                    break
                drawings.set(drawings.peek() + 1)
        playing.set(False)
        to_end.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        first_client.set(0)
        model.set(PageModel(**pending.value))
        drawings.set(drawings.peek() + 1)

    def step() -> None:
        model.value.step()
        drawings.set(drawings.peek() + 1)

    def run_to_end() -> None:
        to_end.set(True)
        playing.set(True)

    can_run = m.sim is not None and m.running
    with solara.Card(page_word("run_card", lang)):
        with solara.Row(justify="space-between"):
            solara.Button(page_word("reset", lang), color="primary", on_click=reset)
            solara.Button(
                "❚❚" if playing.value else "▶",
                color="primary",
                on_click=lambda: playing.set(not playing.value),
                disabled=not can_run,
            )
            solara.Button(
                page_word("step", lang), color="primary", on_click=step, disabled=playing.value or not can_run
            )
        solara.Button(
            page_word("to_end", lang),
            on_click=run_to_end,
            disabled=playing.value or not can_run,
            style={"margin-top": "8px", "width": "100%"},
        )
        rv.Select(
            label=page_word("draw_every", lang),
            items=[choice(draw_every_text(n, lang), n) for n in DRAW_CHOICES],
            v_model=draw_every.value,
            on_v_model=draw_every.set,
            dense=True,
            style_="margin-top: 12px",
        )
        if playing.value:
            solara.Text(page_word("running", lang), classes=["snf-running"])
        elif m.sim is not None and not m.running:
            solara.Text(page_word("finished", lang), classes=["snf-finished"])


@solara.component
def Settings(model: PageModel, pending: solara.Reactive[dict[str, Any]], lang: str):
    """Scenario, strategy, sliders with their values, seed; marked where they differ from the model."""
    values = pending.value
    changed = set(changed_controls(values, model))
    mark = " · " + page_word("changed_mark", lang)

    def set_value(name: str, value: Any) -> None:
        pending.set({**pending.value, name: value})

    def choose_scenario(name: str) -> None:
        available = strategies_in(name)
        strategy = pending.value["strategy"]
        pending.set(
            {
                **pending.value,
                "scenario_name": name,
                **scenario_values(name),
                "strategy": strategy if strategy in available else DEFAULTS["strategy"],
            }
        )

    scenario = values["scenario_name"]
    with solara.Card(page_word("settings_card", lang)):
        if changed:
            solara.Warning(page_word("changed", lang), dense=True, classes=["snf-changed"])
        solara.Select(
            page_word("scenario_name", lang) + (mark if "scenario_name" in changed else ""),
            values=scenario_names(),
            value=scenario,
            on_value=choose_scenario,
        )
        description = solara.use_memo(lambda: scenario_description(scenario), [scenario])
        description = scenario_text(scenario, description, lang)
        if description:
            solara.Text(description, style={"color": "#555", "font-size": "0.85em"})
        rv.Select(
            label=page_word("strategy", lang) + (mark if "strategy" in changed else ""),
            items=[
                choice(strategy_name(s, lang, scenario_base(scenario, s)), s) for s in strategies_in(scenario)
            ],
            v_model=values["strategy"],
            on_v_model=lambda s: set_value("strategy", s),
            style_="margin-top: 8px",
        )
        for name, slider in sliders(lang).items():
            value = values[name]
            text = f"{slider.label}: {slider_text(name, value, lang)}" + (mark if name in changed else "")
            kind = solara.SliderInt if name == "n_clients" else solara.SliderFloat
            kind(
                text,
                value=value,
                min=slider.min,
                max=slider.max,
                step=slider.step,
                on_value=lambda v, name=name: set_value(
                    name, int(v) if name == "n_clients" else round(float(v), 6)
                ),
                thumb_label=False,
            )
        solara.InputText(
            page_word("rng", lang) + (mark if "rng" in changed else ""),
            value=str(values["rng"]),
            on_value=lambda v: set_value("rng", v),
        )


# --- the main area -------------------------------------------------------------------------------


@solara.component
def StatusCard(model: PageModel, status: ShelterStatus | None, lang: str):
    """Strategy, scenario, week, the shelter now and this year; or why no model was built."""
    base = scenario_base(model.scenario_name, model.strategy_name)
    with solara.Card(style={"margin-bottom": "8px"}), solara.Column(gap="4px"):
        solara.Text(
            f"{strategy_name(model.strategy_name, lang, base)} · scenario {model.scenario_name}",
            style={"font-size": "1.25em", "font-weight": "bold"},
        )
        if model.problem is not None or status is None:
            solara.Error(
                page_word("not_built", lang) + " " + problem_text(model, lang), classes=["snf-problem"]
            )
            solara.Info(page_word("apply_hint", lang), dense=True)
            return
        sim = model.sim
        assert sim is not None
        with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
            solara.Text(
                page_word(
                    "week_of", lang, week=number(status.week, lang), weeks=number(status.horizon, lang)
                ),
                classes=["snf-week"],
                style={"font-size": "1.5em", "font-weight": "bold"},
            )
            note = (
                page_word("warming_up", lang, warmup=number(status.warmup, lang))
                if status.warming_up
                else page_word(
                    "measuring", lang, start=number(status.warmup + 1, lang), end=number(status.horizon, lang)
                )
            )
            solara.Text(note, style={"color": "#555"}, classes=["snf-phase"])
        with solara.Row(style={"flex-wrap": "wrap", "gap": "2px 22px"}):
            with solara.Row(gap="0px", style={"align-items": "center"}):
                swatch(COLOURS["in_shelter"])
                solara.Text(
                    page_word(
                        "present",
                        lang,
                        present=number(status.present, lang),
                        places=number(status.places, lang),
                        occupancy=percent(status.occupancy, lang),
                    ),
                    classes=["snf-present"],
                    style={"font-weight": "500"},
                )
            with solara.Row(gap="0px", style={"align-items": "center"}):
                swatch(COLOURS["waiting_for_place"])
                solara.Text(
                    page_word("waiting", lang, n=number(status.waiting, lang)),
                    classes=["snf-waiting"],
                    style={"font-weight": "500"},
                )
            solara.Text(
                page_word(
                    "team",
                    lang,
                    professionals=number(sim.shelter.n_professionals, lang),
                    caseload=number(sim.shelter.caseload, lang),
                ),
                style={"color": "#555"},
            )
        solara.Text(
            page_word(
                "year_exits",
                lang,
                year=number(status.year, lang),
                start=number(status.year_start, lang),
                total=number(status.exits_total, lang),
            ),
            classes=["snf-exits"],
            style={"font-weight": "bold", "margin-top": "4px"},
        )
        with solara.Row(style={"flex-wrap": "wrap", "gap": "2px 18px"}):
            for route in ROUTES:
                key = route.name.lower()
                with solara.Row(gap="0px", style={"align-items": "center"}):
                    swatch(COLOURS[route_key(route)])
                    solara.Text(
                        f"{page_word(f'route_{key}', lang)}: {number(status.exits_this_year[key], lang)}",
                        classes=[f"snf-exit-{key}"],
                    )
            solara.Text(
                page_word("homes_this_year", lang, n=number(status.homes_this_year, lang)),
                classes=["snf-homes"],
            )
        solara.Text(page_word("support_now", lang) + ":", style={"font-weight": "bold", "margin-top": "4px"})
        with solara.Row(style={"flex-wrap": "wrap", "gap": "2px 18px"}):
            for name in SUPPORT_OUTCOMES:
                with solara.Row(gap="0px", style={"align-items": "center"}):
                    swatch(COLOURS[name])
                    solara.Text(
                        f"{outcome_label(name, lang)}: {percent(status.support[name], lang)}",
                        classes=[f"snf-{name}"],
                    )
        values = "; ".join(
            page_word(
                f"long_{k}",
                lang,
                v=percent(v, lang) if k == "refusal_share" else slider_text(k, v, lang),
            )
            for k, v in model.in_use().items()
            if k in SLIDER_PARAMETERS
        )
        solara.Text(
            f"{page_word('in_use', lang)}: {values}.", style={"color": "#555"}, classes=["snf-in-use"]
        )


@solara.component
def NetworkCard(model: PageModel, drawn: int, lang: str):
    """The ego networks of a few clients in the shelter, from a chosen one on."""
    with model.lock:
        present = model.present()
        last_start = max(len(present) - 1, 0)
        start = min(first_client.value, last_start)
        rows = [int(i) for i in present[start : start + SHOWN_CLIENTS]]
        drawing = networks_svg(model.sim, rows, lang, first=start, present=len(present))
    with solara.Card(page_word("networks_title", lang), classes=["snf-networks"]):
        solara.SliderInt(
            page_word("first_client", lang) + f": {number(start + 1, lang)}",
            value=start,
            on_value=first_client.set,
            min=0,
            max=last_start,
            thumb_label=False,
        )
        solara.HTML(tag="div", unsafe_innerHTML=drawing, classes=["snf-networks-plot"])


@solara.component
def OutcomeCard(model: PageModel, status: ShelterStatus, drawn: int, lang: str):
    """The live plot of the open shelter, weeks so far."""
    drawing = outcomes_svg(model.history(), status.horizon, status.warmup, status.places, lang)
    with solara.Card(page_word("outcomes_title", lang), classes=["snf-outcomes"]):
        solara.HTML(tag="div", unsafe_innerHTML=drawing, classes=["snf-outcomes-plot"])


@solara.component
def MainView(model: PageModel):
    """Everything right of the sidebar; redrawn whenever `drawings` moves (the sidebar is not)."""
    lang = language.value
    drawn = drawings.value
    status = model.status() if model.sim is not None else None
    with solara.Column(style={"padding": "8px", "width": "100%"}):
        StatusCard(model, status, lang)
        if status is not None:
            with solara.ColumnsResponsive(default=12, large=[5, 7]):
                NetworkCard(model, drawn, lang)
                OutcomeCard(model, status, drawn, lang)


@solara.component
def Page(start: PageModel | None = None):
    """The page: the run's controls and settings in the sidebar, the run in the main area. It
    starts from the default scenario, or from `start` (a model built elsewhere, e.g. in a test)."""
    lang = language.value
    initial = solara.use_memo(lambda: start if start is not None else PageModel(**DEFAULTS), [])
    model = solara.use_reactive(initial)
    pending = solara.use_reactive(dict(initial.controls()))
    solara.Title(page_word("title", lang))
    with solara.AppBar():
        solara.AppBarTitle(page_word("title", lang))
    with solara.Sidebar(), solara.Column():
        LanguageToggle()
        RunControls(model, pending, lang)
        Settings(model.value, pending, lang)
    MainView(model.value)


#: what solara serves (`solara run simulation.app.page`)
page = Page()

__all__ = ["MAX_CLIENTS", "Page", "page"]
