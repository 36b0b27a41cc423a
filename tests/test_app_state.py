"""The app's state through every order of mode switches: presenter, analyst tools, the date and the view.

Each switch is made as a visitor would, through its widget, and after each one the page must show its map with no
exception, and the URL must say what the page shows.
"""

from __future__ import annotations

import itertools
import json

import pytest
from conftest import ROOT, date_input
from streamlit.testing.v1 import AppTest
from streamlit_folium import generate_js_hash

APP = str(ROOT / "app.py")
SWITCHES = ("presenter", "analyst", "date", "view")


def _params(at: AppTest) -> dict[str, str]:
    return {key: (value[-1] if isinstance(value, list) else value) for key, value in at.query_params.items()}


def _map_args(at: AppTest) -> dict:
    components = [el for el in at.get("component_instance") if el.proto.component_name == "streamlit_folium.st_folium"]
    assert len(components) == 1, "the page should show exactly one map"
    return json.loads(components[0].proto.json_args)


def _switch(at: AppTest, switch: str, model: dict) -> None:
    """Make one switch through its widget; a switch whose widget is not on this page (analyst tools, date and
    view in presenter mode) is made by the visitor leaving presenter mode first, as they would have to."""
    if switch == "presenter":
        model["present"] = not model["present"]
        at.sidebar.toggle(key="present").set_value(model["present"]).run()
        return
    if model["present"]:
        model["present"] = False
        at.sidebar.toggle(key="present").set_value(False).run()
        _check(at, model)
    if switch == "analyst":
        model["analyst"] = not model["analyst"]
        at.sidebar.toggle(key="analyst").set_value(model["analyst"]).run()
    elif switch == "date":
        dates = _dates()
        held = date_input(at).value
        date_input(at).set_value(dates[(dates.index(held) + 1) % len(dates)]).run()
        model["date"] = date_input(at).value.isoformat()
    else:
        radio = at.sidebar.radio(key="view")
        views = ["overview", "kupiansk", "kursk"]
        model["view"] = views[(views.index(radio.value) + 1) % len(views)]
        radio.set_value(model["view"]).run()


def _dates():
    from kupiansk_map.web.views import timeline_dates

    return timeline_dates()


def _check(at: AppTest, model: dict) -> None:
    assert not at.exception, at.exception
    params = _params(at)
    _map_args(at)
    if model["present"]:
        assert params.get("mode") == "present" and "date" not in params
        assert at.title and "/ 10" in " ".join(m.value for m in at.markdown)
        return
    assert "mode" not in params and "chapter" not in params
    assert params["date"] == model["date"] and params["view"] == model["view"]
    assert (params.get("analyst") == "1") is model["analyst"]
    assert date_input(at).value.isoformat() == model["date"]
    assert at.sidebar.radio(key="view").value == model["view"]
    assert at.sidebar.toggle(key="analyst").value is model["analyst"]


@pytest.mark.parametrize("sequence", list(itertools.product(SWITCHES, repeat=3)), ids="-".join)
def test_every_order_of_switches_keeps_the_page_and_the_url(sequence) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    model = {"present": False, "analyst": False, "date": "2024-11-13", "view": "kupiansk"}
    _check(at, model)
    for switch in (*sequence, "presenter", "presenter"):  # and end with presenter mode on and off once more
        _switch(at, switch, model)
        _check(at, model)


def test_the_reported_crash_date_then_presenter_on_and_off() -> None:
    """Open /, move the date one step, switch presenter mode on and off: the page came back with a KeyError."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    date_input(at).set_value(_dates()[-2]).run()
    at.sidebar.toggle(key="present").set_value(True).run()
    at.sidebar.toggle(key="present").set_value(False).run()
    assert not at.exception, at.exception
    assert date_input(at).value == _dates()[-2]
    assert "mode" not in _params(at) and _params(at)["date"] == _dates()[-2].isoformat()


def test_settings_made_before_presenter_mode_survive_it() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.run()  # the layer switches come with the session's second run (the first sends the map first)
    at.sidebar.checkbox(key="layer_events").uncheck().run()
    at.sidebar.slider(key="buffer_km").set_value(5.0).run()
    at.sidebar.toggle(key="present").set_value(True).run()
    at.sidebar.radio(key="lang").set_value("uk").run()
    at.sidebar.toggle(key="present").set_value(False).run()
    assert not at.exception, at.exception
    assert at.sidebar.checkbox(key="layer_events").value is False and at.sidebar.slider(key="buffer_km").value == 5.0
    params = _params(at)
    assert "events" not in params["layers"].split(",") and params["buffer_km"] == "5"
    at.sidebar.toggle(key="present").set_value(True).run()
    assert _params(at)["lang"] == "uk"  # the language chosen in presenter mode is kept too


def test_a_map_view_link_reopens_the_same_view_and_the_map_keeps_it() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"view": "kupiansk", "lat": "49.71", "lon": "37.62", "zoom": "13"})
    at.run()
    args = _map_args(at)
    assert args["zoom"] == 13 and args["center"] == [49.71, 37.62]
    # The visitor zooms in: the map reports its view (streamlit-folium keeps it under a key hashed from the map).
    at.session_state[generate_js_hash(args["script"], "map", False)] = {
        "zoom": 14,
        "center": {"lat": 49.7, "lng": 37.6},
    }
    at.run()
    assert (_params(at)["zoom"], _params(at)["lat"], _params(at)["lon"]) == ("14", "49.70000", "37.60000")
    assert (_map_args(at)["zoom"], _map_args(at)["center"]) == (13, [49.71, 37.62])  # not told again: no pull-back
    # Analyst tools rebuild the base map (measuring tools); it must open where the visitor was looking.
    at.sidebar.toggle(key="analyst").set_value(True).run()
    args = _map_args(at)
    assert "L.Control.Measure(" in args["script"]
    assert (args["zoom"], args["center"]) == (14, [49.7, 37.6])
    assert _params(at)["zoom"] == "14" and _params(at)["analyst"] == "1"
