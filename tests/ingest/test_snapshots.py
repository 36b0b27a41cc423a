"""snapshots.py: importing a synthetic archive of daily snapshots (built here, in tmp_path)."""

import csv
import datetime as dt
import json
import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, mapping, shape

from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.ingest import snapshots
from kupiansk_map.ingest.snapshots import AOI_PRESETS, Aoi, date_from_name, import_snapshots, parse_aoi
from kupiansk_map.layers.build import DATA_DIR
from kupiansk_map.layers.builders import _context
from kupiansk_map.validate.checks import validate_file

KM = 1e3
KUP = to_metric(Point(37.6167, 49.7064), 32637)
SUD = to_metric(Point(35.2706, 51.1914), 32636)


def _east_of(offset_km, *, centre=KUP, epsg=32637):
    """Occupied ground east of the north-south line ``offset_km`` from the centre (lon/lat)."""
    box = shapely.box(centre.x + offset_km * KM, centre.y - 80 * KM, centre.x + 80 * KM, centre.y + 80 * KM)
    return to_lonlat(shapely.segmentize(box, 1000), epsg)


def _write(path, *geometries, raw=None):
    if raw is not None:
        path.write_text(raw, encoding="utf-8")
        return
    features = [
        {
            "type": "Feature",
            "properties": {"name": "occupied"},
            "geometry": mapping(shapely.orient_polygons(g, exterior_cw=False)),
        }
        for g in geometries
    ]
    features.append(
        {
            "type": "Feature",
            "properties": {"name": "a town"},
            "geometry": {"type": "Point", "coordinates": [37.6, 49.7]},
        }
    )
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")


@pytest.fixture()
def archive(tmp_path):
    """Ten days around Kupiansk: identical days, a corrupt file, projected coordinates, a gap, a duplicate date."""
    src = tmp_path / "archive"
    src.mkdir()
    a, b, c, d = _east_of(5), _east_of(4), _east_of(3), _east_of(-2)
    c_half_m = shapely.box(KUP.x + 3 * KM, KUP.y - 80 * KM, KUP.x + 80 * KM, KUP.y)
    c_north = to_lonlat(
        shapely.segmentize(shapely.box(KUP.x + 3 * KM, KUP.y, KUP.x + 80 * KM, KUP.y + 80 * KM), 1000), 32637
    )
    _write(src / "ds_20241101.geojson", a)
    _write(src / "ds_2024-11-02.geojson", a)
    _write(src / "ds_20241103.geojson", b)
    _write(src / "ds_20241104.geojson", raw='{"type": "FeatureCollection", "features": [')
    _write(src / "ds_20241105.geojson", b)
    # 2024-11-06 is missing
    _write(src / "ds_20241107.geojson", c)
    _write(src / "ds_20241108.geojson", to_lonlat(shapely.segmentize(c_half_m, 1000), 32637), c_north)  # same, split
    _write(
        src / "ds_20241109.geojson",
        raw=json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"id": "utm"},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[400000, 5500000], [410000, 5500000], [410000, 5510000], [400000, 5500000]]
                            ],
                        },
                    }
                ],
            }
        ),
    )
    _write(src / "dup_20241107.geojson", d)
    _write(src / "ds_20241110.geojson", d)
    (src / "notes.txt").write_text("not a snapshot", encoding="utf-8")
    _write(src / "undated.geojson", a)
    return src


def _segment_km2(r, d):
    return r * r * math.acos(d / r) - d * math.sqrt(r * r - d * d)


def test_dates_from_names():
    assert date_from_name("deepstate_20241113") == dt.date(2024, 11, 13)
    assert date_from_name("map-2024-11-13-final") == dt.date(2024, 11, 13)
    assert date_from_name("v2_20241340_20241101") == dt.date(2024, 11, 1)  # the first real date
    assert date_from_name("123420241113") is None and date_from_name("undated") is None


