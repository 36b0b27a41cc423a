import json

import pytest
from shapely.geometry import LineString, Point, Polygon

from kupiansk_map.geo import geojson

PROPS = {"id": "x", "name": "X", "valid_from": None, "valid_to": None, "status": "schematic", "source": "s", "note": ""}


def test_to_rfc7946_winds_outer_rings_counter_clockwise_and_holes_clockwise():
    outer = [(37.0, 49.0), (37.0, 49.1), (37.1, 49.1), (37.1, 49.0)]  # clockwise
    hole = [(37.02, 49.02), (37.08, 49.02), (37.08, 49.08), (37.02, 49.08)]  # counter-clockwise
    fixed = geojson.to_rfc7946(Polygon(outer, [hole]))
    assert fixed.exterior.is_ccw
    assert not fixed.interiors[0].is_ccw


def test_to_rfc7946_rounds_to_six_decimals():
    fixed = geojson.to_rfc7946(Point(37.123456789, 49.987654321))
    assert (fixed.x, fixed.y) == (37.123457, 49.987654)


def test_to_rfc7946_refuses_empty_geometry():
    with pytest.raises(ValueError, match="empty"):
        geojson.to_rfc7946(Polygon())


def test_feature_orders_required_properties_first_and_names_missing_ones():
    feat = geojson.feature(Point(37.6, 49.7), {"zeta": 1, "alpha": 2, **PROPS})
    assert list(feat["properties"]) == [*geojson.REQUIRED_PROPERTIES, "alpha", "zeta"]
    with pytest.raises(ValueError, match="lacks required properties: note"):
        geojson.feature(Point(37.6, 49.7), {k: v for k, v in PROPS.items() if k != "note"})


def test_feature_refuses_non_finite_property_values():
    with pytest.raises(ValueError, match="finite"):
        geojson.feature(Point(37.6, 49.7), {**PROPS, "area_km2": float("nan")})


def test_dumps_is_stable_valid_json_without_crs():
    fc = geojson.feature_collection([geojson.feature(LineString([(37.6, 49.7), (37.7, 49.8)]), PROPS)])
    text = geojson.dumps(fc)
    assert text == geojson.dumps(json.loads(text))
    parsed = json.loads(text)
    assert parsed["type"] == "FeatureCollection" and "crs" not in parsed
    assert parsed["features"][0]["geometry"]["coordinates"] == [[37.6, 49.7], [37.7, 49.8]]


def test_dumps_refuses_geometry_collections():
    fc = {
        "features": [
            {"type": "Feature", "properties": PROPS, "geometry": {"type": "GeometryCollection", "coordinates": []}}
        ]
    }
    with pytest.raises(ValueError, match="GeometryCollection"):
        geojson.dumps(fc)
