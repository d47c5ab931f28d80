"""The interactive page, rendered headless with solara (no browser, no server).

The page is read back as a visitor sees it: the texts of the status card, the labels of the
controls, and the SVG drawings (every mark names what it shows in a `data-` attribute), and
compared with the model they come from.
"""

from __future__ import annotations

import ast
import inspect
import re
import time
from pathlib import Path

import ipyvuetify as v
import numpy as np
import pytest
import solara

import simulation
from simulation.app import assets, words
from simulation.app import page as app_page
from simulation.app.network_view import STATUS_COLOURS, ego_graph, networks_svg
from simulation.app.outcome_view import outcomes_svg
from simulation.app.palette import COLOURS, INK
from simulation.app.world import (
    DEFAULTS,
    MAX_CLIENTS,
    ROUTES,
    SLIDER_PARAMETERS,
    PageModel,
    route_key,
    scenario_names,
    strategies_in,
)
from simulation.model.population import knows_each_other
from simulation.model.state import Location, TieStatus
from simulation.scenarios import load_scenario

SLIDERS = [
    "Places",
    "Arrivals per week",
    "Homes per week",
    "Network size (mean)",
    "Refusal share",
    "Stramien tolerance",
    "Network hours/week",
]


@pytest.fixture(autouse=True)
def english_from_client_zero():
    app_page.language.set("en")
    app_page.first_client.set(0)
    yield
    app_page.language.set("en")
    app_page.first_client.set(0)


@solara.component
def App(start: PageModel):
    """The page inside solara's app layout, as the server shows it (the sidebar needs the layout)."""
    with solara.AppLayout():
        app_page.Page(start)


@pytest.fixture
def start() -> PageModel:
    """The model the page starts with: the default one, as a visitor gets it."""
    return PageModel(**DEFAULTS)


@pytest.fixture
def rendered(start):
    _box, rc = solara.render(App(start), handle_error=False)
    yield rc
    rc.close()


def texts(rc, cls: str) -> list[str]:
    return [str(c) for w in rc.find(v.Html, class_=cls).widgets for c in w.children]


def one_text(rc, cls: str) -> str:
    (text,) = texts(rc, cls)
    return text


def week_text(rc) -> str:
    return one_text(rc, "snf-week")


def drawing(rc, cls: str) -> str:
    """The SVG the page shows in the element with class `cls` ('snf-networks-plot', 'snf-outcomes-plot')."""
    found = [w for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == cls]
    assert len(found) == 1, f"{len(found)} elements with class {cls}"
    return found[0].unsafe_innerHTML


def all_text(rc) -> list[str]:
    """Every text on the page (solara.Text is a span)."""
    return [str(c) for w in rc.find(v.Html, tag="span").widgets for c in w.children if isinstance(c, str)]


def alerts(rc) -> list[str]:
    return [str(c) for w in rc.find(v.Alert).widgets for c in w.children if isinstance(c, str)]


def slider(rc, name: str) -> v.Slider:
    """The slider whose label starts with `name` (the label goes on with the value)."""
    found = [w for w in rc.find(v.Slider).widgets if w.label.split(":")[0] == name]
    assert len(found) == 1, f"no single slider {name!r} among {[w.label for w in rc.find(v.Slider).widgets]}"
    return found[0]


def select(rc, label: str) -> v.Select:
    found = [w for w in rc.find(v.Select).widgets if w.label.split(" · ")[0] == label]
    assert len(found) == 1, f"no single select {label!r}"
    return found[0]


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def series_points(svg_text: str, name: str) -> list[tuple[float, float]]:
    match = re.search(rf'<polyline points="([^"]*)"[^>]*data-series="{name}"', svg_text)
    assert match, f"no line {name} in the drawing"
    return [tuple(map(float, p.split(","))) for p in match.group(1).split()]


def series_colour(svg_text: str, name: str) -> str:
    match = re.search(rf'<polyline [^>]*stroke="(#[0-9A-Fa-f]+)"[^>]*data-series="{name}"', svg_text)
    assert match
    return match.group(1)


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the page did not get there in time"
        time.sleep(0.05)


# --- the page ----------------------------------------------------------------------------------


