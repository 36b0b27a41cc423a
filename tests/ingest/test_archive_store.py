"""ingest.archive_store: change points in one GeoPackage, atomic, idempotent and incremental."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import archive_samples as s
import pytest
import shapely
from conftest import ROOT
from shapely.geometry import Polygon

from kupiansk_map.ingest.archive_store import (
    LAYERS,
    ArchiveError,
    archive_info,
    export_archive,
    import_archive,
    list_archives,
    open_read_only,
    read_state,
    remove_archive,
)
from kupiansk_map.ingest.snapshots import import_snapshots, parse_aoi

TODAY = dt.date(2025, 6, 1)


def _states(store: Path, name: str = "ds", layer: str | None = "occupied") -> list[tuple]:
    con = sqlite3.connect(store)
    try:
        query = "SELECT layer, valid_from, valid_to, days, status, source FROM states WHERE archive = ?"
        args: tuple = (name,)
        if layer:
            query += " AND layer = ?"
            args += (layer,)
        return con.execute(query + " ORDER BY layer, valid_from", args).fetchall()
    finally:
        con.close()


def _days(store: Path, name: str = "ds") -> list[tuple]:
    con = sqlite3.connect(store)
    try:
        return con.execute(
            "SELECT date, status, reason IS NOT NULL FROM days WHERE archive = ? ORDER BY date", (name,)
        ).fetchall()
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_change_points_gaps_and_assessed_source(tmp_path):
    store = tmp_path / "store.gpkg"
    src = s.write_daily_geojson(tmp_path / "daily", s.days([0, 0, 0, 1, None, 1, 2]))
    report = import_archive(src, name="ds", store=store, attribution="Made-up Tracker, CC BY-NC", today=TODAY)
    assert report.outcome == "created" and report.days_added == 6 and report.days_missing == 1
    occupied = _states(store)
    # three identical days are one state; the missing 14th ends a run even though the 15th looks the same
    assert [(a, b, n) for _, a, b, n, _, _ in occupied] == [
        ("2024-11-10", "2024-11-13", 3),
        ("2024-11-13", "2024-11-14", 1),
        ("2024-11-15", "2024-11-16", 1),
        ("2024-11-16", "2024-11-17", 1),
    ]
    assert {row[4] for row in occupied} == {"assessed"}
    assert {row[5] for row in occupied} == {"Archive ds: Made-up Tracker, CC BY-NC"}
    assert [r[1] for r in _days(store)] == ["ok", "ok", "ok", "ok", "missing", "ok", "ok"]
    assert len(_states(store, layer="front_line")) == 4
    assert read_state(store, "ds", dt.date(2024, 11, 12)).equals(Polygon(s.ring(0)))
    assert read_state(store, "ds", dt.date(2024, 11, 14)) is None  # nobody looked that day
    assert read_state(store, "ds", dt.date(2024, 11, 16)).equals(Polygon(s.ring(2)))
    info = archive_info("ds", store)
    assert info["gaps"] == [["2024-11-14", "2024-11-14"]] and info["days"] == {"ok": 6, "skipped": 0, "missing": 1}
    assert info["attribution"] == "Made-up Tracker, CC BY-NC" and info["aoi"] is None
    assert info["source_path"] == str(src.resolve()) and info["format"] == "daily GeoJSON"


def test_reimport_is_unchanged_and_newer_days_extend_in_place(tmp_path):
    store = tmp_path / "store.gpkg"
    src = s.write_daily_geojson(tmp_path / "daily", s.days([0, 0, 1]))
    import_archive(src, name="ds", store=store, today=TODAY)
    before = _states(store, layer=None)
    again = import_archive(src, name="ds", store=store, today=TODAY)
    assert again.outcome == "unchanged" and again.days_unchanged == 3 and again.states_added == 0
    assert "unchanged" in again.summary()
    assert _states(store, layer=None) == before
    # two newer days: the first continues the open state, the second changes it
    s.write_daily_geojson(src, s.days([None, None, None, 1, 3]))
    more = import_archive(src, name="ds", store=store, today=TODAY)
    assert more.outcome == "extended" and more.days_added == 2 and more.days_unchanged == 3
    occupied = _states(store)
    assert [(a, b, n) for _, a, b, n, _, _ in occupied] == [
        ("2024-11-10", "2024-11-12", 2),
        ("2024-11-12", "2024-11-14", 2),
        ("2024-11-14", "2024-11-15", 1),
    ]
    assert more.states_extended >= 1


def test_an_older_day_or_changed_day_is_refused(tmp_path):
    store = tmp_path / "store.gpkg"
    src = s.write_daily_geojson(tmp_path / "daily", s.days([0, None, 0]))
    import_archive(src, name="ds", store=store, today=TODAY)
    digest = _digest(store)
    s.write_daily_geojson(src, s.days([None, 0]))  # fills the gap: would split a stored state
    with pytest.raises(ArchiveError, match=re.escape("20241111.geojson: 2024-11-11 is before the archive's last day")):
        import_archive(src, name="ds", store=store, today=TODAY)
    (src / "deepstatemap_data_20241111.geojson").unlink()
    s.write_daily_geojson(src, s.days([5]))  # a stored day with other content
    with pytest.raises(ArchiveError, match="already in the archive from other content"):
        import_archive(src, name="ds", store=store, today=TODAY)
    assert _digest(store) == digest


@pytest.mark.parametrize("layout", ["daily", "zip", "owlmaps", "kml", "kmz", "geojson", "gz", "gpkg", "parquet"])
def test_every_layout_imports(tmp_path, layout):
    plan = s.days([0, 0, 1])
    src = {
        "daily": lambda: s.write_daily_geojson(tmp_path / "d", plan),
        "zip": lambda: s.zip_folder(s.write_daily_geojson(tmp_path / "d", plan), tmp_path / "a.zip"),
        "owlmaps": lambda: s.write_owlmaps(tmp_path / "o", plan),
        "kml": lambda: s.write_kml(tmp_path / "k", plan),
        "kmz": lambda: s.write_kml(tmp_path / "k", plan, kmz=True),
        "geojson": lambda: s.write_multi_geojson(tmp_path / "all.geojson", plan),
        "gz": lambda: s.write_multi_geojson(tmp_path / "all.geojson.gz", plan, gz=True),
        "gpkg": lambda: s.write_multi_gpkg(tmp_path / "all.gpkg", plan),
        "parquet": lambda: s.write_multi_parquet(tmp_path / "all.parquet", plan),
    }[layout]()
    store = tmp_path / "store.gpkg"
    report = import_archive(src, name="a", store=store, today=TODAY)
    assert report.days_added == 3
    assert [(a, b) for _, a, b, *_ in _states(store, "a")] == [
        ("2024-11-10", "2024-11-12"),
        ("2024-11-12", "2024-11-13"),
    ]
    held = _states(store, "a", "ukrainian_held")
    assert (
        held == [("ukrainian_held", "2024-11-10", "2024-11-13", 3, "assessed", "Archive a (no attribution given)")]
        if layout == "owlmaps"
        else held == []
    )
    assert import_archive(src, name="a", store=store, today=TODAY).outcome == "unchanged"


def _bad_source(tmp_path: Path, layout: str, problem: str) -> Path:
    plan = s.days([0, 1])
    if problem == "future":
        plan = [*plan, (TODAY + dt.timedelta(days=3), 1)]
    if problem == "bomb":
        return {
            "daily": lambda: s.zip_bomb(tmp_path / "bomb.zip"),
            "multi": lambda: s.gzip_bomb(tmp_path / "bomb.geojson.gz"),
            "owlmaps": lambda: s.zip_bomb(tmp_path / "bomb.zip", inner="20241110.json"),
            "kml": lambda: s.zip_bomb(tmp_path / "bomb.zip", inner="control_2024-11-10.kml"),
        }[layout]()
    if layout == "multi":
        rows = s.multi_rows(plan)
        if problem == "twice":
            rows.append({**rows[1], "properties": {"id": 9, "date": rows[1]["properties"]["date"]}})
        elif problem == "order":
            rows[1]["geometry"]["coordinates"] = [[[[lat, lon] for lon, lat in s.ring(1)]]]
        elif problem == "corrupt":
            rows[1]["geometry"]["coordinates"] = [[[[37.7, 49.78], [37.9, 49.78], [37.9, "x"], [37.7, 49.78]]]]
        elif problem == "empty":
            rows[1]["geometry"] = None
        return s.write_multi_geojson(tmp_path / "all.geojson", [], features=rows)
    writer = {"daily": s.write_daily_geojson, "owlmaps": s.write_owlmaps, "kml": s.write_kml}[layout]
    folder = writer(tmp_path / layout, plan)
    second = sorted(folder.iterdir())[1]
    if problem == "twice":  # the same date written the other way (YYYY-MM-DD vs YYYYMMDD)
        stamp = "2024-11-11" if "20241111" in second.name else "20241111"
        (folder / second.name.replace("20241111", stamp).replace("2024-11-11", stamp)).write_bytes(second.read_bytes())
    elif problem == "corrupt":
        second.write_bytes(second.read_bytes()[:90])
    elif problem == "order":
        if layout == "owlmaps":
            second.write_text(json.dumps(s.owl_day(1, swap=True)))
        elif layout == "kml":
            second.write_text(s.kml_text(1, coords=[[lat, lon] for lon, lat in s.ring(1)]))
        else:
            second.write_text(json.dumps(s.feature_collection([[[lat, lon] for lon, lat in s.ring(1)]])))
    elif problem == "empty":
        if layout == "owlmaps":
            second.write_text(json.dumps({**s.owl_day(1), "areas": []}))
        elif layout == "kml":
            second.write_text(s.kml_text(1).replace("<Polygon>", "<!--").replace("</Polygon>", "-->"))
        else:
            second.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    return folder


MESSAGES = {
    "order": "wrong coordinate order",
    "empty": "no polygon",
    "future": "in the future",
    "twice": "the same date twice",
    "bomb": "bomb",
    "corrupt": "",
}


@pytest.mark.parametrize("layout", ["daily", "multi", "owlmaps", "kml"])
@pytest.mark.parametrize("problem", sorted(MESSAGES))
def test_bad_input_is_named_and_leaves_the_store_unchanged(tmp_path, layout, problem):
    store = tmp_path / "store.gpkg"
    import_archive(s.write_daily_geojson(tmp_path / "first", s.days([0])), name="other", store=store, today=TODAY)
    digest = _digest(store)
    src = _bad_source(tmp_path, layout, problem)
    with pytest.raises(ArchiveError) as caught:
        import_archive(src, name="bad", store=store, today=TODAY)
    message = str(caught.value)
    assert MESSAGES[problem] in message
    named = [src.name] if problem == "bomb" else ["20241111", "2024-11-11", "row 1", "row 2", "2025-06-04", "20250604"]
    assert any(n in message for n in named), message
    assert _digest(store) == digest
    assert [a["name"] for a in list_archives(store)] == ["other"]


def test_skip_bad_records_the_day_as_skipped(tmp_path):
    store = tmp_path / "store.gpkg"
    src = _bad_source(tmp_path, "daily", "corrupt")
    s.write_daily_geojson(src, s.days([None, None, 1]))
    report = import_archive(src, name="ds", store=store, skip_bad=True, today=TODAY)
    assert report.days_skipped == 1 and report.days_added == 2 and "20241111" in report.skipped[0]
    assert _days(store) == [("2024-11-10", "ok", 0), ("2024-11-11", "skipped", 1), ("2024-11-12", "ok", 0)]
    # the skipped day breaks the run: the 10th and the 12th are separate states
    assert [(a, b) for _, a, b, *_ in _states(store)] == [("2024-11-10", "2024-11-11"), ("2024-11-12", "2024-11-13")]
    assert archive_info("ds", store)["skipped"][0]["file"].endswith("20241111.geojson")


def test_aoi_clips_and_the_front_matches_import_snapshots(tmp_path):
    src = s.write_daily_geojson(tmp_path / "daily", s.days([0, 0, 8]))
    store = tmp_path / "store.gpkg"
    import_archive(src, name="whole", store=store, today=TODAY)
    import_archive(src, name="clipped", store=store, aoi="37.6167,49.7064,12", today=TODAY)
    whole = read_state(store, "whole", dt.date(2024, 11, 12))
    clipped = read_state(store, "clipped", dt.date(2024, 11, 12))
    aoi = parse_aoi("37.6167,49.7064,12")
    assert clipped.area < whole.area and whole.equals(Polygon(s.ring(8)))
    from kupiansk_map.geo.crs import to_lonlat

    assert to_lonlat(aoi.metric(), aoi.epsg).buffer(1e-6).contains(clipped)
    # the derived front is the same as import-snapshots' for the same area and days
    out = tmp_path / "snap"
    import_snapshots(src, aoi="37.6167,49.7064,12", out_dir=out)
    expected = json.loads((out / "front_line.geojson").read_text())["features"]
    fronts = [
        read_state(store, "clipped", dt.date.fromisoformat(f["properties"]["valid_from"]), layer="front_line")
        for f in expected
    ]
    assert len(expected) == 2 and all(
        shapely.geometry.shape(f["geometry"]).equals(g) for f, g in zip(expected, fronts, strict=True)
    )
    assert archive_info("clipped", store)["aoi"].endswith("37.616700,49.706400,12")
    with pytest.raises(ArchiveError, match="--aoi"):  # an archive keeps the area it was imported with
        import_archive(src, name="clipped", store=store, today=TODAY)


def test_the_store_is_a_geopackage_gdal_reads(tmp_path):
    import pyogrio

    store = tmp_path / "store.gpkg"
    import_archive(s.write_owlmaps(tmp_path / "o", s.days([0, 1])), name="owl", store=store, today=TODAY)
    con = sqlite3.connect(store)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    layers = {str(name): kind for name, kind in pyogrio.list_layers(store)}
    assert set(layers) == {"states", "archives", "days"} and layers["archives"] is None
    info = pyogrio.read_info(store, layer="states")
    assert info["crs"] == "EPSG:4326" and info["features"] == 5
    frame = pyogrio.read_dataframe(store, layer="states")
    assert set(frame["layer"]) == set(LAYERS) and set(frame["status"]) == {"assessed"}
    occupied = frame[frame["layer"] == "occupied"].geometry.iloc[0]
    assert occupied.equals(Polygon(s.ring(0)))  # lon/lat, as GDAL sees it
    assert shapely.is_ccw(occupied.exterior)


def test_read_only_connection_cannot_write(tmp_path):
    store = tmp_path / "store.gpkg"
    import_archive(s.write_daily_geojson(tmp_path / "d", s.days([0])), name="ds", store=store, today=TODAY)
    con = open_read_only(store)
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
        con.execute("DELETE FROM states")
    assert read_state(con, "ds", dt.date(2024, 11, 10)).equals(Polygon(s.ring(0)))
    box = (37.80, 49.80, 38.0, 49.90)
    assert read_state(con, "ds", dt.date(2024, 11, 10), bbox=box).equals(
        Polygon(s.ring(0)).intersection(shapely.box(*box)).normalize()
    ) or read_state(con, "ds", dt.date(2024, 11, 10), bbox=box).area == pytest.approx(
        shapely.box(37.80, 49.80, 37.90, 49.90).area
    )
    con.close()
    with pytest.raises(ArchiveError, match="no archive store"):
        open_read_only(tmp_path / "nowhere.gpkg")


def test_remove_and_export(tmp_path):
    import pyogrio

    store = tmp_path / "store.gpkg"
    import_archive(s.write_owlmaps(tmp_path / "o", s.days([0, 0, 1])), name="owl", store=store, today=TODAY)
    n = export_archive("owl", tmp_path / "all.geojson", store=store)
    data = json.loads((tmp_path / "all.geojson").read_text())
    assert n == len(data["features"]) == 5
    assert {f["properties"]["status"] for f in data["features"]} == {"assessed"}
    export_archive("owl", tmp_path / "day.geojson", store=store, day=dt.date(2024, 11, 12))
    day = json.loads((tmp_path / "day.geojson").read_text())["features"]
    assert sorted(f["properties"]["layer"] for f in day) == ["front_line", "occupied", "ukrainian_held"]
    export_archive("owl", tmp_path / "all.gpkg", store=store)
    assert {str(n) for n, _ in pyogrio.list_layers(tmp_path / "all.gpkg")} == set(LAYERS)
    export_archive("owl", tmp_path / "series.csv", store=store)
    rows = (tmp_path / "series.csv").read_text().splitlines()
    assert rows[0] == "date,occupied_km2,ukrainian_held_km2,front_length_km" and len(rows) == 4
    assert float(rows[3].split(",")[1]) > float(rows[1].split(",")[1]) > 0  # the area grew on the 12th
    assert remove_archive("owl", store) == 5
    assert list_archives(store) == []
    with pytest.raises(ArchiveError, match="no archive named 'owl'"):
        archive_info("owl", store)


_KILLED_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[4])
import kupiansk_map.ingest.archive_store as store_module
from kupiansk_map.ingest.archive_store import import_archive

if sys.argv[5] == "spill":  # a one-page cache: SQLite writes changed pages into the store before the commit
    connect = store_module._connect
    def small_cache(path):
        con = connect(path)
        con.execute("PRAGMA cache_size = 1")
        return con
    store_module._connect = small_cache

def progress(done, total, name):
    if done == int(sys.argv[3]):
        open(sys.argv[2] + ".ready", "w").close()
        time.sleep(60)

import_archive(sys.argv[1], name="big", store=sys.argv[2], progress=progress)
"""


