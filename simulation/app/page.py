"""The interactive page: a Mesa SolaraViz app for one simulation run.

Serve it with `snf app` (see `server.serve`) or `solara run simulation.app.page`. The sidebar is
SolaraViz's: step, play and reset, and the controls (scenario, strategy, the main knobs, seed),
which take effect when Reset is pressed. The main area shows where the run is, a few clients'
networks and the main outcomes over the weeks, in English or Dutch.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization import Slider, SolaraViz
from mesa.visualization.utils import update_counter

from simulation.app.network_view import networks_figure
from simulation.app.outcome_view import outcomes_figure
from simulation.app.words import number, page_word
from simulation.app.world import DEFAULTS, MAX_CLIENTS, PageModel, all_strategy_names, scenario_names
from simulation.plots.labels import outcome_label, strategy_label
from simulation.plots.style import strategy_colours
from simulation.scenarios import list_scenarios

#: clients whose networks are drawn at once
SHOWN_CLIENTS = 9
#: the most clients the slider offers (more than the page builds, so the limit can be seen)
SLIDER_MAX_CLIENTS = 5000
#: outcomes listed as numbers in the status card: name -> shown as a percentage
KEY_OUTCOMES = {
    "has_support_group": True,
    "formal_group": True,
    "perceived_support": False,
    "housed": True,
    "dropped_out": True,
}

#: the page's language ('en' or 'nl'); solara keeps one value per browser session
language = solara.reactive("en")
#: the first client whose network is drawn
first_client = solara.reactive(0)


def model_params(lang: str = "en") -> dict[str, Any]:
    """The SolaraViz controls, labelled in `lang`; their names are `PageModel`'s arguments."""

    def label(key: str) -> str:
        return page_word(key, lang)

    return {
        "scenario_name": {
            "type": "Select",
            "value": DEFAULTS["scenario_name"],
            "values": scenario_names(),
            "label": label("scenario_name"),
        },
        "strategy": {
            "type": "Select",
            "value": DEFAULTS["strategy"],
            "values": all_strategy_names(),
            "label": label("strategy"),
        },
        "use_sliders": {"type": "Checkbox", "value": DEFAULTS["use_sliders"], "label": label("use_sliders")},
        "n_clients": Slider(label("n_clients"), DEFAULTS["n_clients"], 10, SLIDER_MAX_CLIENTS, 10),
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
        "rng": {"type": "InputText", "value": str(DEFAULTS["rng"]), "label": label("rng")},
    }


def problem_text(model: PageModel, lang: str) -> str:
    """Why the model was not built, in `lang`."""
    assert model.problem is not None
    values = {
        k: number(v, lang) if isinstance(v, int) and not isinstance(v, bool) else v
        for k, v in model.problem.values.items()
    }
    return page_word(model.problem.key, lang, **values)


def scenario_description(name: str) -> str:
    for info in list_scenarios():
        if info.path.stem == name:
            return info.description
    return ""


def _percent_or_score(name: str, value: float, as_percent: bool, lang: str) -> str:
    return f"{outcome_label(name, lang)}: " + (f"{100 * value:.0f}%" if as_percent else f"{value:.2f}")


@solara.component
def LanguageToggle():
    with solara.Row(style={"align-items": "center"}):
        solara.Text(page_word("language", language.value) + ":")
        with solara.ToggleButtonsSingle(value=language, dense=True):
            solara.Button("English", value="en")
            solara.Button("Nederlands", value="nl")