def test_the_page_renders_with_its_controls_and_their_values(rendered):
    rc = rendered
    for name in SLIDERS:
        slider(rc, name)
    assert slider(rc, "Places").label == "Places: 200"
    assert slider(rc, "Places").v_model == DEFAULTS["n_clients"]
    assert slider(rc, "Refusal share").label == "Refusal share: 22%"
    assert slider(rc, "Stramien tolerance").label == "Stramien tolerance: 0.45"
    assert slider(rc, "Arrivals per week").label == "Arrivals per week: 3.50"
    scenario = select(rc, "Scenario")
    assert scenario.v_model == "default"
    assert set(scenario_names()) <= set(scenario.items)
    strategy = select(rc, "Strategy")
    assert strategy.v_model == "flexible"
    names = {item["value"]: item["title"] for item in strategy.items}
    assert list(names) == strategies_in("default")
    assert names["resource"] == "Resource method (strict)"
    assert names["care_as_usual"] == "Care as usual"
    assert rc.find(v.TextField, label="Seed").widget.v_model == "1"
    for button in ("Reset", "▶", "Step", "Run to the end"):
        rc.find(v.Btn, children=[button]).assert_single()
    assert week_text(rc) == "Week 0 of 208"
    assert "warm-up until week 104" in one_text(rc, "snf-phase")
    assert one_text(rc, "snf-present") == "In the shelter: 200 of 200 places (100% occupied)"
    assert not any("press Reset" in a for a in alerts(rc))
    assert drawing(rc, "snf-networks-plot").count("<g data-client=") == app_page.SHOWN_CLIENTS
    assert "data-series" in drawing(rc, "snf-outcomes-plot")


def test_a_step_changes_the_week_the_status_and_the_plot(rendered):
    rc = rendered
    before = drawing(rc, "snf-outcomes-plot")
    click(rc, "Step")
    assert week_text(rc) == "Week 1 of 208"
    click(rc, "Step")
    assert week_text(rc) == "Week 2 of 208"
    after = drawing(rc, "snf-outcomes-plot")
    assert after != before
    assert len(series_points(after, "in_shelter")) == 3  # weeks 0, 1, 2


def test_the_status_card_shows_the_models_numbers(rendered, start):
    rc = rendered
    for _ in range(8):
        click(rc, "Step")
    sim = start.sim
    assert sim.week == 8
    present = int(np.count_nonzero(sim.clients.location == Location.SHELTER))
    waiting = int(np.count_nonzero(sim.clients.location == Location.WAITING))
    occupancy = round(100 * present / 200)
    assert one_text(rc, "snf-present") == f"In the shelter: {present} of 200 places ({occupancy}% occupied)"
    assert one_text(rc, "snf-waiting") == f"Waiting for a place: {waiting}"
    flow = sim.flow.table()
    total = 0
    for route, label in zip(
        ROUTES,
        (
            "housing market",
            "home through the network",
            "staying with a naaste",
            "supported housing or care",
            "unknown destination",
        ),
        strict=True,
    ):
        count = int(flow[route_key(route)].sum())
        total += count
        assert one_text(rc, f"snf-exit-{route.name.lower()}") == f"{label}: {count}"
    assert total > 0, "eight weeks of an open shelter see someone leave"
    assert one_text(rc, "snf-exits") == f"Exits in year 1 so far (from week 1): {total}"
    assert one_text(rc, "snf-homes") == f"Homes allocated this year: {int(flow['homes_allocated'].sum())}"
    rows = np.flatnonzero(sim.clients.location == Location.SHELTER)
    with_group = round(100 * np.mean(sim.clients.group_form[rows] != 0))
    assert one_text(rc, "snf-has_support_group") == f"Support group (any form): {with_group}%"


def test_changed_settings_say_so_until_reset_builds_them(rendered):
    rc = rendered
    select(rc, "Strategy").v_model = "resource"
    slider(rc, "Refusal share").v_model = 0.0
    assert slider(rc, "Refusal share").label == "Refusal share: 0% · changed"
    assert select(rc, "Strategy").label == "Strategy · changed"
    assert any(a.startswith("Changed - press Reset") for a in alerts(rc))
    click(rc, "Step")
    assert week_text(rc) == "Week 1 of 208"
    assert "22% of clients refuse" in one_text(rc, "snf-in-use")  # not before Reset
    assert not any("Resource method" in t for t in all_text(rc))
    click(rc, "Reset")
    assert week_text(rc) == "Week 0 of 208"
    assert not any("press Reset" in a for a in alerts(rc))
    assert slider(rc, "Refusal share").label == "Refusal share: 0%"
    assert "0% of clients refuse" in one_text(rc, "snf-in-use")
    assert any(t.startswith("Resource method (strict) · scenario default") for t in all_text(rc))


