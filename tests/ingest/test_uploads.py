"""uploads.py: every format read into the data model, and every hostile or broken file refused clearly."""

import datetime as dt
import io
import json
import math
import os
import stat
import zipfile

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import mapping, shape

from kupiansk_map.ingest import uploads
from kupiansk_map.ingest.uploads import read_upload, read_upload_file
from kupiansk_map.layers.build import DATA_DIR
from kupiansk_map.validate.checks import MAX_FILE_BYTES, validate_object

SQUARE = shapely.box(37.55, 49.65, 37.65, 49.75)  # about 7 x 11 km around Kupiansk, counter-clockwise
POINT = shapely.Point(37.6167, 49.7064)


def _fc(*features):
    return {"type": "FeatureCollection", "features": list(features)}


def _feat(geometry, **props):
    geometry = geometry if isinstance(geometry, dict) else mapping(geometry)
    return {"type": "Feature", "properties": props, "geometry": json.loads(json.dumps(geometry))}


def _zip(entries, *, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _frame(crs=4326):
    frame = gpd.GeoDataFrame(
        {"name": ["Held ground", "Second"], "valid_from": ["2024-11-01", None], "waves": [4, 2]},
        geometry=[SQUARE, shapely.box(37.7, 49.6, 37.8, 49.7)],
        crs=4326,
    )
    return frame.to_crs(crs)


def _shapefile_zip(tmp_path, *, crs=32637, prj=True, folder="data/"):
    path = tmp_path / "shp" / "held.shp"
    path.parent.mkdir(exist_ok=True)
    _frame(crs).to_file(path, engine="pyogrio")
    entries = {}
    for suffix in (".shp", ".shx", ".dbf", ".cpg") + ((".prj",) if prj else ()):
        entries[folder + "held" + suffix] = path.with_suffix(suffix).read_bytes()
    return _zip(entries)


def _assert_model(result):
    for key, collection in result.layers.items():
        assert validate_object(collection, name=key, strict_format=True) == [], key


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Test</name><Folder>
<Placemark id="held"><name>Held ground</name>
  <ExtendedData><Data name="valid_from"><value>2024-11-01</value></Data><Data name="side"><value>RU</value></Data>
  </ExtendedData>
  <Polygon><outerBoundaryIs><LinearRing><coordinates>
    37.55,49.65,0 37.55,49.75,0 37.65,49.75,0 37.65,49.65,0 37.55,49.65,0
  </coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Axis</name><MultiGeometry><Point><coordinates>37.6,49.7</coordinates></Point>
  <LineString><coordinates>37.6,49.7 37.7,49.75</coordinates></LineString></MultiGeometry></Placemark>
<Placemark><name>Broken</name><Point><coordinates>abc,49.7</coordinates></Point></Placemark>
</Folder></Document></kml>"""


# --- each format ----------------------------------------------------------------------------------------


def test_geojson_keeps_properties_and_follows_the_timeline():
    data = json.dumps(
        _fc(
            _feat(SQUARE, name="Held", valid_from="2024-11-01", valid_to="2024-11-15", extra={"a": [1, 2]}),
            _feat(POINT, id="centre", name="Centre"),
        )
    ).encode()
    result = read_upload(data, name="mine.geojson")
    assert result.format == "GeoJSON" and result.problems == []
    assert list(result.layers) == ["mine"]
    first, second = result.layers["mine"]["features"]
    assert first["properties"]["id"] == "upload-0" and first["properties"]["extra"] == '{"a": [1, 2]}'
    assert first["properties"]["status"] == "schematic" and "mine.geojson" in first["properties"]["source"]
    assert 75 < first["properties"]["area_km2"] < 85  # 0.1° x 0.1° at 49.7° N, measured geodesically
    assert second["properties"]["id"] == "centre"
    assert result.dated
    assert [f["properties"]["id"] for f in result.layers_on(dt.date(2024, 11, 13))["mine"]["features"]] == [
        "upload-0",
        "centre",
    ]
    assert [f["properties"]["id"] for f in result.layers_on(dt.date(2024, 12, 1))["mine"]["features"]] == ["centre"]
    _assert_model(result)


def test_geopackage_layers_are_reprojected(tmp_path):
    path = tmp_path / "held.gpkg"
    _frame(32637).to_file(path, layer="utm", engine="pyogrio")
    _frame(4326).to_file(path, layer="lonlat", engine="pyogrio")
    result = read_upload_file(path)
    assert result.format == "GeoPackage" and result.problems == []
    assert set(result.layers) == {"utm", "lonlat"}
    assert any("reprojected from EPSG:32637" in note for note in result.notes)
    utm, lonlat = (shape(result.layers[k]["features"][0]["geometry"]) for k in ("utm", "lonlat"))
    assert utm.equals_exact(lonlat, tolerance=1e-5)
    props = result.layers["utm"]["features"][0]["properties"]
    assert props["name"] == "Held ground" and props["waves"] == 4 and props["valid_from"] == "2024-11-01"
    _assert_model(result)


def test_zipped_shapefile_is_reprojected(tmp_path):
    result = read_upload(_shapefile_zip(tmp_path), name="held.zip")
    assert result.format == "Shapefile (zip)" and result.problems == []
    features = result.layers["held"]["features"]
    assert len(features) == 2
    assert shape(features[0]["geometry"]).hausdorff_distance(SQUARE) < 1e-5
    assert features[0]["properties"]["valid_from"] == "2024-11-01"
    _assert_model(result)


def test_kml_and_kmz(tmp_path):
    for name, data in (("test.kml", KML.encode()), ("test.kmz", _zip({"doc.kml": KML, "files/a.png": b"png"}))):
        result = read_upload(data, name=name)
        assert result.format == name[-3:].upper()
        features = result.layers["test"]["features"]
        assert [f["properties"]["id"] for f in features] == ["held", "upload-1", "upload-2"]
        assert [f["geometry"]["type"] for f in features] == ["Polygon", "Point", "LineString"]
        held = features[0]["properties"]
        assert (held["name"], held["valid_from"], held["side"]) == ("Held ground", "2024-11-01", "RU")
        assert shape(features[0]["geometry"]).equals(SQUARE)
        [problem] = result.problems
        assert (problem.file, problem.index, problem.feature_id, problem.field) == (
            name,
            2,
            "Broken",
            "geometry.coordinates",
        )
        assert "'abc,49.7' is not lon,lat" in problem.message and "left out" in problem.message
        _assert_model(result)


# --- bad content, named by file, feature and field --------------------------------------------------


def test_wrong_winding_is_reported_and_repaired():
    clockwise = shapely.orient_polygons(SQUARE, exterior_cw=True)
    result = read_upload(json.dumps(_fc(_feat(clockwise, id="cw"))).encode(), name="cw.geojson")
    [problem] = result.problems
    assert (problem.file, problem.index, problem.feature_id, problem.field) == (
        "cw.geojson",
        0,
        "cw",
        "geometry.coordinates",
    )
    assert "runs clockwise" in problem.message and "re-wound" in problem.message
    assert len(result.layers["cw"]["features"]) == 1
    _assert_model(result)


def test_nan_and_swapped_coordinates_leave_the_feature_out():
    text = json.dumps(
        _fc(_feat({"type": "Point", "coordinates": [49.7064, 37.6167]}, id="swapped"), _feat(POINT, id="fine"))
    ).replace(
        "]}}]}",
        "]}}, "
        + json.dumps(_feat({"type": "Point", "coordinates": [0, 49.7]}, id="nan")).replace("[0,", "[NaN,")
        + "]}",
    )
    result = read_upload(text.encode(), name="bad.geojson")
    by_id = {p.feature_id: p for p in result.problems if p.index is not None}
    assert by_id["swapped"].index == 0 and by_id["swapped"].field == "geometry.coordinates"
    assert "swapped" in by_id["swapped"].message and "left out" in by_id["swapped"].message
    assert by_id["nan"].index == 2 and "NaN" in by_id["nan"].message
    assert any(p.field == "json" and "NaN" in p.message for p in result.problems)
    assert [f["properties"]["id"] for f in result.layers["bad"]["features"]] == ["fine"]


def test_bad_dates_leave_the_feature_out_and_other_properties_are_repaired():
    result = read_upload(
        json.dumps(
            _fc(
                _feat(POINT, id="a", valid_from="2024-02-30"),
                _feat(POINT, id="b", status="active", name=""),
                _feat(POINT, id="b"),
            )
        ).encode(),
        name="props.geojson",
    )
    messages = {(p.index, p.field): p.message for p in result.problems}
    assert "does not exist" in messages[(0, "properties.valid_from")]
    assert "left out" in messages[(0, "properties.valid_from")]
    assert "kept as original_status" in messages[(1, "properties.status")]
    assert "already used" in messages[(2, "properties.id")]
    features = result.layers["props"]["features"]
    assert [f["properties"]["id"] for f in features] == ["b", "upload-2"]
    assert features[0]["properties"]["status"] == "schematic"
    assert features[0]["properties"]["original_status"] == "active"
    assert features[0]["properties"]["name"] == "b"
    _assert_model(result)


def test_geopackage_with_nan_coordinates(tmp_path):
    path = tmp_path / "nan.gpkg"
    with np.errstate(invalid="ignore"):
        broken = shapely.Polygon([(37.5, 49.6), (math.nan, 49.7), (37.7, 49.7), (37.5, 49.6)])
    gpd.GeoDataFrame({"name": ["broken", "fine"]}, geometry=[broken, SQUARE], crs=4326).to_file(path)
    result = read_upload_file(path)
    [problem] = [p for p in result.problems if p.index is not None]
    assert (problem.file, problem.index, problem.field) == (str(path), 0, "geometry.coordinates")
    assert "NaN" in problem.message
    assert [f["properties"]["name"] for f in result.layers["nan"]["features"]] == ["fine"]


def test_no_crs_and_projected_coordinates_are_refused(tmp_path):
    result = read_upload(_shapefile_zip(tmp_path, prj=False), name="noprj.zip")
    assert result.layers == {} or all(not c["features"] for c in result.layers.values())
    [problem] = result.problems
    assert problem.file == "noprj.zip"
    assert "no coordinate reference system" in problem.message and "look projected" in problem.message


def test_no_crs_but_degrees_are_taken_as_lonlat(tmp_path):
    result = read_upload(_shapefile_zip(tmp_path, crs=4326, prj=False), name="degrees.zip")
    assert result.problems == [] and len(result.layers["held"]["features"]) == 2
    assert any("taken as lon/lat" in note for note in result.notes)


# --- hostile and broken files ----------------------------------------------------------------------------


def test_size_limit_is_checked_before_parsing(tmp_path):
    path = tmp_path / "big.geojson"
    path.write_bytes(b"{" + b" " * 2048)
    result = read_upload_file(path, max_bytes=1024)
    [problem] = result.problems
    assert "over the upload limit of 1.0 KiB" in problem.message and "without being read" in problem.message
    assert uploads.MAX_FILE_BYTES == MAX_FILE_BYTES
    assert "over the upload limit" in read_upload(b"[" * 2000, name="x.json", max_bytes=1000).problems[0].message


def test_not_a_zip():
    result = read_upload(b"this is not an archive", name="held.zip")
    [problem] = result.problems
    assert problem.file == "held.zip" and "not a zip archive" in problem.message


def test_zip_bomb_is_refused_unextracted():
    result = read_upload(_zip({"held.shp": b"\0" * (4 * 1024 * 1024)}), name="bomb.zip")
    [problem] = result.problems
    assert "looks like a zip bomb" in problem.message and "nothing was extracted" in problem.message


def test_zip_total_size_limit(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UNCOMPRESSED_BYTES", 10_000)
    entries = {f"part{i}.dbf": os.urandom(4000) for i in range(3)}
    entries["held.shp"] = os.urandom(10)
    result = read_upload(_zip(entries), name="large.zip")
    assert "would expand to" in result.problems[0].message


def test_too_many_zip_entries():
    result = read_upload(_zip({f"f{i}.txt": b"" for i in range(1001)}, compression=zipfile.ZIP_STORED), name="many.zip")
    assert "1,001 entries, over the limit of 1,000" in result.problems[0].message


@pytest.mark.parametrize(
    "entry", ["../evil.shp", "data/../../evil.shp", "/etc/evil.shp", "C:\\evil.shp", "..\\evil.shp"]
)
def test_path_traversal_is_refused(entry, tmp_path):
    result = read_upload(_zip({entry: b"x", "held.dbf": b"x"}), name="trav.zip")
    [problem] = result.problems
    assert "path traversal" in problem.message and "nothing was extracted" in problem.message
    assert not (tmp_path.parent / "evil.shp").exists()


def test_symbolic_links_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("held.shp")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    assert "symbolic link" in read_upload(buffer.getvalue(), name="link.zip").problems[0].message


XXE = """<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<kml><Placemark><name>&xxe;</name><Point><coordinates>37.6,49.7</coordinates></Point></Placemark></kml>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<kml><Placemark><name>&lol2;</name><Point><coordinates>37.6,49.7</coordinates></Point></Placemark></kml>"""


@pytest.mark.parametrize("payload", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_entity_payloads_are_refused_never_expanded(payload):
    for name, data in (
        ("evil.kml", payload.encode()),
        ("evil.kml", payload.encode("utf-16")),
        ("evil.kmz", _zip({"doc.kml": payload})),
    ):
        result = read_upload(data, name=name)
        assert result.layers == {}
        [problem] = result.problems
        assert problem.file == name and "DOCTYPE" in problem.message and "nothing was read" in problem.message
        assert "root:" not in problem.message and "lollol" not in problem.message


def test_broken_xml_and_other_xml():
    assert "not well-formed XML at line 1" in read_upload(b"<kml><Placemark>", name="a.kml").problems[0].message
    assert "not a KML file" in read_upload(b"<svg/>", name="a.kml").problems[0].message


def test_unknown_and_empty_files():
    assert "format is not recognised" in read_upload(b"hello", name="a.txt").problems[0].message
    assert "empty" in read_upload(b"", name="a.geojson").problems[0].message
    assert "not a readable GeoPackage" in read_upload(b"SQLite format 3\x00junk", name="a.gpkg").problems[0].message
    assert "no Shapefile" in read_upload(_zip({"readme.txt": b"x"}), name="a.zip").problems[0].message


def test_uploads_never_write_into_the_data_folder(tmp_path):
    before = {p.name: p.stat().st_mtime_ns for p in DATA_DIR.iterdir()}
    read_upload(_shapefile_zip(tmp_path), name="held.zip")
    path = tmp_path / "held.gpkg"
    _frame().to_file(path)
    read_upload_file(path)
    assert {p.name: p.stat().st_mtime_ns for p in DATA_DIR.iterdir()} == before


def test_odd_property_values_become_text():
    assert uploads._clean_value(np.int64(3)) == 3
    assert uploads._clean_value(float("nan")) is None
    assert uploads._clean_value(b"\x00\x01") == "<2 bytes of binary data>"
    assert uploads._clean_value({"a": 1}) == '{"a": 1}'
    assert uploads._clean_value(2**80) == str(2**80)


def test_extract_zip_flattens_dated_files_and_refuses_traversal(tmp_path):
    import io
    import zipfile

    from kupiansk_map.ingest.uploads import extract_zip

    good = io.BytesIO()
    with zipfile.ZipFile(good, "w") as archive:
        archive.writestr("daily/2024-11-01.geojson", '{"type": "FeatureCollection", "features": []}')
        archive.writestr("daily/readme.txt", "not a layer")
    out = tmp_path / "out"
    out.mkdir()
    assert extract_zip(good.getvalue(), name="archive.zip", target=out) == []
    assert sorted(p.name for p in out.iterdir()) == ["2024-11-01.geojson"]

    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr("../../etc/2024-11-02.geojson", "{}")
    problems = extract_zip(bad.getvalue(), name="evil.zip", target=out)
    assert len(problems) == 1 and "evil.zip" in str(problems[0])
    assert sorted(p.name for p in out.iterdir()) == ["2024-11-01.geojson"]
    assert "not a zip" in str(extract_zip(b"plain text", name="x.zip", target=out)[0])
