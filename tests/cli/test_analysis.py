"""The analyst commands through ``python -m kupiansk_map``: success and error paths, never a traceback."""

import csv
import io
import json
import subprocess
import sys

import shapely
from conftest import ROOT
from shapely.geometry import Point, mapping

from kupiansk_map.geo.crs import to_lonlat, to_metric


def run(*args):
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_compare_prints_a_table_and_json():
    result = run("compare", "2024-10-15", "2024-11-13")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "between 2024-10-15 and 2024-11-13" in lines[0]
    assert lines[1].split() == ["layer", "2024-10-15", "2024-11-13", "gained", "lost", "net"]
    kursk = next(line for line in lines if line.startswith("kursk_salient")).split()
    assert float(kursk[-1].replace(",", "")) < -200
    data = json.loads(run("compare", "2024-10-15", "2024-11-13", "--json").stdout)
    assert [row["layer"] for row in data["rows"]] == ["occupied", "kursk_salient"]


def test_compare_errors():
    result = run("compare", "2024-11-13", "2024-02-30", "--layers", "occupied,nope")
    assert result.returncode == 2 and result.stdout == ""
    assert "d2: '2024-02-30' is not a date that exists" in result.stderr
    assert "layer nope: not loaded" in result.stderr


def test_series_csv_json_and_errors(tmp_path):
    out = tmp_path / "series.csv"
    result = run("series", "--within", "5,10", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["date"] == "2022-02-27" and "occupied_within_5km_km2" in rows[0]
    data = json.loads(run("series", "--start", "2024-11-01", "--end", "2024-11-14", "--json").stdout)
    assert [row["date"] for row in data] == ["2024-11-01", "2024-11-14"]
    table = run("series", "--start", "2024-11-01", "--end", "2024-11-01")
    assert "2024-11-01" in table.stdout and "Kursk km²" in table.stdout
    bad = run("series", "--within", "10,x")
    assert bad.returncode == 2 and "comma-separated list of numbers" in bad.stderr
    bad = run("series", "--start", "2024-12-01", "--end", "2024-01-01")
    assert bad.returncode == 2 and "comes after end" in bad.stderr


def test_bands():
    result = run("bands", "--date", "2024-11-13", "--distances", "2.5,5,10")
    assert result.returncode == 0, result.stderr
    assert "2.5-5 km" in result.stdout
    assert run("bands", "--date", "2025-06-01").stdout.startswith("No front line")
    bad = run("bands", "--distances", "5,2")
    assert bad.returncode == 2 and "does not increase" in bad.stderr


def _archive(folder):
    folder.mkdir()
    centre = to_metric(Point(37.6167, 49.7064), 32637)
    for day, offset in (("20241101", 5), ("20241102", 5), ("20241104", 3)):
        box = shapely.box(centre.x + offset * 1e3, centre.y - 80e3, centre.x + 80e3, centre.y + 80e3)
        geometry = shapely.orient_polygons(to_lonlat(shapely.segmentize(box, 1000), 32637), exterior_cw=False)
        (folder / f"ds-{day}.geojson").write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [{"type": "Feature", "properties": {}, "geometry": mapping(geometry)}],
                }
            ),
            encoding="utf-8",
        )
    (folder / "ds-20241105.geojson").write_text("not json", encoding="utf-8")


def test_import_snapshots_with_a_progress_bar(tmp_path):
    _archive(tmp_path / "archive")
    result = run("import-snapshots", str(tmp_path / "archive"), "--aoi", "kupiansk", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "[####" in result.stderr and "] 4/4" in result.stderr  # text mode reads each carriage return as a line end
    assert "skipped ds-20241105.geojson (2024-11-05)" in result.stderr
    assert "missing: no file for 2024-11-03" in result.stderr
    assert "imported 3 day(s) from 2024-11-01 to 2024-11-04 as 2 state(s)" in result.stdout
    assert (tmp_path / "out" / "series.csv").read_text(encoding="utf-8").count("\n") == 4
    report = json.loads(
        run(
            "import-snapshots",
            str(tmp_path / "archive"),
            "--aoi",
            "37.6,49.7,20",
            "--out",
            str(tmp_path / "out2"),
            "--quiet",
            "--json",
        ).stdout
    )
    assert report["days_imported"] == 3 and report["aoi"]["radius_km"] == 20


def test_import_snapshots_errors(tmp_path):
    result = run("import-snapshots", str(tmp_path / "nope"), "--aoi", "49.7,37.6,30", "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "no such folder" in result.stderr and "did you swap longitude and latitude" in result.stderr
    (tmp_path / "empty").mkdir()
    result = run("import-snapshots", str(tmp_path / "empty"), "--aoi", "kursk", "--out", str(tmp_path / "o"))
    assert result.returncode == 1 and "nothing was written" in result.stderr
    result = run("import-snapshots", str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert result.returncode == 2 and "--aoi" in result.stderr
