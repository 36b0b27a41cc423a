"""The kupiansk-map command: success and error paths, never a traceback."""

import json
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from kupiansk_map.model import LAYERS


def run(*args, cwd=None):
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=120
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_build_check_passes_on_the_committed_files():
    result = run("build", "--check")
    assert result.returncode == 0, result.stderr
    assert "matches a fresh build" in result.stdout


def test_build_check_names_stale_files_and_writes_nothing(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "geo")
    (tmp_path / "geo" / "front_line.geojson").write_text("{}", encoding="utf-8")
    before = sorted(p.name for p in (tmp_path / "geo").iterdir())
    result = run("build", "--check", "--data-dir", str(tmp_path / "geo"))
    assert result.returncode == 1
    assert "front_line.geojson (differs from a fresh build)" in result.stderr
    assert (tmp_path / "geo" / "front_line.geojson").read_text(encoding="utf-8") == "{}"
    assert sorted(p.name for p in (tmp_path / "geo").iterdir()) == before


def test_build_writes_a_fresh_folder(tmp_path, data_dir):
    result = run("build", "--data-dir", str(tmp_path / "geo"))
    assert result.returncode == 0, result.stderr
    for path in data_dir.iterdir():
        assert (tmp_path / "geo" / path.name).read_bytes() == path.read_bytes()


def test_build_reports_an_unwritable_folder_without_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run("build", "--data-dir", str(blocker / "geo"))
    assert result.returncode == 1
    assert "left as it was" in result.stderr


def test_validate_accepts_the_committed_layers(data_dir):
    result = run("validate", *sorted(str(p) for p in data_dir.glob("*.geojson")))
    assert result.returncode == 0, result.stdout
    assert f"{len(LAYERS)} file(s) valid" in result.stdout


def test_validate_names_file_feature_and_problem(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [37.6, 49.7]},
                        "properties": {
                            "id": "p1",
                            "name": "P",
                            "valid_from": "2024-02-30",
                            "valid_to": None,
                            "status": "rumoured",
                            "source": "s",
                            "note": "",
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    not_json = tmp_path / "broken.geojson"
    not_json.write_text("{not json", encoding="utf-8")
    result = run("validate", str(bad), str(not_json), str(tmp_path / "missing.geojson"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        "bad.geojson" in line and "feature 0" in line and "p1" in line and "valid_from" in line for line in lines
    )
    assert any("bad.geojson" in line and "status" in line for line in lines)
    assert any("broken.geojson" in line for line in lines)
    assert any("missing.geojson" in line for line in lines)


def test_stats_prints_figures_for_a_date():
    result = run("stats", "--date", "2024-11-13", "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["city_to_front_km"] == pytest.approx(2.5, abs=0.1)
    assert figures["kursk_area_km2"] == pytest.approx(600, rel=0.02)
    text = run("stats").stdout
    assert "Shortest distance from the city outline to the front line: 2.5 km" in text


def test_stats_refuses_a_date_with_no_mapped_state():
    result = run("stats", "--date", "2024-08-20", "--json")
    assert result.returncode == 1
    assert "stats: the Kupiansk sector is not mapped on 20 August 2024; mapped: 27 February 2022" in result.stderr
    figures = json.loads(result.stdout)
    assert figures["city_to_front_km"] is None  # not the 20.1 km the old state gave
    assert figures["kursk_reported_area_km2"] == 1000


def test_stats_refuses_a_date_that_does_not_exist():
    result = run("stats", "--date", "2024-02-30")
    assert result.returncode == 2
    assert "2024-02-30" in result.stderr


def test_stats_reports_a_broken_layer_and_still_prints_the_rest(tmp_path, data_dir):
    shutil.copytree(data_dir, tmp_path / "geo")
    (tmp_path / "geo" / "kursk_salient.geojson").write_bytes(b"\xff\xfe garbage")
    result = run("stats", "--data-dir", str(tmp_path / "geo"), "--json")
    assert result.returncode == 1
    assert "kursk_salient" in result.stderr
    figures = json.loads(result.stdout)
    assert figures["kursk_area_km2"] is None and figures["city_to_front_km"] == pytest.approx(2.5, abs=0.1)


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2 and "usage" in result.stderr