def test_aoi_variants():
    kup, kur = parse_aoi("kupiansk"), parse_aoi("Kursk")
    assert (kup.radius_km, kup.epsg) == (30, 32637) and (kur.radius_km, kur.epsg) == (60, 32636)
    assert (kup.lon, kup.lat) == AOI_PRESETS["kupiansk"][:2] == (37.6167, 49.7064)
    assert (kur.lon, kur.lat) == (35.2706, 51.1914)
    custom = parse_aoi("37.9, 50.0, 12.5")
    assert (custom.lon, custom.lat, custom.radius_km, custom.epsg) == (37.9, 50.0, 12.5, 32637)
    assert parse_aoi((35.9, 50.5, 10)).epsg == 32636 and parse_aoi(custom) is custom
    assert parse_aoi("kupiansk").metric().area == pytest.approx(math.pi * 30e3**2, rel=1e-3)
    for bad, message in (
        ("49.7,37.6,30", "did you swap"),
        ("37.6,49.7,0", "above 0"),
        ("37.6,49.7,500", "at most 300"),
        ("37.6,49.7", "LON,LAT,RADIUS_KM"),
        ("a,b,c", "three numbers"),
        (("x", 1, 2), "finite numbers"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_aoi(bad)


def test_import_merges_identical_days_and_skips_bad_ones(archive, tmp_path):
    calls = []
    report = import_snapshots(
        archive,
        aoi="kupiansk",
        out_dir=tmp_path / "out",
        progress=lambda done, total, name: calls.append((done, total, name)),
    )
    assert report.days_imported == 7 and report.states == 5
    assert (report.first_day, report.last_day) == ("2024-11-01", "2024-11-10")
    skipped = {s.date: s.reason for s in report.skipped}
    assert "not valid JSON" in skipped["2024-11-04"]
    assert "feature 0 (id 'utm'): geometry.coordinates: [400000.0, 5500000.0]" in skipped["2024-11-09"]
    assert "projected" in skipped["2024-11-09"]
    assert "same date" in skipped["2024-11-07"]
    assert report.gaps == [("2024-11-06", "2024-11-06")] and report.missing_days == 1
    assert sorted(report.ignored) == ["notes.txt", "undated.geojson"]
    assert report.other_geometries == 7  # the town points
    assert any(line == "missing: no file for 2024-11-06" for line in report.problems)
    assert calls[-1][:2] == (10, 10) and [c[0] for c in calls] == list(range(1, 11))

    occupied = json.loads((tmp_path / "out" / "occupied.geojson").read_text(encoding="utf-8"))
    spans = [
        (f["properties"]["valid_from"], f["properties"]["valid_to"], f["properties"]["days"])
        for f in occupied["features"]
    ]
    assert spans == [
        ("2024-11-01", "2024-11-03", 2),
        ("2024-11-03", "2024-11-04", 1),
        ("2024-11-05", "2024-11-06", 1),
        ("2024-11-07", "2024-11-09", 2),
        ("2024-11-10", "2024-11-11", 1),
    ]
    first = occupied["features"][0]["properties"]
    assert first["id"] == "occupied-2024-11-01" and "ds_20241101.geojson to ds_2024-11-02.geojson" in first["source"]
    for name in ("occupied.geojson", "front_line.geojson"):
        assert validate_file(tmp_path / "out" / name, strict_format=True) == []
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]  # no temporary files left


def test_areas_front_lengths_and_series(archive, tmp_path):
    import_snapshots(archive, aoi="kupiansk", out_dir=tmp_path / "out")
    with open(tmp_path / "out" / "series.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["date"] for r in rows] == [
        "2024-11-01",
        "2024-11-02",
        "2024-11-03",
        "2024-11-05",
        "2024-11-07",
        "2024-11-08",
        "2024-11-10",
    ]
    assert list(rows[0]) == ["date", "occupied_km2", "front_length_km"]
    by_date = {r["date"]: (float(r["occupied_km2"]), float(r["front_length_km"])) for r in rows}
    for day, offset in (("2024-11-01", 5), ("2024-11-03", 4), ("2024-11-08", 3)):
        area, length = by_date[day]
        assert area == pytest.approx(_segment_km2(30, offset), rel=0.005)
        assert length == pytest.approx(2 * math.sqrt(30**2 - offset**2), rel=0.005)
    assert by_date["2024-11-10"][0] == pytest.approx(math.pi * 900 - _segment_km2(30, 2), rel=0.005)


def test_front_is_the_edge_inside_the_aoi_only(archive, tmp_path):
    import_snapshots(archive, aoi="kupiansk", out_dir=tmp_path / "out")
    fronts = json.loads((tmp_path / "out" / "front_line.geojson").read_text(encoding="utf-8"))["features"]
    front = to_metric(shape(fronts[0]["geometry"]), 32637)
    xy = shapely.get_coordinates(front)
    assert np.abs(xy[:, 0] - (KUP.x + 5 * KM)).max() < 1.0  # only the north-south edge, not the AOI circle
    assert fronts[0]["properties"]["length_km"] == pytest.approx(2 * math.sqrt(30**2 - 25), rel=0.005)


def test_front_leaves_out_the_state_border(tmp_path):
    """Near Sudzha the AOI crosses the border: ground west of a line through Sudzha, in both countries."""
    src = tmp_path / "kursk"
    src.mkdir()
    west = shapely.box(SUD.x - 100 * KM, SUD.y - 100 * KM, SUD.x, SUD.y + 100 * KM)
    _write(src / "20240901.geojson", to_lonlat(shapely.segmentize(west, 1000), 32636))
    report = import_snapshots(src, aoi="kursk", out_dir=tmp_path / "out")
    assert report.aoi.epsg == 32636 and report.days_imported == 1
    [front] = json.loads((tmp_path / "out" / "front_line.geojson").read_text(encoding="utf-8"))["features"]
    front_m = to_metric(shape(front["geometry"]), 32636)
    xy = shapely.get_coordinates(front_m)
    assert np.abs(xy[:, 0] - SUD.x).max() < 1.0  # neither the border nor the AOI edge
    russia_m = to_metric(_context().russia, 32636)
    border_m = to_metric(_context().border, 32636)
    assert front_m.distance(border_m) >= 999 and not front_m.intersects(russia_m)
    south_edge = SUD.y - 60 * KM
    assert xy[:, 1].min() == pytest.approx(south_edge, abs=50)  # runs from the AOI's edge to the border
    assert front["properties"]["length_km"] > 40


def test_nan_is_a_corrupt_day(tmp_path):
    src = tmp_path / "nan"
    src.mkdir()
    _write(src / "20240101.geojson", _east_of(5))
    (src / "20240102.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[37.6, 49.7], [37.7, 49.7], [37.7, 49.8], [37.6, 49.7]]],
                        },
                    }
                ],
            }
        ).replace("49.8", "NaN"),
        encoding="utf-8",
    )
    report = import_snapshots(src, aoi="kupiansk", out_dir=tmp_path / "out")
    assert report.days_imported == 1 and "NaN" in report.skipped[0].reason


