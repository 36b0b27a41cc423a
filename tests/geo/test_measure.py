import pytest
from shapely.geometry import LineString, Point, box

from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.geo.measure import bearing_deg, distance_km, geodesic_area_km2, geodesic_length_km, offset_point

KUPIANSK = Point(37.6167, 49.7064)


def test_geodesic_area_of_a_metric_square_is_its_area():
    square_m = to_metric(KUPIANSK, 32637).buffer(5_000, cap_style="square")  # 10 km x 10 km
    area = geodesic_area_km2(to_lonlat(square_m.segmentize(100), 32637))
    assert area == pytest.approx(100.0, rel=2e-3)  # UTM scale error near the central meridian is < 0.1%


def test_geodesic_area_is_not_degrees_squared():
    cell = box(37.0, 49.0, 38.0, 50.0)
    # A 1°x1° cell at 49.5°N is about 111 km tall and 72 km wide.
    assert geodesic_area_km2(cell) == pytest.approx(8_000, rel=0.02)


def test_geodesic_length_of_a_degree_of_latitude():
    assert geodesic_length_km(LineString([(37.6, 49.0), (37.6, 50.0)])) == pytest.approx(111.2, abs=0.2)


def test_distance_is_measured_in_metres_in_utm():
    north = offset_point(KUPIANSK, distance_km=2.5, bearing_deg=0.0)
    assert distance_km(KUPIANSK, north, epsg=32637) == pytest.approx(2.5, abs=0.005)


@pytest.mark.parametrize("bearing", [0.0, 22.5, 157.5, 270.0])
def test_offset_and_bearing_round_trip(bearing):
    target = offset_point(KUPIANSK, distance_km=8.0, bearing_deg=bearing)
    assert bearing_deg(KUPIANSK, target) == pytest.approx(bearing, abs=0.01)
