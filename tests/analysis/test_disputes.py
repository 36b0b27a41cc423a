"""disputes.py: where two archives disagree on a date, measured on the ellipsoid."""

from __future__ import annotations

import datetime as dt

import archive_samples as s
import pytest
from pyproj import Geod
from shapely.geometry import Point, Polygon, shape

from kupiansk_map.analysis.disputes import DisputeError, dispute, dispute_collection
from kupiansk_map.ingest.archive_store import import_archive
from kupiansk_map.ingest.snapshots import parse_aoi
from kupiansk_map.validate.checks import validate_object

TODAY = dt.date(2025, 1, 1)
DAY = s.START + dt.timedelta(days=1)


def _km2(polygon: Polygon) -> float:
    area, _ = Geod(ellps="WGS84").geometry_area_perimeter(polygon)
    return abs(area) / 1e6


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "store.gpkg"
    import_archive(s.write_daily_geojson(tmp_path / "a", s.days([0, 0, 0])), name="a", store=path, today=TODAY)
    import_archive(s.write_daily_geojson(tmp_path / "b", s.days([0, 5, None, 5])), name="b", store=path, today=TODAY)
    return path


def test_the_disputed_area_is_the_symmetric_difference(store):
    found = dispute(store, "a", "b", DAY)
    # b's rectangle reaches 5 steps further west: that strip is Russian-held in b and not in a
    strip = Polygon(s.ring(5)).difference(Polygon(s.ring(0)))
    assert found.only_b_km2 == pytest.approx(_km2(strip), rel=0.002)
    assert found.only_a_km2 == pytest.approx(0, abs=0.01)
    assert found.disputed_km2 == pytest.approx(found.only_a_km2 + found.only_b_km2)
    assert found.b.occupied_km2 - found.a.occupied_km2 == pytest.approx(found.disputed_km2, rel=0.002)
    assert found.only_b.representative_point().within(strip.buffer(1e-6))


def test_the_same_state_has_nothing_in_dispute(store):
    found = dispute(store, "a", "b", s.START)
    assert found.disputed_km2 == pytest.approx(0, abs=0.01) and found.only_a.is_empty and found.only_b.is_empty


def test_the_aoi_clips_both_sources(store):
    # a 3 km circle on the strip's middle: only its part of the strip is counted
    centre = Polygon(s.ring(5)).difference(Polygon(s.ring(0))).centroid
    aoi = parse_aoi(f"{centre.x},{centre.y},3")
    found = dispute(store, "a", "b", DAY, aoi=aoi)
    circle = 3.14159 * 3**2
    assert found.disputed_km2 < circle + 0.1
    assert found.disputed_km2 > 0.5 * circle  # the strip is about 5 km wide, so most of the circle is in it
    assert found.aoi == aoi


def test_front_distance_from_the_city(store):
    city = Point(37.60, 49.86).buffer(0.01)
    found = dispute(store, "a", "b", DAY, city=city)
    assert found.a.front_distance_km is not None and found.b.front_distance_km is not None
    assert found.b.front_distance_km < found.a.front_distance_km  # b's front is 5 km nearer the city


def test_dates_and_archives_not_held_are_refused_all_at_once(store):
    with pytest.raises(DisputeError) as info:
        dispute(store, "a", "b", s.START + dt.timedelta(days=2))  # missing from b
    assert "archive 'b': 2024-11-12 is a day missing from it; it holds 2024-11-10 to 2024-11-13" in str(info.value)
    with pytest.raises(DisputeError) as info:
        dispute(store, "nope", "b", dt.date(2030, 1, 1))
    message = str(info.value)
    assert "no archive named 'nope'" in message and "2030-01-01 is outside the days it holds" in message
    with pytest.raises(DisputeError, match="given twice"):
        dispute(store, "a", "a", DAY)
    with pytest.raises(TypeError):
        dispute(store, "a", "b", "2024-11-11")


def test_the_collection_is_valid_geojson_with_provenance(store):
    collection = dispute_collection(dispute(store, "a", "b", DAY))
    assert validate_object(collection, name="disputes") == []
    (feature,) = collection["features"]
    props = feature["properties"]
    assert props["status"] == "assessed" and "neither is taken as fact" in props["note"]
    assert props["name"] == "Russian-held in b, not in a"
    assert shape(feature["geometry"]).area > 0