@pytest.mark.parametrize("kill_at,cache", [(1, "normal"), (25, "normal"), (25, "spill")])
def test_kill_9_leaves_the_store_as_it_was(tmp_path, kill_at, cache):
    store = tmp_path / "store.gpkg"
    import_archive(s.write_daily_geojson(tmp_path / "first", s.days([0, 1])), name="first", store=store)
    before = (list_archives(store), _states(store, "first", None))
    digest = _digest(store)
    src = s.write_daily_geojson(tmp_path / "big", s.days([k // 3 for k in range(30)], start=dt.date(2024, 1, 1)))
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_CHILD, str(src), str(store), str(kill_at), str(ROOT), cache]
    )
    ready = Path(str(store) + ".ready")
    deadline = time.monotonic() + 60
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the import never reached the kill point"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert Path(str(store) + "-journal").exists()  # the import had written, uncommitted
    if cache == "spill":
        assert _digest(store) != digest  # the killed import had changed the file itself
    assert (list_archives(store), _states(store, "first", None)) == before  # read-only reader sees the old store
    assert _digest(store) == digest
    con = sqlite3.connect(store)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT count(*) FROM days WHERE archive = 'big'").fetchone()[0] == 0
    con.close()
    assert import_archive(src, name="big", store=store).days_added == 30


def test_a_first_import_refused_or_killed_leaves_no_archive(tmp_path):
    store = tmp_path / "store.gpkg"
    with pytest.raises(ArchiveError):
        import_archive(_bad_source(tmp_path, "daily", "corrupt"), name="bad", store=store, today=TODAY)
    assert not store.exists()
    src = s.write_daily_geojson(tmp_path / "big", s.days([k // 3 for k in range(30)], start=dt.date(2024, 1, 1)))
    child = subprocess.Popen([sys.executable, "-c", _KILLED_CHILD, str(src), str(store), "10", str(ROOT), "spill"])
    ready = Path(str(store) + ".ready")
    deadline = time.monotonic() + 60
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists()
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert list_archives(store) == []  # the schema was part of the killed transaction
    assert read_state(store, "big", dt.date(2024, 1, 5)) is None
    assert import_archive(src, name="big", store=store).days_added == 30
