"""The interactive page, rendered headless with solara (no browser, no server)."""

from __future__ import annotations

import ast
import inspect
import time
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import pytest
import solara
from matplotlib.figure import Figure

import simulation
from simulation.app import assets
from simulation.app import page as app_page
from simulation.app.network_view import ego_graph, legend_handles, networks_figure
from simulation.app.outcome_view import SCORE_OUTCOMES, SHARE_OUTCOMES, outcomes_figure
from simulation.app.world import DEFAULTS, MAX_CLIENTS, PageModel, scenario_names
from simulation.model.state import TieStatus
from simulation.model.strategies import strategy_names

SLIDERS = ["Clients", "Network size (mean)", "Refusal share", "Stramien tolerance", "Network hours/week"]


@pytest.fixture(autouse=True)
def english_from_client_zero():
    app_page.language.set("en")
    app_page.first_client.set(0)
    yield
    app_page.language.set("en")
    app_page.first_client.set(0)


@solara.component
def App():
    """The page inside solara's app layout, as the server shows it (the sidebar needs the layout)."""
    with solara.AppLayout():
        app_page.Page()


@pytest.fixture
def rendered():
    _box, rc = solara.render(App(), handle_error=False)
    yield rc
    rc.close()


def texts(rc, cls: str) -> list[str]:
    return [str(c) for w in rc.find(v.Html, class_=cls).widgets for c in w.children]


def week_text(rc) -> str:
    (text,) = texts(rc, "snf-week")
    return text


def plot_images(rc, ref: str) -> list[bytes]:
    """The PNG bytes of the figure(s) the page tagged `ref` ('networks-plot', 'outcomes-plot')."""
    return [w.value for w in rc.find(ipywidgets.Image, meta_ref=ref).widgets]


def all_text(rc) -> list[str]:
    """Every text on the page (solara.Text is a span)."""
    return [str(c) for w in rc.find(v.Html, tag="span").widgets for c in w.children if isinstance(c, str)]


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


# --- the page ----------------------------------------------------------------------------------


def test_the_page_renders_with_its_controls(rendered):
    rc = rendered
    labels = [w.label for w in rc.find(v.Slider).widgets]
    for label in SLIDERS:
        assert label in labels, f"no slider labelled {label!r} among {labels}"
    assert rc.find(v.Slider, label="Clients").widget.v_model == DEFAULTS["n_clients"]
    scenario = rc.find(v.Select, label="Scenario").widget
    assert scenario.v_model == "default"
    assert set(scenario_names()) <= set(scenario.items)
    strategy = rc.find(v.Select, label="Strategy").widget
    assert strategy.v_model == "flexible"
    assert set(strategy_names()) <= set(strategy.items)
    assert rc.find(v.TextField, label="Seed").widget.v_model == "1"
    assert rc.find(v.Checkbox, label="Sliders below override the scenario").widget.v_model is True
    for button in ("Reset", "▶", "Step"):
        rc.find(v.Btn, children=[button]).assert_single()
    assert week_text(rc) == "Week 0 of 104"
    assert len(plot_images(rc, "networks-plot")) == 1
    assert len(plot_images(rc, "outcomes-plot")) == 1


def test_a_step_changes_the_week_and_the_outcome_plot(rendered):
    rc = rendered
    before = plot_images(rc, "outcomes-plot")[0]
    click(rc, "Step")
    assert week_text(rc) == "Week 1 of 104"
    click(rc, "Step")
    assert week_text(rc) == "Week 2 of 104"
    assert plot_images(rc, "outcomes-plot")[0] != before


def test_changed_controls_take_effect_on_reset(rendered):
    rc = rendered
    rc.find(v.Select, label="Strategy").widget.v_model = "resource"
    rc.find(v.Slider, label="Clients").widget.v_model = 60
    click(rc, "Step")
    assert week_text(rc) == "Week 1 of 104"
    assert not any("Resource method" in t for t in all_text(rc))  # not before Reset
    click(rc, "Reset")
    assert week_text(rc) == "Week 0 of 104"
    shown = all_text(rc)
    assert any("Resource method (strict)" in t for t in shown)
    assert any(t.startswith("60 clients") for t in shown)


def test_the_network_view_follows_a_rebuilt_model(rendered):
    rc = rendered
    before = plot_images(rc, "networks-plot")
    rc.find(v.Select, label="Scenario").widget.v_model = "large_networks"
    click(rc, "Reset")
    assert week_text(rc) == "Week 0 of 104"
    assert any("scenario large_networks" in t for t in all_text(rc))
    assert plot_images(rc, "networks-plot") != before


def test_too_many_clients_shows_the_limit_instead_of_building(rendered):
    rc = rendered
    rc.find(v.Slider, label="Clients").widget.v_model = 5000
    click(rc, "Reset")
    alerts = [str(c) for w in rc.find(v.Alert, type="error").widgets for c in w.children]
    assert len(alerts) == 1
    assert "at most 2,000 clients" in alerts[0] and "5,000" in alerts[0]
    assert not rc.find(v.Html, class_="snf-week").widgets
    assert not plot_images(rc, "networks-plot")


