"""compare.py: ground gained and lost between two dates, measured in an equal-area sense."""

import datetime as dt
import re

import pytest
import shapely
from shapely.geometry import Point, mapping

from kupiansk_map.analysis.compare import ROW_LABELS, as_rows, compare_dates, comparison_layers, utm_epsg
from kupiansk_map.analysis.coverage import NotMapped
from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.validate.checks import validate_object

KM = 1e3


def _square_ll(x0, y0, w_km, h_km, epsg):
    """A UTM rectangle (densified every 500 m so it keeps its shape) in lon/lat."""
    box = shapely.box(x0, y0, x0 + w_km * KM, y0 + h_km * KM)
    return to_lonlat(shapely.segmentize(box, 500), epsg)


def _feature(geometry, fid, valid_from, valid_to, status="schematic"):
    geometry = shapely.orient_polygons(geometry, exterior_cw=False)
    return {
        "type": "Feature",
        "geometry": mapping(geometry),
        "properties": {
            "id": fid,
            "name": fid,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "status": status,
            "source": "test",
            "note": "",
        },
    }


@pytest.fixture(scope="module")
def synthetic():
    """Occupied: a 20 x 20 km square until 2024-11-01, then the same with a 10 x 10 km square added to the
    east and a 5 x 10 km strip lost in the west. Kursk: a 10 x 10 km square that loses half its area."""
    kup = to_metric(Point(37.6167, 49.7064), 32637)
    x0, y0 = kup.x - 10 * KM, kup.y - 10 * KM
    before = _square_ll(x0, y0, 20, 20, 32637)
    after_m = shapely.union(
        shapely.box(x0, y0, x0 + 20 * KM, y0 + 20 * KM), shapely.box(x0 + 20 * KM, y0, x0 + 30 * KM, y0 + 10 * KM)
    )
    after_m = after_m.difference(shapely.box(x0, y0 + 10 * KM, x0 + 5 * KM, y0 + 20 * KM))
    after = to_lonlat(shapely.segmentize(after_m, 500), 32637)
    sud = to_metric(Point(35.2706, 51.1914), 32636)
    k_before = _square_ll(sud.x, sud.y, 10, 10, 32636)
    k_after = _square_ll(sud.x, sud.y, 10, 5, 32636)
    return {
        "occupied": {
            "type": "FeatureCollection",
            "features": [
                _feature(before, "occ-a", "2024-01-01", "2024-11-01"),
                _feature(after, "occ-b", "2024-11-01", "2024-12-01"),
            ],
        },
        "kursk_salient": {
            "type": "FeatureCollection",
            "features": [
                _feature(k_before, "k-a", "2024-08-06", "2024-11-01", status="assessed"),
                _feature(k_after, "k-b", "2024-11-01", "2024-12-01", status="assessed"),
            ],
        },
    }


def test_utm_zone_follows_the_longitude():
    assert utm_epsg(37.6167, 49.7) == 32637
    assert utm_epsg(35.27, 51.19) == 32636
    assert utm_epsg(36.0) == 32637 and utm_epsg(35.999) == 32636
    with pytest.raises(ValueError):
        utm_epsg(float("nan"))


def test_known_shapes_are_measured_within_half_a_percent(synthetic):
    comparison = compare_dates(synthetic, dt.date(2024, 10, 15), dt.date(2024, 11, 13))
    occupied = comparison.change("occupied")
    assert occupied.epsg == 32637
    assert occupied.area_d1_km2 == pytest.approx(400, rel=0.005)
    assert occupied.area_d2_km2 == pytest.approx(450, rel=0.005)
    assert occupied.gained_km2 == pytest.approx(100, rel=0.005)
    assert occupied.lost_km2 == pytest.approx(50, rel=0.005)
    assert occupied.net_km2 == pytest.approx(50, rel=0.005)
    assert occupied.ids_d1 == ("occ-a",) and occupied.ids_d2 == ("occ-b",)
    kursk = comparison.change("kursk_salient")
    assert kursk.epsg == 32636
    assert kursk.lost_km2 == pytest.approx(50, rel=0.005)
    assert kursk.gained_km2 == 0 and kursk.gained.is_empty
    assert kursk.net_km2 == pytest.approx(-50, rel=0.005)


def test_gained_ground_lies_where_it_was_gained(synthetic):
    occupied = compare_dates(synthetic, dt.date(2024, 10, 15), dt.date(2024, 11, 13)).change("occupied")
    kup = Point(37.6167, 49.7064)
    assert occupied.gained.representative_point().x > kup.x  # the square added in the east
    assert occupied.lost.representative_point().x < kup.x  # the strip lost in the west


def test_same_date_or_same_state_changes_nothing(synthetic):
    comparison = compare_dates(synthetic, dt.date(2024, 11, 2), dt.date(2024, 11, 13))
    for change in comparison.changes:
        assert change.gained_km2 == change.lost_km2 == change.net_km2 == 0
    layers = comparison_layers(comparison)
    assert all(not c["features"] for c in layers.values())


def test_a_date_without_any_state_is_refused_not_counted_as_no_ground(synthetic):
    with pytest.raises(NotMapped, match=r"Kupiansk sector is not mapped on 1 January 2023; mapped: 1 January 2024"):
        compare_dates(synthetic, dt.date(2023, 1, 1), dt.date(2024, 1, 1), layer_ids=["occupied"])


