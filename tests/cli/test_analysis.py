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
    result = run("compare", "2024-11-01", "2024-11-13")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "between 2024-11-01 and 2024-11-13" in lines[0]
    assert lines[1].split() == ["layer", "2024-11-01", "2024-11-13", "gained", "lost", "net"]
    result = run("compare", "2024-10-15", "2024-11-13", "--layers", "kursk_salient")
    kursk = next(line for line in result.stdout.splitlines() if line.startswith("kursk_salient")).split()
    assert float(kursk[-1].replace(",", "")) < -200
    data = json.loads(run("compare", "2024-11-01", "2024-11-13", "--json").stdout)
    assert [row["layer"] for row in data["rows"]] == ["occupied", "kursk_salient"]
    assert [row["undated"] for row in data["rows"]] == [None, None]


def test_compare_flags_change_across_an_unmapped_gap_in_text_and_json():
    words = "happened at an unknown time between 31 December 2022 and 1 November 2024"
    result = run("compare", "2022-10-01", "2024-11-13", "--layers", "occupied")
    assert result.returncode == 0, result.stderr
    assert f"occupied: no source dates this change; it {words}." in result.stdout
    data = json.loads(run("compare", "2022-10-01", "2024-11-13", "--layers", "occupied", "--json").stdout)
    assert data["rows"][0]["undated"] == words and data["rows"][0]["gained_km2"] > 100


def test_compare_refuses_unmapped_dates_with_exit_1():
    after = run("compare", "2024-11-13", "2026-01-01")
    assert after.returncode == 1 and after.stdout == ""  # no "everything lost"
    assert "the Kupiansk sector is not mapped on 1 January 2026; mapped: 27 February 2022 – 31 December 2022" in (
        after.stderr
    )
    assert "the Kursk salient is not mapped on 1 January 2026" in after.stderr
    gap = run("compare", "2024-09-15", "2024-11-13")  # the 891 km² "gained in two months"
    assert gap.returncode == 1 and "not mapped on 15 September 2024" in gap.stderr and gap.stdout == ""


def test_compare_errors():
    result = run("compare", "2024-11-13", "2024-02-30", "--layers", "occupied")
    assert result.returncode == 2 and result.stdout == ""
    assert "argument d2: '2024-02-30' is not a date that exists" in result.stderr
    result = run("compare", "2024-11-13", "2024-11-14", "--layers", "occupied,nope")
    assert result.returncode == 2 and result.stdout == ""
    assert "layer nope: not loaded" in result.stderr


def test_series_csv_json_and_errors(tmp_path):
    out = tmp_path / "series.csv"
    result = run("series", "--within", "5,10", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["date"] == "2022-02-27" and "occupied_within_5km_km2" in rows[0]
    data = json.loads(run("series", "--start", "2024-11-01", "--end", "2024-11-14", "--json").stdout)
    assert [row["date"] for row in data] == ["2024-11-01", "2024-11-14"]
    gap = list(csv.DictReader(io.StringIO(run("series", "--csv", "-").stdout)))
    in_gap = [row for row in gap if "2023-01-01" <= row["date"] <= "2024-10-31"]
    assert in_gap and all(row["occupied_within_20km_km2"] == "" for row in in_gap)  # a gap, not 0
    assert next(r for r in gap if r["date"] == "2022-12-31")["occupied_within_20km_km2"] == "0.0"
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
    for day, words in (("2025-06-01", "1 June 2025"), ("2024-08-06", "6 August 2024")):
        refused = run("bands", "--date", day)
        assert refused.returncode == 1 and refused.stdout == ""
        assert f"the Kupiansk sector is not mapped on {words}; mapped: 27 February 2022" in refused.stderr
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