def test_the_language_toggle_relabels_the_page(rendered):
    rc = rendered
    rc.find(v.BtnToggle).widget.v_model = "nl"  # what clicking "Nederlands" does in the browser
    assert week_text(rc) == "Week 0 van 104"
    labels = [w.label for w in rc.find(v.Slider).widgets]
    assert "Cliënten" in labels and "Aandeel weigeraars" in labels
    assert any("Flexibele netwerkondersteuning" in t for t in all_text(rc))


# --- the model behind the page -----------------------------------------------------------------


def test_the_controls_are_exactly_the_page_models_arguments():
    arguments = set(inspect.signature(PageModel.__init__).parameters) - {"self"}
    assert set(app_page.model_params("en")) == arguments
    assert set(app_page.model_params("nl")) == arguments
    assert set(DEFAULTS) == arguments


def test_the_size_limit_is_checked_before_anything_is_built():
    start = time.perf_counter()
    model = PageModel(n_clients=MAX_CLIENTS * 100)
    assert time.perf_counter() - start < 1.0
    assert model.sim is None and model.problem is not None
    assert model.problem.key == "too_many"
    assert model.running is False
    model.step()  # a model that was not built does nothing
    assert model.week == 0
    assert PageModel(n_clients=MAX_CLIENTS).sim is not None


def test_bad_settings_give_a_message_not_an_error():
    assert PageModel(rng="abc").problem.key == "bad_seed"
    assert PageModel(rng=-1).problem.key == "bad_seed"
    assert PageModel(strategy="no_such_strategy").problem.key == "bad_strategy"
    assert PageModel(scenario_name="no_such_scenario").problem.key == "bad_settings"
    assert PageModel(rng="7").sim.seed == 7


def test_the_override_switch_keeps_the_scenarios_own_values():
    own = PageModel(scenario_name="large_networks", use_sliders=False)
    assert own.params.population.network_size_mean == 12.0
    assert own.params.population.refusal_share == 0.0
    slid = PageModel(scenario_name="large_networks", use_sliders=True, network_size_mean=3.0)
    assert slid.params.population.network_size_mean == 3.0


def test_the_page_model_is_the_simulation_with_the_same_seed():
    from simulation.model import NetworkSupportModel
    from simulation.scenarios import load_scenario

    page = PageModel(n_clients=60, strategy="resource", rng=3)
    for _ in range(5):
        page.step()
    direct = NetworkSupportModel(load_scenario("default"), "resource", rng=3, n_clients=60)
    direct.run(5)
    assert page.week == 5
    assert page.sim.weekly_table().equals(direct.weekly_table())
    weekly = page.weekly_frame()
    assert list(weekly["week"]) == [0, 1, 2, 3, 4, 5]


# --- the views -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_run() -> PageModel:
    model = PageModel(n_clients=40, rng=2)
    for _ in range(40):
        model.step()
    return model


def test_the_network_view_builds_for_a_small_model(small_run):
    sim = small_run.sim
    for client in range(sim.clients.n):
        g = ego_graph(sim, client)
        mine = sim.ties_of(client)
        assert g.number_of_nodes() == len(mine) + 1
        for j in mine:
            node = g.nodes[int(j)]
            assert node["status"] == TieStatus(int(sim.ties.status[j]))
            assert node["member"] == bool(sim.ties.member[j])
            assert g.has_edge("client", int(j))
    assert sim.ties.member.any(), "after 40 weeks of flexible support some naasten are group members"
    fig = networks_figure(sim, list(range(9)), "en")
    assert isinstance(fig, Figure)
    drawn = [ax for ax in fig.axes if ax.get_title()]
    assert len(drawn) == 9
    assert drawn[0].get_title().startswith("Client 0")
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == [h.get_label() for h in legend_handles("en")]
    assert any("withdrawn" in label for label in labels)


def test_the_outcome_plot_has_labelled_axes_and_fixed_colours(small_run):
    fig = outcomes_figure(small_run.weekly_frame(), small_run.weeks, "en")
    top, bottom = fig.axes
    assert top.get_ylabel() == "Clients (%)"
    assert bottom.get_ylabel() == "Mean score (0-1)"
    assert bottom.get_xlabel() == "Week"
    assert [line.get_color() for line in top.get_lines()] == list(SHARE_OUTCOMES.values())
    assert [line.get_color() for line in bottom.get_lines()] == [c for c, _ in SCORE_OUTCOMES.values()]
    assert len(top.get_lines()[0].get_xdata()) == 41  # week 0 to 40


def test_the_page_asset_list_follows_the_installed_solara():
    from solara.util import IPYVUETIFY_V3

    needed = assets.needed_packages()
    app = "@widgetti/solara-vuetify3-app" if IPYVUETIFY_V3 else "@widgetti/solara-vuetify-app"
    assert {app, "requirejs", "font-awesome"} <= set(needed)
    assert all(version[0].isdigit() for version in needed.values())


# --- layers --------------------------------------------------------------------------------------


def test_nothing_below_the_app_imports_it():
    package = Path(simulation.__file__).parent
    for layer in ("model", "experiments", "analysis", "plots"):
        for path in (package / layer).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                for name in names:
                    assert not name.startswith("simulation.app"), f"{path} imports {name}"
