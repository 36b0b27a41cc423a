"""bands.py: rings at set distances from the front line and the city's share in each."""

import datetime as dt
import math
import re

import pytest
import shapely
from shapely.geometry import Point

from kupiansk_map.analysis.bands import bands_collection, distance_bands, parse_distances
from kupiansk_map.analysis.coverage import NotMapped
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.validate.checks import validate_object

KM = 1e3


@pytest.fixture(scope="module")
def synthetic():
    """A straight 100 km north-south front through x0 and a 10 x 4 km city from 1 to 11 km east of it."""
    centre = to_metric(Point(37.6167, 49.7064), 32637)
    x0 = centre.x - 6 * KM
    front = shapely.LineString([(x0, centre.y + 50 * KM), (x0, centre.y - 50 * KM)])
    city = shapely.box(x0 + 1 * KM, centre.y - 2 * KM, x0 + 11 * KM, centre.y + 2 * KM)
    return (
        to_lonlat(shapely.segmentize(front, 500), 32637),
        shapely.orient_polygons(to_lonlat(shapely.segmentize(city, 100), 32637), exterior_cw=False),
    )


def test_city_shares_in_each_band(synthetic):
    front, city = synthetic
    bands = distance_bands(front, distances_km=(2.5, 5, 10, 20), city=city)
    assert [(b.inner_km, b.outer_km) for b in bands] == [(0, 2.5), (2.5, 5), (5, 10), (10, 20)]
    shares = [b.city_share_pct for b in bands]
    for share, expected in zip(shares, (15, 25, 50, 10), strict=True):
        assert share == pytest.approx(expected, abs=0.3)
    assert sum(shares) == pytest.approx(100, abs=0.01)
    assert bands[1].city_area_km2 == pytest.approx(2.5 * 4, rel=0.01)
    assert all(b.epsg == 32637 for b in bands)


def test_band_areas_are_measured_in_metres(synthetic):
    front, city = synthetic
    band = distance_bands(front, distances_km=(2.5, 5), city=city)[1]
    expected = 2 * 100 * 2.5 + math.pi * (5**2 - 2.5**2)  # two strips and the end caps
    assert band.area_km2 == pytest.approx(expected, rel=0.01)


def test_custom_distances_and_the_part_beyond_them(synthetic):
    front, city = synthetic
    bands = distance_bands(front, distances_km=[1, 3], city=city)
    assert bands[0].city_share_pct == pytest.approx(0, abs=0.1)
    assert bands[1].city_share_pct == pytest.approx(20, abs=0.3)


def test_bands_from_the_layers_on_the_day_of_the_assault(layers):
    bands = distance_bands(layers, dt.date(2024, 11, 13))
    assert bands[0].city_share_pct == pytest.approx(0, abs=0.01)  # the front is 2.5 km from the city
    assert bands[1].city_share_pct > 0
    assert sum(b.city_share_pct for b in bands) == pytest.approx(100, abs=0.01)
    assert bands[0].front_ids == ("front-2024-11",)
    assert (bands[0].valid_from, bands[0].valid_to) == ("2024-11-01", "2024-11-15")


def test_a_date_with_no_mapped_state_is_refused(layers):
    for day, words in ((dt.date(2025, 6, 1), "1 June 2025"), (dt.date(2024, 8, 20), "20 August 2024")):
        with pytest.raises(NotMapped, match=f"the Kupiansk sector is not mapped on {words}; mapped: 27 February 2022"):
            distance_bands(layers, day)


def test_bands_collection_follows_the_data_model(layers):
    collection = bands_collection(distance_bands(layers, dt.date(2024, 11, 13), distances_km=(2.5, 5)))
    assert validate_object(collection, name="bands", strict_format=True) == []
    props = [f["properties"] for f in collection["features"]]
    assert [p["id"] for p in props] == ["band-0-2.5km", "band-2.5-5km"]
    assert props[1]["outer_km"] == 5 and props[1]["city_share_pct"] > 0
    assert props[0]["status"] == "schematic" and "front-2024-11" in props[0]["source"]


@pytest.mark.parametrize(
    "distances, expected",
    [
        ((5, 2.5), "distances_km[1]: 2.5 km does not increase on 5 km"),
        ((-1, 5), "distances_km[0]: -1 km is not positive"),
        ((0,), "distances_km[0]: 0 km is not positive"),
        ((5, 150), "distances_km[1]: 150 km is over the limit of 100 km"),
        ((float("nan"),), "distances_km[0]: nan is not a finite number"),
        ((), "give at least one distance"),
        ("5,10", "expected a list of distances"),
    ],
)
def test_bad_distances_are_refused_clearly(layers, distances, expected):
    with pytest.raises(ValueError, match="cannot compute distance bands") as info:
        distance_bands(layers, dt.date(2024, 11, 13), distances_km=distances)
    assert expected in str(info.value)


def test_every_problem_is_named_at_once(layers):
    with pytest.raises(ValueError) as info:
        distance_bands(layers, dt.date(2024, 11, 13), distances_km=(10, 5, 500))
    message = str(info.value)
    assert "does not increase" in message and "over the limit" in message
    with pytest.raises(ValueError, match="a date is needed"):
        distance_bands(layers)
    with pytest.raises(ValueError, match="expected a lon/lat shapely geometry or a mapping"):
        distance_bands([1, 2, 3])
    with pytest.raises(TypeError, match=re.escape("day: expected a datetime.date, got str")):
        distance_bands(layers, "2024-11-13")  # text is parsed where it enters (the CLI), not here


def test_parse_distances_reads_typed_text():
    assert parse_distances("2.5, 5; 10,20") == (2.5, 5.0, 10.0, 20.0)
    assert parse_distances(" 1 , , 3 ") == (1.0, 3.0)
    assert parse_distances("20,10", band_rules=False) == (20.0, 10.0)  # --within: the series checks its own rules


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("10,x", "is not a comma-separated list of numbers"),
        ("", "give increasing distances between 0 and 100 km"),
        ("10, 5", "distance 2: 5 km does not increase on 10 km"),
        ("5, 5", "distance 2: 5 km does not increase on 5 km"),
        ("0, 5", "distance 1: 0 km is not positive"),
        ("5, 150", "distance 2: 150 km is over the limit of 100 km"),
        ("nan", "distance 1: nan is not a finite number"),
    ],
)
def test_parse_distances_explains_what_is_wrong(text, detail):
    with pytest.raises(ValueError, match=re.escape(detail)):
        parse_distances(text)
