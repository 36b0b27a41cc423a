import datetime as dt

import pytest

from kupiansk_map.model import MAP_LAYER_IDS
from kupiansk_map.web.views import (
    BASEMAPS,
    DEFAULT_STATE,
    LAYER_GROUPS,
    VIEWS,
    from_query_params,
    timeline_dates,
    to_query_params,
)


def test_round_trip_through_the_url():
    state, problems = from_query_params(
        {"date": "2022-09-15", "view": "kursk", "layers": "occupied,front_line", "buffer_km": "5", "basemap": "none"}
    )
    assert problems == []
    assert (state.date, state.view, state.layers, state.buffer_km, state.basemap) == (
        dt.date(2022, 9, 15),
        "kursk",
        ("occupied", "front_line"),
        5.0,
        "none",
    )
    assert from_query_params(to_query_params(state)) == (state, [])


def test_no_parameters_give_the_default():
    assert from_query_params({}) == (DEFAULT_STATE, [])
    assert DEFAULT_STATE.date == dt.date(2024, 11, 13) and DEFAULT_STATE.buffer_km == 2.5


@pytest.mark.parametrize(
    "params, field",
    [
        ({"date": "2024-02-30"}, "date"),
        ({"date": "<script>"}, "date"),
        ({"view": "moon"}, "view"),
        ({"buffer_km": "0.1"}, "buffer_km"),
        ({"buffer_km": "nan"}, "buffer_km"),
        ({"buffer_km": "abc"}, "buffer_km"),
        ({"basemap": "google"}, "basemap"),
    ],
)
def test_bad_values_fall_back_with_a_message(params, field):
    state, problems = from_query_params(params)
    assert len(problems) == 1 and problems[0].startswith(field)
    assert getattr(state, field if field != "buffer_km" else "buffer_km") == getattr(DEFAULT_STATE, field)


def test_unknown_layers_are_dropped_and_named():
    state, problems = from_query_params({"layers": "occupied,bogus"})
    assert state.layers == ("occupied",) and "'bogus'" in problems[0]


def test_layers_keep_catalog_order_and_empty_means_none():
    assert from_query_params({"layers": "events,occupied"})[0].layers == ("occupied", "events")
    assert from_query_params({"layers": ""})[0].layers == ()


def test_every_layer_has_exactly_one_toggle():
    toggled = [layer for entries in LAYER_GROUPS.values() for layer, _ in entries]
    assert sorted(toggled) == sorted(MAP_LAYER_IDS)  # the offline basemap has none: it shows when tiles do not
    assert list(LAYER_GROUPS) == ["Situation", "Places", "Context", "Events & claims"]


def test_preset_views_fit_their_bounds():
    assert set(VIEWS) == {"overview", "kupiansk", "kursk"}
    assert VIEWS["overview"].zoom() < VIEWS["kursk"].zoom() <= VIEWS["kupiansk"].zoom()
    lat, lon = VIEWS["kupiansk"].center
    assert abs(lat - 49.72) < 0.05 and abs(lon - 37.63) < 0.05
    assert "none" in BASEMAPS and "osm" in BASEMAPS


def test_timeline_marks_the_key_dates():
    dates = timeline_dates()
    for day in ("2022-02-27", "2022-09-10", "2024-08-06", "2024-11-13"):
        assert dt.date.fromisoformat(day) in dates
    assert list(dates) == sorted(dates)
