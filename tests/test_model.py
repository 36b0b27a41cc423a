import datetime as dt

import pytest

from kupiansk_map.model import LAYER_IDS, LAYERS, features_on, is_valid_on, layer_spec, parse_iso_date, require_date


def test_parse_iso_date_accepts_real_dates():
    assert parse_iso_date("2024-11-13") == dt.date(2024, 11, 13)
    assert parse_iso_date(dt.date(2022, 2, 27)) == dt.date(2022, 2, 27)


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("2024-02-30", "not a date that exists"),
        ("13/11/2024", "YYYY-MM-DD"),
        ("2024-1-3", "YYYY-MM-DD"),
        (20241113, "int"),
        (None, "NoneType"),
    ],
)
def test_parse_iso_date_names_the_bad_value(value, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_iso_date(value)


def test_parse_iso_date_refuses_datetimes():
    with pytest.raises(ValueError, match="date-time"):
        parse_iso_date(dt.datetime(2024, 11, 13, 12))


@pytest.mark.parametrize(
    "props, day, expected",
    [
        ({"valid_from": None, "valid_to": None}, dt.date(2000, 1, 1), True),
        ({"valid_from": "2024-11-01", "valid_to": "2024-11-15"}, dt.date(2024, 11, 1), True),
        ({"valid_from": "2024-11-01", "valid_to": "2024-11-15"}, dt.date(2024, 11, 14), True),
        ({"valid_from": "2024-11-01", "valid_to": "2024-11-15"}, dt.date(2024, 11, 15), False),  # valid_to is exclusive
        ({"valid_from": "2024-11-01", "valid_to": "2024-11-15"}, dt.date(2024, 10, 31), False),
        ({"valid_from": None, "valid_to": "2022-09-10"}, dt.date(2022, 9, 9), True),
        ({"valid_from": "2022-09-10", "valid_to": None}, dt.date(2030, 1, 1), True),
    ],
)
def test_is_valid_on_uses_half_open_intervals(props, day, expected):
    assert is_valid_on(props, day) is expected


def test_features_on_filters_a_collection():
    features = [
        {"properties": {"id": "a", "valid_from": "2022-02-27", "valid_to": "2022-09-10"}},
        {"properties": {"id": "b", "valid_from": "2022-09-10", "valid_to": None}},
    ]
    assert [f["properties"]["id"] for f in features_on(features, dt.date(2022, 9, 10))] == ["b"]
    assert [f["properties"]["id"] for f in features_on(features, dt.date(2022, 3, 1))] == ["a"]


def test_a_text_date_is_refused_below_the_boundary_with_a_clear_type_error():
    props = {"valid_from": "2024-11-01", "valid_to": None}
    with pytest.raises(TypeError, match=r"day: expected a datetime.date, got str '2024-11-13'"):
        is_valid_on(props, "2024-11-13")
    with pytest.raises(TypeError, match="got datetime"):
        features_on([{"properties": props}], dt.datetime(2024, 11, 13, 12))
    assert require_date(dt.date(2024, 11, 13)) == dt.date(2024, 11, 13)


def test_a_bad_bound_in_a_feature_is_still_an_error():
    with pytest.raises(ValueError, match="not a date that exists"):
        is_valid_on({"valid_from": "2024-02-30", "valid_to": None}, dt.date(2024, 3, 1))


def test_layer_files_are_the_published_interface():
    assert [spec.file for spec in LAYERS] == [
        "kupiansk.geojson",
        "industrial_zone.geojson",
        "oskil.geojson",
        "railways.geojson",
        "occupied.geojson",
        "front_line.geojson",
        "front_buffer.geojson",
        "kursk_salient.geojson",
        "state_border.geojson",
        "places.geojson",
        "events.geojson",
        "front_overview.geojson",
        "front_area.geojson",
        "basemap.geojson",
    ]
    assert layer_spec("occupied").dated and not layer_spec("oskil").dated
    with pytest.raises(KeyError, match="known layers"):
        layer_spec("nope")
    assert len(set(LAYER_IDS)) == len(LAYER_IDS)