def test_a_scenario_brings_its_own_values_and_strategies(rendered):
    rc = rendered
    select(rc, "Scenario").v_model = "amsterdam"
    assert slider(rc, "Places").label == "Places: 300 · changed"
    homes = load_scenario("amsterdam").housing.homes_per_week
    assert slider(rc, "Homes per week").label == f"Homes per week: {homes:.2f} · changed"
    select(rc, "Scenario").v_model = "peer_first"
    names = {item["value"]: item["title"] for item in select(rc, "Strategy").items}
    assert names["peer_first_pairs"] == "Peer first pairs (variant of Peer first)"
    assert names["flexible_pairs"] == "Flexible pairs (variant of Flexible netwerkondersteuning)"
    select(rc, "Strategy").v_model = "peer_first_pairs"
    click(rc, "Reset")
    assert any(
        t.startswith("Peer first pairs (variant of Peer first) · scenario peer_first") for t in all_text(rc)
    )
    select(rc, "Scenario").v_model = "default"  # which does not offer peer_first_pairs
    assert "peer_first_pairs" not in [item["value"] for item in select(rc, "Strategy").items]
    assert select(rc, "Strategy").v_model == "flexible"


def test_too_many_places_shows_the_limit_instead_of_building(rendered):
    rc = rendered
    slider(rc, "Places").v_model = 5000
    click(rc, "Reset")
    errors = [str(c) for w in rc.find(v.Alert, type="error").widgets for c in w.children]
    assert len(errors) == 1
    assert "at most 2,000 places" in errors[0] and "5,000" in errors[0]
    assert not rc.find(v.Html, class_="snf-week").widgets
    assert not [
        w for w in rc.find(solara.widgets.HTML).widgets if w.attributes.get("class") == "snf-networks-plot"
    ]


def test_run_to_the_end_runs_every_week_left(rendered):
    rc = rendered
    click(rc, "Run to the end")
    wait_for(lambda: week_text(rc) == "Week 208 of 208")
    wait_for(lambda: rc.find(v.Html, class_="snf-finished").widgets)
    rc.find(v.Btn, children=["▶"]).assert_single()
    assert rc.find(v.Btn, children=["▶"]).widget.disabled
    assert "measured weeks: 105 to 208" in one_text(rc, "snf-phase")
    assert len(series_points(drawing(rc, "snf-outcomes-plot"), "in_shelter")) == 209


def test_a_run_stepped_to_its_end_says_so(start):
    start.advance(start.weeks - 1)
    _box, rc = solara.render(App(start), handle_error=False)
    try:
        assert week_text(rc) == "Week 207 of 208"
        assert not rc.find(v.Btn, children=["Step"]).widget.disabled
        click(rc, "Step")
        assert week_text(rc) == "Week 208 of 208"
        assert rc.find(v.Btn, children=["Step"]).widget.disabled
        assert rc.find(v.Btn, children=["▶"]).widget.disabled
        assert texts(rc, "snf-finished") == ["The run is over: press Reset."]
    finally:
        rc.close()


