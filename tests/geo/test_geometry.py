import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon, box

from kupiansk_map.geo.geometry import (
    border_sides,
    calibrate_area,
    drop_slivers,
    east_of,
    front_buffer,
    front_line_of,
    largest_part,
    river_north_of,
    sector,
)


def test_border_sides_splits_the_window_north_east_and_south_west():
    border = LineString([(34.0, 52.0), (36.0, 51.0), (39.0, 50.0)])
    north_east, south_west = border_sides(border)
    assert north_east.contains(Point(37.0, 51.5)) and south_west.contains(Point(37.0, 50.0))
    assert north_east.intersection(south_west).area == pytest.approx(0.0, abs=1e-9)


def test_border_sides_names_a_border_drawn_the_wrong_way():
    with pytest.raises(ValueError, match="north-west to south-east"):
        border_sides(LineString([(39.0, 50.0), (34.0, 52.0)]))


def test_east_of_a_line_is_on_its_east_side():
    region = east_of(LineString([(37.0, 50.0), (37.1, 49.5), (37.0, 49.0)]))
    assert region.contains(Point(37.5, 49.5)) and not region.contains(Point(36.9, 49.5))


def test_east_of_refuses_lines_drawn_south_to_north_or_crossing_themselves():
    with pytest.raises(ValueError, match="north to south"):
        east_of(LineString([(37.0, 49.0), (37.0, 50.0)]))
    with pytest.raises(ValueError, match="crosses itself"):
        east_of(LineString([(37.0, 50.0), (37.5, 49.5), (37.5, 49.8), (37.2, 49.4), (37.0, 49.0)]))


def test_sector_extends_by_the_given_metres():
    assert sector(Point(0, 0), extent_m=(1, 2, 3, 4)).bounds == (-1, -2, 3, 4)


def test_river_north_of_cuts_at_a_latitude():
    river = LineString([(37.0, 50.0), (37.1, 49.8), (37.0, 49.6)])
    cut = river_north_of(river, 49.7)
    assert cut.coords[-1] == pytest.approx((37.05, 49.7))
    assert cut.coords[0] == (37.0, 50.0)


def test_front_line_of_leaves_out_the_region_edge():
    region = box(0, 0, 10_000, 10_000)
    occupied = box(6_000, 0, 10_000, 10_000)
    front = front_line_of(occupied, region)
    assert front.length == pytest.approx(10_000, abs=5)
    assert front.distance(LineString([(6_000, 0), (6_000, 10_000)])) < 1e-6


def test_front_line_of_fails_clearly_when_there_is_no_front():
    with pytest.raises(ValueError, match="no edge inside"):
        front_line_of(box(0, 0, 10, 10), box(0, 0, 10, 10))


def test_front_buffer_is_metric_and_bounded():
    zone = front_buffer(LineString([(0, 0), (10_000, 0)]), distance_km=2.5)
    assert zone.area == pytest.approx(10_000 * 5_000 + 3.14159 * 2_500**2, rel=1e-3)
    with pytest.raises(ValueError, match="between 0 and 100 km"):
        front_buffer(LineString([(0, 0), (1, 0)]), distance_km=-1)


def test_drop_slivers_and_largest_part():
    shapes = shapely.union_all([box(0, 0, 2_000, 2_000), box(5_000, 0, 5_010, 10)])
    assert drop_slivers(shapes, min_area_m2=1e6).area == 4e6
    assert largest_part(shapes).area == 4e6
    with pytest.raises(ValueError, match="nothing is left"):
        drop_slivers(box(0, 0, 1, 1), min_area_m2=1e6)


def test_calibrate_area_reaches_a_known_area_inside_its_clip():
    clip = box(0, 0, 100_000, 100_000)
    outline = Polygon([(40_000, 40_000), (60_000, 40_000), (60_000, 60_000), (40_000, 60_000)])  # 400 km²
    for target in (150.0, 600.0):
        shaped = calibrate_area(outline, clip=clip, target_km2=target, area_km2=lambda g: g.area / 1e6)
        assert shaped.area / 1e6 == pytest.approx(target, rel=5e-4)
        assert clip.contains(shaped)


def test_calibrate_area_refuses_an_unreachable_target():
    with pytest.raises(ValueError, match="cannot grow"):
        calibrate_area(
            box(0, 0, 1_000, 1_000), clip=box(0, 0, 2_000, 2_000), target_km2=100.0, area_km2=lambda g: g.area / 1e6
        )


def test_repaired_fixes_a_bowtie_and_says_what_was_wrong():
    from kupiansk_map.geo.geometry import repaired

    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    fixed, reason = repaired(bowtie)
    assert fixed.is_valid and fixed.area == pytest.approx(50.0) and "Self-intersection" in reason
    square = box(0, 0, 1, 1)
    assert repaired(square) == (square, None)
