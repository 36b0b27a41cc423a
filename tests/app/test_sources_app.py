"""The app with an archive of the store as its source (AppTest): layers, figures, URL and refusals follow it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from archive_samples import START, days, write_daily_geojson, write_owlmaps
from conftest import ROOT
from streamlit.testing.v1 import AppTest
from test_app import component_args, feature_ids, settle

from kupiansk_map.ingest import archive_store
from kupiansk_map.web import render

APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("app-sources")
    path = root / "store.gpkg"
    plan = days([0, 1, 1, 2, 3, None, 4, 5, 6, 7])  # 10-19 Nov 2024, 15 Nov missing
    archive_store.import_archive(
        write_owlmaps(root / "owl", plan), name="owl", store=path, attribution="Made-up tracker"
    )
    archive_store.import_archive(write_daily_geojson(root / "deep", days([2] * 10)), name="deep", store=path)
    return path


@pytest.fixture
def open_app(store: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KUPIANSK_MAP_STORE", str(store))

    def run(query: dict[str, str]) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        settle(at)
        return at

    return run


def text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def panel(at: AppTest) -> dict[str, str]:
    body = next(h.proto.body for h in at.get("html") if "data-figure" in h.proto.body)
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)", body))


def test_the_archive_replaces_the_situation_and_keeps_the_context(open_app) -> None:
    at = open_app({"source": "owl", "date": "2024-11-12"})
    groups = feature_ids(component_args(at))
    assert "owl-occupied-2024-11-11" in groups and "owl-front_line-" in groups and "owl-kursk_salient-" in groups
    assert '"id":"occupied-2024-11"' not in groups and '"id":"kursk-2024-11"' not in groups
    assert '"id":"kupiansk"' in groups  # the city outline, a context layer, stays
    assert "Made-up tracker" in groups  # the popups give the attribution
    assert at.sidebar.selectbox(key="source").value == "owl"
    assert at.query_params["source"] in ("owl", ["owl"])
    assert "the owl archive" in text(at) and "assessment" in text(at)
    shown = panel(at)
    assert shown["Shortest distance from the city outline to the front line"].endswith("km")


def test_a_day_the_archive_lacks_is_not_mapped(open_app) -> None:
    at = open_app({"source": "owl", "date": "2024-11-15"})
    groups = feature_ids(component_args(at))
    assert "owl-occupied" not in groups
    assert "not mapped on 15 November 2024" in text(at)
    assert panel(at)["Shortest distance from the city outline to the front line"] == "not mapped on this date"


def test_a_url_date_outside_the_source_is_refused_not_added(open_app) -> None:
    at = open_app({"source": "owl", "date": "2030-01-01"})
    warnings = " ".join(w.value for w in at.warning)
    assert "2030-01-01 is outside the dates of source owl" in warnings
    assert at.session_state["km_state"].view.date == dt.date(2024, 11, 13)
    assert at.query_params["date"] in ("2024-11-13", ["2024-11-13"])
    # The built-in source's range ends with its story: the same date is refused there too.
    at = open_app({"date": "2030-01-01"})
    assert "outside the dates of source builtin" in " ".join(w.value for w in at.warning)


def test_an_unknown_source_is_named_and_the_builtin_shown(open_app) -> None:
    at = open_app({"source": "nope"})
    warnings = " ".join(w.value for w in at.warning)
    assert "source: 'nope' is not one of builtin, deep, owl" in warnings
    assert at.session_state["km_state"].source == "builtin"
    assert '"id":"occupied-2024-11"' in feature_ids(component_args(at))


def test_picking_another_source_moves_a_date_it_lacks(open_app) -> None:
    at = open_app({"date": "2022-09-10"})
    at.sidebar.selectbox(key="source").set_value("owl").run()
    assert not at.exception, at.exception
    assert at.session_state["km_state"].view.date == dt.date(2024, 11, 13)
    assert "owl-occupied-" in feature_ids(component_args(at))
    # A date both hold is kept.
    at.sidebar.selectbox(key="source").set_value("deep").run()
    assert at.session_state["km_state"].view.date == dt.date(2024, 11, 13)
    assert at.query_params["source"] in ("deep", ["deep"])


def test_the_second_archive_is_offered_for_an_archive_source_only(open_app) -> None:
    at = open_app({})
    assert not [s for s in at.sidebar.selectbox if s.key == "versus"]
    at = open_app({"source": "owl", "versus": "deep", "date": str(START + dt.timedelta(days=2))})
    assert at.sidebar.selectbox(key="versus").value == "deep"
    assert at.query_params["versus"] in ("deep", ["deep"])
    at = open_app({"source": "owl", "versus": "owl"})
    assert "versus: 'owl' is not one of deep" in " ".join(w.value for w in at.warning)


def test_figures_near_the_city_equal_those_of_the_whole_states(store: Path) -> None:
    from kupiansk_map.analysis import stats
    from kupiansk_map.app import caches
    from kupiansk_map.layers.definitions import timeline
    from kupiansk_map.paths import data_dir

    info = caches.source_catalogue(str(data_dir()), str(store))["owl"]
    for k in (0, 2, 6, 9):
        day = START + dt.timedelta(days=k)
        near = caches.cached_figures(str(data_dir()), day, timeline.FRONT_BUFFER_KM, info.key)
        whole = stats.figures_on(caches.source_layers(str(data_dir()), info.key, day, timeline.FRONT_BUFFER_KM), day)
        assert near == whole


def _scale_sends(at: AppTest, value: dict) -> None:
    """A value from the date scale, sent as the browser sends it (with every widget's value), so that the scale's
    callback runs."""
    (scale,) = [el for el in at.get("component_instance") if el.proto.component_name.endswith("km_timeline")]
    states = at._tree.get_widget_states()
    kept = [w for w in states.widgets if w.id != scale.proto.id]
    del states.widgets[:]
    states.widgets.extend(kept)
    state = states.widgets.add()
    state.id = scale.proto.id
    state.json_value = json.dumps(value)
    at._run(states)
    assert not at.exception, at.exception


def test_a_playback_step_makes_the_next_days_map_scripts_so_the_next_step_finds_them_made(open_app, monkeypatch):
    made: list[tuple[str, dt.date | None]] = []
    real = render.drawn_layer_script

    def counted(collection, layer_id, day, **options):
        made.append((layer_id, day))
        return real(collection, layer_id, day, **options)

    monkeypatch.setattr(render, "drawn_layer_script", counted)
    at = open_app({"source": "owl", "date": "2024-11-12"})
    _scale_sends(at, {"date": "2024-11-16", "seq": 1, "playing": True})
    assert at.session_state["date"] == dt.date(2024, 11, 16)
    assert any("Playing" in c.value for c in at.caption)  # a playback step: the map and the date only
    assert ("occupied", dt.date(2024, 11, 17)) in made  # the next day's, made in this step's run
    made.clear()
    _scale_sends(at, {"date": "2024-11-17", "seq": 2, "playing": True})
    assert "owl-occupied-2024-11-17" in feature_ids(component_args(at))
    assert [m for m in made if m[1] == dt.date(2024, 11, 17)] == []  # found made
    assert ("occupied", dt.date(2024, 11, 18)) in made  # and the day after that's made in turn