def test_dutch_mode_is_dutch_with_decimal_commas(rendered):
    rc = rendered
    rc.find(v.BtnToggle).widget.v_model = "nl"  # what clicking "Nederlands" does in the browser
    assert week_text(rc) == "Week 0 van 208"
    assert one_text(rc, "snf-present") == "In de opvang: 200 van 200 plaatsen (100% bezet)"
    assert "3,50 aankomsten per week" in one_text(rc, "snf-in-use")
    assert "gemiddelde stramientolerantie 0,45" in one_text(rc, "snf-in-use")
    assert slider(rc, "Aandeel weigeraars").label == "Aandeel weigeraars: 22%"
    assert slider(rc, "Stramientolerantie").label == "Stramientolerantie: 0,45"
    assert slider(rc, "Aankomsten per week").label == "Aankomsten per week: 3,50"
    for button in ("Opnieuw", "Stap", "Naar het einde"):
        rc.find(v.Btn, children=[button]).assert_single()
    names = {item["value"]: item["title"] for item in select(rc, "Strategie").items}
    assert names["flexible"] == "Flexibele netwerkondersteuning"
    assert names["care_as_usual"] == "Gebruikelijke zorg"
    shown = " ".join([*all_text(rc), *(w.label for w in rc.find(v.Slider).widgets)])
    assert "Flexibele netwerkondersteuning" in shown
    english = [
        text["en"]
        for text in words.PAGE_WORDS.values()
        if text["en"] != text["nl"] and "{" not in text["en"] and len(text["en"]) > 4
    ]
    assert not [e for e in english if re.search(rf"\b{re.escape(e)}\b", shown)], "English left in Dutch mode"
    for svg_text in (drawing(rc, "snf-networks-plot"), drawing(rc, "snf-outcomes-plot")):
        labels = re.findall(r">([^<>]+)</text>", svg_text)
        assert not [t for t in labels if re.search(r"\d\.\d", t)], "a decimal point in a Dutch drawing"
        assert not [e for e in english if any(e == t for t in labels)]
    assert "Uitstroom sinds de start, per route" in drawing(rc, "snf-outcomes-plot")
    slider(rc, "Aandeel weigeraars").v_model = 0.35
    assert slider(rc, "Aandeel weigeraars").label == "Aandeel weigeraars: 35% · gewijzigd"
    slider(rc, "Woningen per week").v_model = 1.5
    assert slider(rc, "Woningen per week").label == "Woningen per week: 1,50 · gewijzigd"
    assert any(a.startswith("Gewijzigd - druk op Opnieuw") for a in alerts(rc))


# --- the model behind the page -----------------------------------------------------------------


def test_the_controls_are_exactly_the_page_models_arguments():
    arguments = set(inspect.signature(PageModel.__init__).parameters) - {"self"}
    assert set(DEFAULTS) == arguments
    assert set(PageModel().controls()) == arguments  # what the sidebar holds and compares
    assert set(app_page.sliders("en")) == set(app_page.sliders("nl")) == set(SLIDER_PARAMETERS)
    assert set(SLIDER_PARAMETERS) | {"scenario_name", "strategy", "rng"} == arguments


def test_a_model_built_from_its_own_controls_has_nothing_changed():
    model = PageModel(scenario_name="haarlem", strategy="resource", rng=4)
    assert app_page.changed_controls(model.controls(), model) == []
    changed = {**model.controls(), "homes_per_week": 2.0, "rng": "5"}
    assert app_page.changed_controls(changed, model) == ["homes_per_week", "rng"]


def test_the_size_limit_is_checked_before_anything_is_built():
    start = time.perf_counter()
    model = PageModel(n_clients=MAX_CLIENTS * 100)
    assert time.perf_counter() - start < 1.0
    assert model.sim is None and model.problem is not None
    assert model.problem.key == "too_many"
    assert model.running is False
    model.step()  # a model that was not built does nothing
    assert model.week == 0


def test_bad_settings_give_a_message_not_an_error():
    assert PageModel(rng="abc").problem.key == "bad_seed"
    assert PageModel(rng=-1).problem.key == "bad_seed"
    assert PageModel(strategy="no_such_strategy").problem.key == "bad_strategy"
    assert PageModel(scenario_name="no_such_scenario").problem.key == "bad_settings"
    assert PageModel(rng="7").sim.seed == 7


def test_sliders_left_unset_keep_the_scenarios_own_values():
    own = PageModel(scenario_name="large_networks")
    assert own.params.population.network_size_mean == 12.0
    assert own.params.population.refusal_share == 0.0
    slid = PageModel(scenario_name="large_networks", network_size_mean=3.0)
    assert slid.params.population.network_size_mean == 3.0
    assert slid.params.population.refusal_share == 0.0


def test_the_page_model_is_the_simulation_with_the_same_seed():
    from simulation.model import NetworkSupportModel
    from simulation.scenarios import load_scenario

    page = PageModel(n_clients=60, strategy="resource", rng=3)
    assert page.advance(5) == 5
    direct = NetworkSupportModel(load_scenario("default"), "resource", rng=3, n_clients=60)
    direct.run(5)
    assert page.week == 5
    assert page.sim.datacollector.get_model_vars_dataframe().equals(
        direct.datacollector.get_model_vars_dataframe()
    )
    assert page.sim.flow.table().equals(direct.flow.table())