def test_a_date_after_the_data_is_refused_not_read_as_everything_lost(layers):
    with pytest.raises(NotMapped) as info:
        compare_dates(layers, dt.date(2024, 11, 13), dt.date(2026, 1, 1))
    message = str(info.value)
    assert "the Kupiansk sector is not mapped on 1 January 2026" in message
    assert "the Kursk salient is not mapped on 1 January 2026; mapped: 6 August 2024 – 14 November 2024" in message


def test_change_across_an_unmapped_gap_is_flagged_as_undated(layers):
    comparison = compare_dates(layers, dt.date(2022, 10, 1), dt.date(2024, 11, 13), layer_ids=["occupied"])
    change = comparison.change("occupied")
    assert change.gained_km2 > 100  # the change is real, only its date is unknown
    words = "happened at an unknown time between 31 December 2022 and 1 November 2024"
    assert change.undated == words
    assert as_rows(comparison)[0]["undated"] == words
    assert comparison.as_dict()["layers"][0]["undated"] == words
    note = comparison_layers(comparison)["occupied_gained"]["features"][0]["properties"]["note"]
    assert words in note
    # Dates inside one mapped range, or in touching ranges, carry no such flag.
    assert (
        compare_dates(layers, dt.date(2022, 2, 27), dt.date(2022, 12, 31), layer_ids=["occupied"])
        .change("occupied")
        .undated
        is None
    )
    assert (
        compare_dates(layers, dt.date(2024, 9, 15), dt.date(2024, 11, 13), layer_ids=["kursk_salient"])
        .changes[0]
        .undated
        is None
    )


def test_comparison_layers_follow_the_data_model(synthetic):
    comparison = compare_dates(synthetic, dt.date(2024, 10, 15), dt.date(2024, 11, 13))
    layers = comparison_layers(comparison)
    assert set(layers) == {"occupied_gained", "occupied_lost", "kursk_salient_gained", "kursk_salient_lost"}
    assert layers["kursk_salient_gained"]["features"] == []
    for name, collection in layers.items():
        assert validate_object(collection, name=name, strict_format=True) == []
    props = layers["occupied_gained"]["features"][0]["properties"]
    assert props["id"] == "occupied-gained-2024-10-15-2024-11-13"
    assert (props["valid_from"], props["valid_to"]) == ("2024-10-15", "2024-11-14")
    assert props["status"] == "schematic" and props["change"] == "gained"
    assert "occ-a" in props["source"] and "occ-b" in props["source"]
    assert props["area_km2"] == pytest.approx(100, rel=0.005)
    assert layers["kursk_salient_lost"]["features"][0]["properties"]["status"] == "assessed"


def test_rows_for_a_table(synthetic):
    rows = as_rows(compare_dates(synthetic, dt.date(2024, 10, 15), dt.date(2024, 11, 13)))
    assert [r["layer"] for r in rows] == ["occupied", "kursk_salient"]
    assert set(rows[0]) == {
        "layer",
        "title",
        "date_1",
        "date_2",
        "area_date_1_km2",
        "area_date_2_km2",
        "gained_km2",
        "lost_km2",
        "net_change_km2",
        "undated",
    }
    assert rows[0]["gained_km2"] == pytest.approx(100, rel=0.005)


def test_the_committed_layers(layers):
    kursk = compare_dates(layers, dt.date(2024, 10, 15), dt.date(2024, 11, 13), layer_ids=["kursk_salient"]).change(
        "kursk_salient"
    )
    assert kursk.lost_km2 == pytest.approx(850 - 600, rel=0.02)
    assert kursk.gained_km2 < 1  # each state is clipped to the one before it
    occupied = compare_dates(layers, dt.date(2022, 9, 10), dt.date(2024, 11, 13), layer_ids=["occupied"]).change(
        "occupied"
    )
    assert occupied.gained_km2 > 0
    assert occupied.net_km2 == pytest.approx(occupied.gained_km2 - occupied.lost_km2, abs=0.1)


def test_every_problem_is_named_at_once(synthetic, layers):
    with pytest.raises(ValueError) as info:
        compare_dates(
            {**synthetic, "places": layers["places"]},
            dt.date(2024, 10, 15),
            dt.date(2024, 11, 13),
            layer_ids=("occupied", "nope", "places"),
        )
    message = str(info.value)
    assert "layer nope: not loaded" in message
    assert "layer places: feature 0 (id 'kupiansk'): geometry.type: 'Point'" in message
    with pytest.raises(ValueError, match=re.escape("d1 (2024-11-13) comes after d2")):
        compare_dates(synthetic, dt.date(2024, 11, 13), dt.date(2024, 10, 15))
    with pytest.raises(TypeError, match=re.escape("d1: expected a datetime.date, got str '2024-02-30'")):
        compare_dates(synthetic, "2024-02-30", dt.date(2024, 11, 13))  # text is parsed where it enters


def test_every_row_key_has_a_readable_label_with_its_unit(layers):
    rows = as_rows(compare_dates(layers, dt.date(2024, 11, 1), dt.date(2024, 11, 13)))
    assert set(rows[0]) == set(ROW_LABELS)
    for key, (label, unit) in ROW_LABELS.items():
        assert "_" not in label and label[0].isupper()
        assert unit == ("km²" if key.endswith("_km2") else "")
