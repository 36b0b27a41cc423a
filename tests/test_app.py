"""Streamlit AppTest: widgets drive the state, and the map component carries the right layers for each date."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import ROOT, date_input
from streamlit.testing.v1 import AppTest
from streamlit_folium import generate_js_hash

APP = str(ROOT / "app.py")


def run_app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    if (query or {}).get("mode") != "present":
        settle(at)
    return at


def settle(at: AppTest) -> None:
    """What the browser does once the map is drawn: the map reports its view, and the rest of the page follows."""
    args = component_args(at)
    lat, lon = args["center"]
    at.session_state[generate_js_hash(args["script"], "map", False)] = {
        "zoom": args["zoom"],
        "center": {"lat": lat, "lng": lon},
    }
    at.run()
    assert not at.exception, at.exception


def component_args(at: AppTest) -> dict:
    (component,) = [
        el for el in at.get("component_instance") if el.proto.component_name == "streamlit_folium.st_folium"
    ]
    return json.loads(component.proto.json_args)


def feature_ids(args: dict) -> str:
    return args["feature_group"] or ""


@pytest.fixture(scope="module")
def app() -> AppTest:
    return run_app()


def test_app_starts_on_the_day_of_the_assault(app):
    assert date_input(app).value == dt.date(2024, 11, 13)
    groups = feature_ids(component_args(app))
    assert "occupied-2024-11" in groups and "claim-ru-foothold" in groups
    assert "2.5 km from the city" in " ".join(m.value for m in app.markdown)


def test_date_widget_changes_the_layers_sent(app):
    date_input(app).set_value(dt.date(2022, 2, 27)).run()
    args = component_args(app)
    assert "occupied-2022-02-27" in feature_ids(args) and "occupied-2024-11" not in feature_ids(args)
    assert app.query_params["date"] == ["2022-02-27"] or app.query_params["date"] == "2022-02-27"


def test_date_change_keeps_the_same_base_map():
    at = run_app()
    first = component_args(at)
    date_input(at).set_value(dt.date(2024, 9, 15)).run()
    second = component_args(at)
    assert first["script"] == second["script"]  # same iframe; only the feature groups change
    assert first["feature_group"] != second["feature_group"]
    assert (first["center"], first["zoom"]) == (second["center"], second["zoom"])


def test_toggle_hides_a_layer():
    at = run_app()
    at.sidebar.checkbox(key="layer_events").uncheck().run()
    groups = feature_ids(component_args(at))
    assert "claim-ru-foothold" not in groups and "occupied-2024-11" in groups


def test_buffer_slider_recomputes_the_zone():
    at = run_app()
    before = feature_ids(component_args(at))
    at.sidebar.slider(key="buffer_km").set_value(10.0).run()
    after = feature_ids(component_args(at))
    assert before != after and "Within 10 km of the front line" in after


def test_url_parameters_open_the_same_view():
    at = run_app({"date": "2024-10-01", "view": "kursk", "layers": "kursk_salient,places", "buffer_km": "5"})
    args = component_args(at)
    assert at.sidebar.radio(key="view").value == "kursk"
    assert date_input(at).value == dt.date(2024, 10, 1)
    groups = feature_ids(args)
    assert "kursk-2024-09-15" in groups and "occupied-" not in groups
    lat, lon = args["center"]
    assert 50.9 < lat < 51.6 and 34.7 < lon < 35.9


def test_a_bad_url_value_is_explained_not_fatal():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"date": "2024-02-30", "view": "moon"})
    at.run()  # the message comes with the first run, with the map
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "2024" in warnings and "moon" in warnings
    assert date_input(at).value == dt.date(2024, 11, 13)


def test_figures_panel_is_computed_for_the_date(app):
    date_input(app).set_value(dt.date(2024, 11, 13)).run()
    panel = next(h.proto.body for h in app.get("html") if "data-figure" in h.proto.body)
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", panel))
    assert shown["Shortest distance from the city outline to the front line"] == "2.5 km"
    assert shown["Ukrainian-held area in Kursk region (map outline)"] == "600 km²"
    assert shown["Kupiansk population before the full-scale invasion"] == "26,000"
    assert "Figures for 13 November 2024" in panel


def test_no_usage_statistics_are_configured():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert "gatherUsageStats = false" in config


def test_presenter_mode_moves_through_chapters_and_the_url_follows():
    at = run_app({"mode": "present", "chapter": "3", "lang": "en"})
    assert "3 / 10" in " ".join(m.value for m in at.markdown)
    assert at.title[0].value.startswith("Back under Ukrainian control")
    at.button(key="next").click().run()
    assert at.query_params["chapter"] in (["4"], "4")
    assert "kursk-2024-08-06" in feature_ids(component_args(at))
    at.button(key="clicker_previous").click().run()
    at.button(key="clicker_previous").click().run()
    assert at.query_params["chapter"] in (["2"], "2")
    assert "occupied-2022-02-27" in feature_ids(component_args(at))
    at.button(key="last").click().run()
    assert at.query_params["chapter"] in (["10"], "10")
    at.sidebar.radio(key="lang").set_value("uk").run()
    assert at.query_params["lang"] in (["uk"], "uk")
    assert "Питання" in at.title[0].value
    assert "Купʼянськ" in feature_ids(component_args(at))  # map labels in Ukrainian


def test_presenter_mode_can_be_left():
    at = run_app({"mode": "present", "chapter": "2"})
    at.sidebar.toggle(key="present").set_value(False).run()
    assert date_input(at) is not None
    assert "mode" not in at.query_params


def test_analyst_tools_are_off_until_asked_for(app):
    assert not app.dataframe and not app.table and "L.Control.Measure(" not in component_args(app)["script"]


def test_compare_dates_table_and_overlay():
    at = run_app({"analyst": "1"})
    table = at.table[0].value  # headed by readable labels with units
    kursk = table[table["Layer"] == "Ukrainian-held area in Kursk region"].iloc[0]
    assert kursk["Lost (km²)"] == pytest.approx(250, rel=0.05)
    at.toggle(key="cmp_on").set_value(True).run()
    assert "Change 2024-09-15 to 2024-11-13" in feature_ids(component_args(at))


def test_distance_bands_table_and_bad_input():
    at = run_app({"analyst": "1"})
    bands_table = at.table[1].value
    assert list(bands_table["Distance from the front line"]) == ["0-2.5 km", "2.5-5 km", "5-10 km", "10-20 km"]
    assert bands_table["Share of the Kupiansk outline (%)"].sum() <= 100.0001
    at.text_input(key="bands_km").set_value("10, 5").run()
    assert any("increasing distances" in e.value for e in at.error)
    assert not at.exception


def test_measure_and_cursor_tools_are_on_the_map():
    at = run_app()
    at.sidebar.toggle(key="analyst").set_value(True).run()
    assert at.query_params["analyst"] in (["1"], "1")
    args = component_args(at)
    assert "L.Control.Measure(" in args["script"] and "L.Control.MousePosition(" in args["script"]


def test_the_first_run_sends_the_map_before_anything_heavy():
    """A session's first run sends the map and little else; the figures, summary, chart and downloads follow
    when the map reports its view (in the browser: as soon as it is drawn), so they never delay the map."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert "occupied-2024-11" in feature_ids(component_args(at))
    assert not [h for h in at.get("html") if "data-figure" in h.proto.body] and not at.get("download_button")
    assert any("Loading the figures" in c.value for c in at.caption)
    assert not at.sidebar.checkbox  # the layer switches come with the rest
    assert date_input(at).value == dt.date(2024, 11, 13)  # the date and modes are there
    assert at.sidebar.toggle(key="present") is not None
    settle(at)
    assert [h for h in at.get("html") if "data-figure" in h.proto.body] and at.get("download_button")
    assert not any("Loading the figures" in c.value for c in at.caption)
    assert at.sidebar.checkbox(key="layer_events").value is True