def test_status_and_history_read_the_model():
    model = PageModel(n_clients=80, rng=5)
    model.advance(60)
    sim = model.sim
    status = model.status()
    assert (status.week, status.year, status.year_start) == (60, 2, 53)
    flow = sim.flow.table()
    this_year = flow[flow["week"] >= 53]
    for route in ROUTES:
        assert status.exits_this_year[route.name.lower()] == this_year[route_key(route)].sum()
    assert status.present == np.count_nonzero(sim.clients.location == Location.SHELTER)
    assert status.present <= status.places == 80
    history = model.history()
    assert list(history["week"]) == list(range(61))
    assert (history["in_shelter"] == flow["in_shelter"]).all()
    for route in ROUTES:
        exits = history[route_key(route)]
        assert (exits.diff().dropna() >= 0).all()
        assert exits.iloc[-1] == flow[route_key(route)].sum()
    weekly = sim.datacollector.get_model_vars_dataframe()
    assert history["has_support_group"].iloc[-1] == weekly["has_support_group"].iloc[-1]
    assert model.advance(1000) == model.weeks - 60  # no further than the end
    assert not model.running


# --- the drawings ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_run() -> PageModel:
    model = PageModel(n_clients=40, rng=2)
    model.advance(40)
    return model


def test_the_network_view_draws_the_clients_present(small_run):
    sim = small_run.sim
    present = small_run.present()
    assert len(present) > 9
    for client in present:
        g = ego_graph(sim, int(client))
        mine = sim.ties_of(int(client))
        assert g.number_of_nodes() == len(mine) + 1
        for j in mine:
            node = g.nodes[int(j)]
            assert node["status"] == TieStatus(int(sim.ties.status[j]))
            assert node["member"] == bool(sim.ties.member[j])
            assert g.has_edge("client", int(j))
        knows = {(u, w) for u, w, d in g.edges(data=True) if d["kind"] == "knows"}
        for u, w in knows:
            assert not sim.ties.built[u] and not sim.ties.built[w]
            p = sim.params.population.acquaintance_probability
            uid = int(sim.clients.uid[client])
            assert knows_each_other(sim.seed, uid, sim.ties.slot[[u]], sim.ties.slot[[w]], p)[0]
    rows = [int(i) for i in present[:9]]
    text = networks_svg(sim, rows, "en", present=len(present))
    groups = re.findall(r'<g data-client="(\d+)">(.*?)</g>', text)
    assert [int(uid) for uid, _ in groups] == [int(sim.clients.uid[i]) for i in rows]
    for (_uid, body), row in zip(groups, rows, strict=True):
        marks = re.findall(r'fill="(#[0-9A-F]+)"[^>]*data-status="(\w+)"', body)
        naasten = [(fill, status) for fill, status in marks if status != "client"]
        assert len(naasten) == len(sim.ties_of(row))
        for fill, status in naasten:
            assert fill == STATUS_COLOURS[TieStatus[status.upper()]]
    assert sim.ties.member.any(), "after 40 weeks of flexible support some naasten are group members"
    assert f"of the {len(present)} in the shelter" in text


def test_the_outcome_plot_draws_every_week_in_its_own_colours(small_run):
    history = small_run.history()
    text = outcomes_svg(history, small_run.weeks, small_run.warmup, 40, "en")
    names = ["in_shelter", "waiting_for_place", *map(route_key, ROUTES), "has_support_group", "formal_group"]
    for name in [*names, "dropped_out"]:
        assert len(series_points(text, name)) == len(history) == 41
        assert series_colour(text, name) == COLOURS[name]
    x_last, _ = series_points(text, "has_support_group")[-1]
    x_first, _ = series_points(text, "has_support_group")[0]
    assert x_last > x_first
    assert f'data-warmup="{small_run.warmup}"' in text


def test_a_colour_means_one_thing_on_the_page():
    colours = [c.upper() for c in COLOURS.values()]
    assert len(set(colours)) == len(colours)
    assert not set(colours) & {c.upper() for c in INK.values()}


def test_numbers_are_written_as_the_language_writes_them():
    assert words.number(2000, "en") == "2,000" and words.number(2000, "nl") == "2.000"
    assert words.decimal(0.45, 2, "en") == "0.45" and words.decimal(0.45, 2, "nl") == "0,45"
    assert words.decimal(1234.5, 1, "nl") == "1.234,5"
    assert words.percent(0.224, "nl", 1) == "22,4%" and words.percent(0.224, "en") == "22%"


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
