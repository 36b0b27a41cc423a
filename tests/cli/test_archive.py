"""``kupiansk-map archive ...`` through a real process: the store path, the reports, progress, errors."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys

import archive_samples as s
from conftest import ROOT

from kupiansk_map.cli.archive import progress_printer
from kupiansk_map.ingest.archive_store import STORE_ENV, default_store_path


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", "archive", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_import_list_info_export_remove(tmp_path):
    store = str(tmp_path / "store.gpkg")
    src = s.write_owlmaps(tmp_path / "owl", s.days([0, 0, None, 1]))
    first = run(
        "import",
        str(src),
        "--name",
        "owl",
        "--attribution",
        "Made-up Map, CC BY-NC 4.0",
        "--licence",
        "Non-commercial use only",
        "--store",
        store,
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("owl: created with 3 new day(s) up to 2024-11-13")
    assert "1 missing" in first.stdout
    # stderr is not a terminal here: plain progress lines, never carriage returns
    assert "\r" not in first.stderr and "import: 3/3 days read (100 %" in first.stderr
    again = run("import", str(src), "--name", "owl", "--store", store, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["outcome"] == "unchanged"

    listed = run("list", "--store", store)
    assert listed.returncode == 0 and listed.stdout.splitlines()[2].split()[:2] == ["owl", "owlmaps"]
    data = json.loads(run("list", "--json", "--store", store).stdout)
    assert data[0]["days"] == {"ok": 3, "skipped": 0, "missing": 1}
    assert data[0]["states"] == {"front_line": 2, "occupied": 2, "ukrainian_held": 2}  # the gap ends the run
    info = run("info", "owl", "--store", store)
    assert "attribution: Made-up Map, CC BY-NC 4.0" in info.stdout and "licence: Non-commercial use only" in info.stdout
    assert "missing: 2024-11-12" in info.stdout and "area: unclipped (the whole front)" in info.stdout
    assert json.loads(run("info", "owl", "--json", "--store", store).stdout)["gaps"] == [["2024-11-12", "2024-11-12"]]

    for suffix in ("geojson", "gpkg", "csv"):
        out = tmp_path / f"owl.{suffix}"
        result = run("export", "owl", "--out", str(out), "--store", store)
        assert result.returncode == 0 and out.stat().st_size > 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "owl.csv").read_text())))
    assert [r["date"] for r in rows] == ["2024-11-10", "2024-11-11", "2024-11-13"]
    assert float(rows[0]["ukrainian_held_km2"]) > 0
    day = tmp_path / "day.geojson"
    assert run("export", "owl", "--out", str(day), "--date", "2024-11-13", "--store", store).returncode == 0
    features = json.loads(day.read_text())["features"]
    assert {f["properties"]["valid_from"] for f in features if f["properties"]["layer"] == "occupied"} == {"2024-11-13"}
    assert all(f["properties"]["source"] == "Archive owl: Made-up Map, CC BY-NC 4.0" for f in features)

    removed = run("remove", "owl", "--store", store)
    assert removed.returncode == 0 and "removed archive owl" in removed.stdout
    assert run("list", "--store", store).stdout.startswith("no archives in")


def test_the_environment_variable_names_the_store(tmp_path):
    store = tmp_path / "elsewhere" / "archives.gpkg"
    src = s.write_daily_geojson(tmp_path / "d", s.days([0]))
    result = run("import", str(src), "--name", "ds", "--quiet", env={STORE_ENV: str(store)})
    assert result.returncode == 0 and result.stderr == "" and store.is_file()
    assert f"store: {store}" in result.stdout
    assert json.loads(run("list", "--json", env={STORE_ENV: str(store)}).stdout)[0]["name"] == "ds"


def test_default_store_is_outside_data_geo_and_ignored(monkeypatch):
    monkeypatch.delenv(STORE_ENV, raising=False)
    path = default_store_path()
    assert path == ROOT / "archives" / "store.gpkg"
    assert "/archives/" in (ROOT / ".gitignore").read_text().splitlines()
    ignored = subprocess.run(["git", "check-ignore", "-q", str(path)], cwd=ROOT)
    assert ignored.returncode == 0


def test_a_refused_import_names_the_file_and_changes_nothing(tmp_path):
    store = tmp_path / "store.gpkg"
    assert (
        run(
            "import",
            str(s.write_daily_geojson(tmp_path / "ok", s.days([0]))),
            "--name",
            "ok",
            "--store",
            str(store),
            "--quiet",
        ).returncode
        == 0
    )
    digest = hashlib.sha256(store.read_bytes()).hexdigest()
    bad = s.write_daily_geojson(tmp_path / "bad", s.days([0, 0]))
    (bad / "deepstatemap_data_20241111.geojson").write_text('{"type": "FeatureCollection", "features": [')
    result = run("import", str(bad), "--name", "bad", "--store", str(store), "--quiet")
    assert result.returncode == 1 and result.stdout == ""
    assert "archive import: " in result.stderr and "deepstatemap_data_20241111.geojson:" in result.stderr
    assert "the store is unchanged" in result.stderr
    assert hashlib.sha256(store.read_bytes()).hexdigest() == digest
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 nothing here")
    result = run("import", str(junk), "--name", "junk", "--store", str(store))
    assert result.returncode == 1 and "junk.bin: not a front-line archive" in result.stderr
    skipped = run("import", str(bad), "--name", "bad", "--store", str(store), "--quiet", "--skip-bad")
    assert skipped.returncode == 0 and "warning: skipped " in skipped.stderr and "1 skipped" in skipped.stdout


def test_bad_arguments_exit_2_and_missing_archives_exit_1(tmp_path):
    store = str(tmp_path / "store.gpkg")
    assert run("import", str(tmp_path), "--store", store).returncode == 2  # --name is required
    assert run("import", str(tmp_path), "--name", "x", "--kml-layer", "red=roads", "--store", store).returncode == 2
    result = run("info", "nothing", "--store", store)
    assert result.returncode == 1 and "no archive store here" in result.stderr
    assert run("export", "x", "--out", str(tmp_path / "x.txt"), "--store", store).returncode == 1
    aoi = run("import", str(tmp_path), "--name", "x", "--aoi", "49.7,37.6,30", "--store", store)
    assert aoi.returncode == 1 and "did you swap longitude and latitude?" in aoi.stderr


def test_progress_is_a_bar_on_a_terminal_and_lines_otherwise():
    tty = io.StringIO()
    draw = progress_printer(tty, interactive=True, width=10)
    for done in range(1, 101):
        draw(done, 100, f"day{done}")
    assert tty.getvalue().count("\r") == 11 and tty.getvalue().endswith("] 100/100\n")
    log = io.StringIO()
    draw = progress_printer(log, interactive=False)
    for done in range(1, 1001):
        draw(done, 1000, f"day{done}")
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue() and len(lines) == 11  # the first day, then each tenth
    assert lines[-1].startswith("import: 1000/1000 days read (100 %")


def test_a_terminal_gets_a_redrawn_bar(tmp_path):
    import pty

    src = s.write_daily_geojson(tmp_path / "d", s.days([0, 1, 2]))
    master, slave = pty.openpty()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kupiansk_map",
            "archive",
            "import",
            str(src),
            "--name",
            "ds",
            "--store",
            str(tmp_path / "store.gpkg"),
        ],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    child.wait(timeout=60)
    os.close(master)
    assert child.returncode == 0
    assert b"\r[" in seen and b"] 3/3" in seen and b"days read" not in seen


def test_diff_prints_each_source_and_the_disputed_area(tmp_path):
    store = str(tmp_path / "store.gpkg")
    for name, sizes in (("a", [0, 0]), ("b", [0, 5])):
        src = s.write_daily_geojson(tmp_path / name, s.days(sizes))
        assert (
            run("import", str(src), "--name", name, "--attribution", f"Tracker {name}", "--store", store).returncode
            == 0
        )
    text = run("diff", "a", "b", "--date", "2024-11-11", "--store", store)
    assert text.returncode == 0, text.stderr
    assert "Where a and b disagree on 2024-11-11, within the whole of both archives" in text.stdout
    assert "a (Tracker a): Russian-held" in text.stdout and "b (Tracker b): Russian-held" in text.stdout
    data = json.loads(
        run("diff", "a", "b", "--date", "2024-11-11", "--aoi", "kupiansk", "--json", "--store", store).stdout
    )
    assert data["date"] == "2024-11-11" and data["aoi"].startswith("30 km around")
    assert data["disputed_km2"] == data["only_in_a_km2"] + data["only_in_b_km2"] and data["disputed_km2"] > 50
    assert [source["name"] for source in data["sources"]] == ["a", "b"]
    assert all(source["front_distance_km"] is not None for source in data["sources"])
    assert "symmetric difference" in run("diff", "--help").stdout


def test_diff_refuses_what_it_cannot_compare(tmp_path):
    store = str(tmp_path / "store.gpkg")
    src = s.write_daily_geojson(tmp_path / "a", s.days([0, 0]))
    assert run("import", str(src), "--name", "a", "--store", store).returncode == 0
    refused = run("diff", "a", "nope", "--date", "2024-12-01", "--store", store)
    assert refused.returncode == 1 and refused.stdout == ""
    assert "no archive named 'nope'" in refused.stderr and "2024-12-01 is outside the days it holds" in refused.stderr
    bad = run("diff", "a", "a", "--date", "2024-02-30", "--store", store)
    assert bad.returncode == 2 and "'2024-02-30' is not a date that exists" in bad.stderr
    bad_aoi = run("diff", "a", "a", "--date", "2024-11-10", "--aoi", "mars", "--store", store)
    assert bad_aoi.returncode == 2 and "--aoi 'mars'" in bad_aoi.stderr
