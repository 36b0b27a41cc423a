"""ingest.formats: each archive layout is recognised from its content and read as dated days."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import archive_samples as s
import pytest
import shapely
from shapely.geometry import Polygon

from kupiansk_map.ingest import formats
from kupiansk_map.ingest.formats import FormatError, open_source


def _read(path: Path, **kwargs) -> tuple[str, list[formats.ArchiveDay]]:
    source = open_source(path, **kwargs)
    return source.format, list(source.days())


def test_daily_geojson_folder_and_zip(tmp_path):
    plan = s.days([0, 0, 1])
    folder = s.write_daily_geojson(tmp_path / "daily", plan)
    (folder / "README.txt").write_text("no date here")
    fmt, days = _read(folder)
    assert fmt == formats.DAILY_GEOJSON
    assert [d.day for d in days] == [d for d, _ in plan]
    assert all(d.problem is None for d in days)
    assert days[0].layers["occupied"].equals(Polygon(s.ring(0)))
    assert days[0].sha256 == days[1].sha256 != days[2].sha256  # same bytes, same digest
    assert open_source(folder).ignored == ["README.txt"]
    fmt_zip, zipped = _read(s.zip_folder(folder, tmp_path / "archive.zip"))
    assert fmt_zip == formats.DAILY_GEOJSON and [d.sha256 for d in zipped] == [d.sha256 for d in days]
    assert zipped[0].file == "archive.zip/archive/deepstatemap_data_20241110.geojson"


def test_detection_ignores_the_extension(tmp_path):
    folder = tmp_path / "owl"
    folder.mkdir()
    # owlmaps content under a .geojson name, daily GeoJSON under a .json name: the content decides
    (folder / "20241110.geojson").write_text(json.dumps(s.owl_day(0)))
    assert open_source(folder).format == formats.OWLMAPS
    single = tmp_path / "deepstatemap_data_20241110.json"
    single.write_text(json.dumps(s.feature_collection([s.ring(0)])))
    assert open_source(single).format == formats.DAILY_GEOJSON
    gpkg = s.write_multi_gpkg(tmp_path / "archive.dat", s.days([0, 1]))
    assert open_source(gpkg).format == f"{formats.MULTI_DATE} (GeoPackage)"
    parquet = s.write_multi_parquet(tmp_path / "archive.bin", s.days([0, 1]))
    assert open_source(parquet).format == f"{formats.MULTI_DATE} (GeoParquet)"


def test_owlmaps_rings_are_latitude_first_and_the_salient_is_a_layer(tmp_path):
    folder = s.write_owlmaps(tmp_path / "owl", s.days([0, 1]), salient_until=s.START + dt.timedelta(days=1))
    fmt, days = _read(folder)
    assert fmt == formats.OWLMAPS
    assert days[0].layers["occupied"].equals(Polygon(s.ring(0)))  # [lat, lon] turned into lon/lat
    assert days[0].layers["ukrainian_held"].equals(Polygon(s.SALIENT))
    assert "ukrainian_held" not in days[1].layers  # areas_ua empty: the salient is gone


@pytest.mark.parametrize("kmz", [False, True])
def test_kml_and_kmz_folder_names_choose_the_layer(tmp_path, kmz):
    folder = s.write_kml(tmp_path / "kml", s.days([0, 1]), kmz=kmz)
    fmt, days = _read(folder)
    assert fmt == formats.KML
    assert days[1].layers["occupied"].equals(Polygon(s.ring(1)))
    assert set(days[0].layers) == {"occupied"}  # the Cities folder's point is not a layer


def test_kml_names_can_be_mapped_by_the_user(tmp_path):
    folder = s.write_kml(tmp_path / "kml", s.days([0]), folder_name="Red zone")
    (_, days) = _read(folder)
    assert "no polygon of the Russian-held area" in days[0].problem and "--kml-layer" in days[0].problem
    (_, days) = _read(folder, kml_layers=(("red zone", "occupied"), *formats.DEFAULT_KML_LAYERS))
    assert days[0].problem is None and days[0].layers["occupied"].equals(Polygon(s.ring(0)))


def test_kml_reader_is_the_hardened_one(tmp_path):
    folder = tmp_path / "kml"
    folder.mkdir()
    text = s.kml_text(0).replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    )
    (folder / "control_2024-11-10.kml").write_text(text)
    (folder / "control_2024-11-11.kml").write_text(s.kml_text(0))
    _, days = _read(folder)
    assert "DOCTYPE" in days[0].problem and days[1].problem is None


@pytest.mark.parametrize("kind", ["geojson", "gz", "gpkg", "parquet"])
def test_multi_date_files(tmp_path, kind):
    plan = s.days([2, 0, 1])
    path = {
        "geojson": lambda: s.write_multi_geojson(tmp_path / "all.geojson", plan),
        "gz": lambda: s.write_multi_geojson(tmp_path / "all.geojson.gz", plan, gz=True),
        "gpkg": lambda: s.write_multi_gpkg(tmp_path / "all.gpkg", plan),
        "parquet": lambda: s.write_multi_parquet(tmp_path / "all.parquet", plan),
    }[kind]()
    fmt, days = _read(path)
    assert fmt.startswith(formats.MULTI_DATE)
    assert [d.day for d in days] == [d for d, _ in plan]
    assert all(d.problem is None for d in days)
    assert days[0].layers["occupied"].equals(Polygon(s.ring(2)))
    assert days[0].file.startswith(path.name) and "row" in days[0].file


def test_nothing_recognised_names_the_file(tmp_path):
    junk = tmp_path / "notes.geojson"
    junk.write_text("just some words")
    with pytest.raises(FormatError, match=re.escape("notes.geojson: not a front-line archive")):
        open_source(junk)
    folder = tmp_path / "csvs"
    folder.mkdir()
    (folder / "day_20241110.json").write_text(json.dumps({"hello": "world"}))
    with pytest.raises(FormatError, match="csvs: not a front-line archive"):
        open_source(folder)
    with pytest.raises(FormatError, match="missing"):
        open_source(tmp_path / "missing")


# --- bad days, in each layout ---------------------------------------------------------------------------


def _swapped(r):
    return [[lat, lon] for lon, lat in r]


def _bad_daily(tmp_path: Path, problem: str) -> Path:
    folder = s.write_daily_geojson(tmp_path / "daily", s.days([0, 0]))
    bad = folder / "deepstatemap_data_20241111.geojson"
    if problem == "order":
        bad.write_text(json.dumps(s.feature_collection([_swapped(s.ring(0))])))
    elif problem == "corrupt":
        bad.write_text('{"type": "FeatureCollection", "features": [')
    elif problem == "empty":
        bad.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    return folder


def _bad_owl(tmp_path: Path, problem: str) -> Path:
    folder = s.write_owlmaps(tmp_path / "owl", s.days([0, 0]))
    bad = folder / "20241111.json"
    if problem == "order":
        bad.write_text(json.dumps(s.owl_day(0, swap=True)))
    elif problem == "corrupt":
        bad.write_text('{"areas": [[[49.78, 37.70], [49.78')
    elif problem == "empty":
        bad.write_text(json.dumps({**s.owl_day(0), "areas": []}))
    return folder


def _bad_kml(tmp_path: Path, problem: str) -> Path:
    folder = s.write_kml(tmp_path / "kml", s.days([0, 0]))
    bad = folder / "control_2024-11-11.kml"
    if problem == "order":
        bad.write_text(s.kml_text(0, coords=_swapped(s.ring(0))))
    elif problem == "corrupt":
        bad.write_text(s.kml_text(0)[:200])
    elif problem == "empty":
        bad.write_text(s.kml_text(0).replace("<Polygon>", "<!--").replace("</Polygon>", "-->"))
    return folder


def _bad_multi(tmp_path: Path, problem: str) -> Path:
    rows = s.multi_rows(s.days([0, 0]))
    if problem == "order":
        rows[1]["geometry"]["coordinates"] = [[_swapped(s.ring(0))]]
    elif problem == "corrupt":
        rows[1]["geometry"]["coordinates"] = [[[[37.7, 49.78], [37.9, 49.78]]]]  # a ring of two positions
    elif problem == "empty":
        rows[1]["geometry"] = None
    return s.write_multi_geojson(tmp_path / "all.geojson", [], features=rows)


WRITERS = {"daily": _bad_daily, "owlmaps": _bad_owl, "kml": _bad_kml, "multi": _bad_multi}
EXPECTED = {"order": "wrong coordinate order", "empty": "no polygon"}


@pytest.mark.parametrize("layout", sorted(WRITERS))
@pytest.mark.parametrize("problem", ["order", "corrupt", "empty"])
def test_a_bad_day_is_named_and_explained(tmp_path, layout, problem):
    path = WRITERS[layout](tmp_path, problem)
    try:
        days = list(open_source(path).days())
    except FormatError as exc:  # GDAL refuses a multi-date file with an unreadable geometry as a whole
        assert layout == "multi" and problem == "corrupt" and path.name in str(exc)
        return
    assert days[0].problem is None
    assert days[1].problem, days[1]
    assert "20241111" in days[1].file or "2024-11-11" in days[1].file or "row 1" in days[1].file
    if problem in EXPECTED:
        assert EXPECTED[problem] in days[1].problem


def test_zip_and_gzip_bombs_are_refused_unread(tmp_path):
    with pytest.raises(FormatError, match=r"bomb.zip: .*zip bomb"):
        open_source(s.zip_bomb(tmp_path / "bomb.zip"))
    with pytest.raises(FormatError, match=r"bomb.geojson.gz: .*gzip bomb"):
        open_source(s.gzip_bomb(tmp_path / "bomb.geojson.gz"))


def test_path_traversal_in_a_zip_is_refused(tmp_path):
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../deepstatemap_data_20241110.geojson", json.dumps(s.feature_collection([s.ring(0)])))
    with pytest.raises(FormatError, match="path traversal"):
        open_source(target)


def test_repaired_polygon_is_valid(tmp_path):
    bow = [[37.7, 49.78], [37.9, 49.95], [37.9, 49.78], [37.7, 49.95], [37.7, 49.78]]  # self-intersecting
    folder = tmp_path / "daily"
    folder.mkdir()
    (folder / "d_20241110.geojson").write_text(json.dumps(s.feature_collection([bow])))
    _, days = _read(folder)
    assert days[0].problem is None and shapely.is_valid(days[0].layers["occupied"])