def test_a_processing_failure_skips_only_that_day(archive, tmp_path, monkeypatch):
    real = snapshots._front

    def flaky(day, frame):
        if day.day == dt.date(2024, 11, 3):
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return real(day, frame)

    monkeypatch.setattr(snapshots, "_front", flaky)
    report = import_snapshots(archive, aoi="kupiansk", out_dir=tmp_path / "out")
    assert "TopologyException" in {s.date: s.reason for s in report.skipped}["2024-11-03"]
    assert report.days_imported == 6


def test_invalid_polygons_are_repaired(tmp_path):
    src = tmp_path / "bowtie"
    src.mkdir()
    bowtie = [[37.5, 49.6], [37.7, 49.8], [37.7, 49.6], [37.5, 49.8], [37.5, 49.6]]
    (src / "20240101.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [bowtie]}}
                ],
            }
        ),
        encoding="utf-8",
    )
    report = import_snapshots(src, aoi="kupiansk", out_dir=tmp_path / "out")
    assert report.days_imported == 1 and report.repaired_polygons == 1
    assert validate_file(tmp_path / "out" / "occupied.geojson", strict_format=True) == []


def test_custom_aoi_and_empty_days(tmp_path):
    src = tmp_path / "custom"
    src.mkdir()
    _write(src / "20240101.geojson", _east_of(5))
    _write(src / "20240102.geojson", _east_of(60))  # nothing inside a 10 km AOI
    report = import_snapshots(src, aoi=(37.6167, 49.7064, 10), out_dir=tmp_path / "out")
    assert report.days_imported == 2 and report.states == 2
    rows = (tmp_path / "out" / "series.csv").read_text(encoding="utf-8").splitlines()
    assert rows[2] == "2024-01-02,0.000,0.000"
    occupied = json.loads((tmp_path / "out" / "occupied.geojson").read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["id"] for f in occupied] == ["occupied-2024-01-01"]  # an empty state has no feature


def test_a_failure_midway_leaves_the_previous_output(archive, tmp_path):
    out = tmp_path / "out"
    import_snapshots(archive, aoi="kupiansk", out_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def stop(done, total, name):
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_snapshots(archive, aoi="kursk", out_dir=out, progress=stop)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_bad_arguments_are_named_at_once(tmp_path):
    with pytest.raises(ValueError) as info:
        import_snapshots(tmp_path / "nope", aoi="nowhere", out_dir=DATA_DIR)
    message = str(info.value)
    assert "no such folder" in message and "LON,LAT,RADIUS_KM" in message
    assert "must not be" in message and "built layers" in message
    (tmp_path / "empty").mkdir()
    report = import_snapshots(tmp_path / "empty", aoi=Aoi("x", 37.6, 49.7, 5), out_dir=tmp_path / "o")
    assert report.days_imported == 0 and not (tmp_path / "o").exists()