@solara.component
def StatusCard(model: PageModel, week: int, lang: str):
    """Strategy, scenario, week and key numbers now; or why no model was built."""
    colour = strategy_colours([model.strategy_name])[model.strategy_name]
    with solara.Card(style={"margin-bottom": "8px"}), solara.Column(gap="4px"):
        with solara.Row(justify="space-between", style={"align-items": "center", "flex-wrap": "wrap"}):
            with solara.Row(style={"align-items": "center"}):
                solara.HTML(
                    tag="span",
                    unsafe_innerHTML="&nbsp;",
                    style={"background": colour, "width": "18px", "height": "18px", "border-radius": "3px"},
                )
                solara.Text(
                    f"{strategy_label(model.strategy_name, lang)} · scenario {model.scenario_name}",
                    style={"font-size": "1.25em", "font-weight": "bold"},
                )
            LanguageToggle()
        description = solara.use_memo(
            lambda: scenario_description(model.scenario_name), [model.scenario_name]
        )
        if description:
            solara.Text(description, style={"color": "#555"})
        if model.problem is not None:
            solara.Error(
                page_word("not_built", lang) + " " + problem_text(model, lang), classes=["snf-problem"]
            )
            solara.Info(page_word("apply_hint", lang), dense=True)
            return
        sim = model.sim
        assert sim is not None
        with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
            solara.Text(
                page_word("week_of", lang, week=week, weeks=model.weeks),
                classes=["snf-week"],
                style={"font-size": "1.5em", "font-weight": "bold"},
            )
            solara.Text(
                page_word(
                    "clients_naasten",
                    lang,
                    clients=number(sim.clients.n, lang),
                    naasten=number(sim.ties.n, lang),
                    professionals=sim.n_professionals,
                ),
                style={"color": "#555"},
            )
        now = sim.outcomes()
        with solara.Row(style={"flex-wrap": "wrap", "gap": "2px 22px"}, classes=["snf-now"]):
            for name, as_percent in KEY_OUTCOMES.items():
                solara.Text(
                    _percent_or_score(name, now[name], as_percent, lang), style={"font-weight": "500"}
                )
        source = page_word("from_slider" if model.use_sliders else "from_scenario", lang)
        values = "; ".join(
            page_word(f"long_{k}", lang, v=number(v, lang) if isinstance(v, int) else v)
            for k, v in model.in_use().items()
        )
        solara.Text(f"{page_word('in_use', lang)} ({source}): {values}.", style={"color": "#555"})
        solara.Info(page_word("apply_hint", lang), dense=True)


@solara.component
def NetworkCard(model: PageModel, week: int, lang: str):
    """A few clients' ego networks, from a chosen first client on."""
    sim = model.sim
    assert sim is not None
    last_start = max(sim.clients.n - 1, 0)
    start = min(first_client.value, last_start)
    clients = list(range(start, min(start + SHOWN_CLIENTS, sim.clients.n)))
    figure = solara.use_memo(lambda: networks_figure(sim, clients, lang), [model, week, lang, start])
    with solara.Card(page_word("networks_title", lang), classes=["snf-networks"]):
        solara.SliderInt(
            page_word("first_client", lang),
            value=start,
            on_value=first_client.set,
            min=0,
            max=last_start,
        )
        solara.FigureMatplotlib(figure, dependencies=[model, week, lang, start], format="png").meta(
            ref="networks-plot"
        )


@solara.component
def OutcomeCard(model: PageModel, week: int, lang: str):
    """The main outcomes over the weeks so far."""
    figure = solara.use_memo(
        lambda: outcomes_figure(model.weekly_frame(), model.weeks, lang), [model, week, lang]
    )
    with solara.Card(page_word("outcomes_title", lang), classes=["snf-outcomes"]):
        solara.FigureMatplotlib(figure, dependencies=[model, week, lang], format="png").meta(
            ref="outcomes-plot"
        )


@solara.component
def MainView(model: PageModel):
    """Everything right of the sidebar; redrawn after every step (SolaraViz's update counter)."""
    update_counter.get()
    lang = language.value
    week = model.week
    with solara.Column(style={"padding": "8px", "width": "100%"}):
        StatusCard(model, week, lang)
        if model.sim is not None:
            with solara.ColumnsResponsive(default=12, large=[6, 6]):
                NetworkCard(model, week, lang)
                OutcomeCard(model, week, lang)


@solara.component
def Page():
    """The page: SolaraViz's controls in the sidebar, the run in the main area."""
    lang = language.value
    initial = solara.use_memo(lambda: PageModel(**DEFAULTS), [])
    model = solara.use_reactive(initial)
    params = solara.use_memo(lambda: model_params(lang), [lang])
    solara.Title(page_word("title", lang))
    SolaraViz(model, components=[], model_params=params, name=page_word("title", lang), play_interval=200)
    MainView(model.value)


#: what solara serves (`solara run simulation.app.page`)
page = Page()

__all__ = ["MAX_CLIENTS", "Page", "model_params", "page"]