MAPPED_KUPIANSK = "mapped: 27 February 2022 – 31 December 2022, 1 November 2024 – 14 November 2024"


@pytest.mark.parametrize("day", ["2023-06-01", "2024-08-06"])
def test_a_date_the_sources_do_not_describe_says_not_mapped_and_names_the_ranges(day):
    at = run_app({"date": day})
    assert date_input(at).value == dt.date.fromisoformat(day)
    sent = feature_ids(component_args(at))
    assert "occupied-" not in sent and "front-20" not in sent  # no occupied area or front drawn
    panel = next(h.proto.body for h in at.get("html") if "data-figure" in h.proto.body)
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", panel))
    assert shown["Shortest distance from the city outline to the front line"] == "not mapped on this date"
    assert shown["Russian-held ground within 20 km of the city"] == "not mapped on this date"
    assert MAPPED_KUPIANSK in panel
    summary = " ".join(m.value for m in at.markdown)
    assert "Kupiansk sector: not mapped on this date" in summary and "20.1 km" not in summary
    # The occupied layer filtered to this date is refused, with the reason.
    at.selectbox(key="download_layer").set_value("occupied").run()
    (button,) = [b for b in at.get("download_button") if b.proto.label == "Download GeoJSON"]
    assert button.proto.disabled
    assert any("Not available: the Kupiansk sector is not mapped" in c.value for c in at.caption)


def test_the_first_kursk_outline_shows_no_reported_figure():
    at = run_app({"date": "2024-08-06"})
    panel = next(h.proto.body for h in at.get("html") if "data-figure" in h.proto.body)
    shown = dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", panel))
    assert shown["Ukrainian-held area in Kursk region (map outline)"] == "no reported figure"
    assert "168" not in panel


def test_compare_refuses_an_unmapped_sector_and_flags_undated_change():
    at = run_app({"analyst": "1"})  # the default comparison starts on 15 September 2024, a Kupiansk gap date
    warnings = " ".join(w.value for w in at.warning)
    assert "Not compared: the Kupiansk sector is not mapped on 15 September 2024" in warnings
    assert list(at.table[0].value["Layer"]) == ["Ukrainian-held area in Kursk region"]
    at.date_input(key="cmp_d1").set_value(dt.date(2022, 10, 1)).run()
    warnings = " ".join(w.value for w in at.warning)
    assert "happened at an unknown time between 31 December 2022 and 1 November 2024" in warnings


def test_the_whole_explore_page_follows_lang_uk():
    at = run_app({"lang": "uk", "analyst": "1"})
    assert at.title[0].value == "Купʼянськ, 13 листопада 2024 р."
    assert at.sidebar.radio(key="lang").value == "uk"
    assert at.sidebar.toggle(key="present").label == "Режим презентації"
    assert date_input(at).label == "Дата"
    assert at.sidebar.checkbox(key="layer_occupied").label == "Територія під контролем Росії"
    summary = " ".join(m.value for m in at.markdown)
    assert "Купʼянськ утримувала Україна" in summary and "2,5\u00a0км від міста" not in summary
    assert re.search(r"за 2,\d км від міста", summary), summary
    panel = " ".join(h.proto.body for h in at.get("html"))
    assert "Цифри на 13 листопада 2024\u202fр." in panel and "км²" in panel and "Figures for" not in panel
    assert [t.label for t in at.tabs][:2] == ["Порівняти дати", "Смуги відстані"]
    assert at.query_params["lang"] == "uk"
    args = component_args(at)
    # The base map's texts travel as JSON (non-ASCII escaped): the legend title and the tile-failure notice.
    assert json.dumps("Умовні позначення") in args["script"] and json.dumps("Legend") not in args["script"]
    assert json.dumps("Не вдалося завантажити тайли мапи (немає мережі?).")[:-1] in args["script"]
    groups = feature_ids(args)
    assert "Купʼянськ" in groups and "Межі Купʼянська" in groups  # names, popups


def test_english_stays_the_default_and_leaves_lang_out_of_the_url(app):
    assert app.title[0].value == "Kupiansk, 13 November 2024"
    assert "lang" not in app.query_params


def test_the_language_picker_switches_the_page_and_the_url(app):
    at = run_app()
    at.sidebar.radio(key="lang").set_value("uk").run()
    assert not at.exception
    assert at.title[0].value.startswith("Купʼянськ")
    assert at.sidebar.radio(key="view").label == "Вид"
    assert at.query_params["lang"] == "uk"
