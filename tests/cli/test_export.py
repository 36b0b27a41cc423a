"""``kupiansk-map export``: every mode's success and error paths, run as a subprocess; never a traceback.

(The PNG's success path needs Chromium and lives in tests/browser/test_story_browser.py.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT


def run(*args: str, env: dict | None = None):
    full_env = dict(os.environ)
    full_env.pop("KUPIANSK_MAP_DATA_DIR", None)
    full_env.update(env or {})
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", "export", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env=full_env,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("export: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# ---------------------------------------------------------------------------------------------------------------
# --story


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_story_export(tmp_path, lang):
    out = tmp_path / f"story-{lang}.html"
    result = run("--story", str(out), "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"wrote {out}" in result.stdout
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in html
    assert out.stat().st_size < 3_000_000
    assert [p.name for p in tmp_path.iterdir()] == [out.name], "no temporary file is left behind"


def test_story_export_defaults_to_english_and_replaces_the_file(tmp_path):
    out = tmp_path / "story.html"
    out.write_text("old")
    assert run("--story", str(out)).returncode == 0
    assert '<html lang="en">' in out.read_text(encoding="utf-8")


def test_story_errors(tmp_path):
    one_line_error(run("--story", str(tmp_path / "s.html"), "--lang", "fr"), "--lang 'fr' is not one of en, uk")
    one_line_error(run("--story", str(tmp_path / "missing" / "s.html")), "does not exist")
    one_line_error(run("--story", str(tmp_path)), "is a folder")
    one_line_error(run("--story", str(tmp_path / "s.html"), "--chapter", "3"), "--chapter does not apply to --story")
    bad = tmp_path / "story.json"
    bad.write_text('{"title": ', encoding="utf-8")
    one_line_error(
        run("--story", str(tmp_path / "s.html"), "--story-file", str(bad)), "the story cannot be used", "invalid JSON"
    )
    assert not (tmp_path / "s.html").exists()


def test_a_story_with_problems_is_exported_with_warnings(tmp_path):
    raw = json.loads((ROOT / "kupiansk_map" / "layers" / "definitions" / "story.json").read_text(encoding="utf-8"))
    raw["chapters"][0]["highlight"].append("no-such-feature")
    story = tmp_path / "story.json"
    story.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    result = run("--story", str(tmp_path / "s.html"), "--story-file", str(story))
    assert result.returncode == 0
    assert "warning: story:" in result.stderr and "'no-such-feature'" in result.stderr
    assert (tmp_path / "s.html").is_file()


def test_an_output_under_a_file_is_an_error(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    one_line_error(run("--story", str(blocker / "s.html")), "blocker")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc, where no file can be created")
def test_a_write_that_fails_is_one_line():
    one_line_error(run("--story", "/proc/kupiansk-story.html"), "cannot write /proc/kupiansk-story.html")
    one_line_error(run("--site", "/proc/kupiansk-site"), "cannot write /proc/kupiansk-site")


def test_a_broken_layer_is_reported_and_left_out(tmp_path, data_dir):
    geo = tmp_path / "geo"
    shutil.copytree(data_dir, geo)
    (geo / "kursk_salient.geojson").write_text("{not json", encoding="utf-8")
    out = tmp_path / "s.html"
    result = run("--story", str(out), "--data-dir", str(geo))
    assert result.returncode == 1
    assert "warning: layer kursk_salient left out" in result.stderr
    assert out.is_file() and "kursk-2024-11" not in out.read_text(encoding="utf-8")
    # The app's environment variable works too.
    result = run("--story", str(out), env={"KUPIANSK_MAP_DATA_DIR": str(geo)})
    assert result.returncode == 1 and "kursk_salient left out" in result.stderr


# ---------------------------------------------------------------------------------------------------------------
# --html


def test_html_export(tmp_path):
    out = tmp_path / "map.html"
    result = run("--html", str(out), "--date", "2022-09-10", "--view", "kupiansk")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "occupied-2022-09-10" in html and "occupied-2024-11" not in html
    assert "<script src=" not in html


def titles(html: str) -> list[str]:
    return re.findall(r"<title>(.*?)</title>", html, flags=re.S)


def test_html_export_says_what_it_shows(tmp_path):
    out = tmp_path / "map.html"
    assert run("--html", str(out), "--date", "2024-11-13", "--view", "kupiansk").returncode == 0
    html = out.read_text(encoding="utf-8")
    assert titles(html) == ["13 November 2024 — Kupiansk"]
    # The label box on the map: its texts, as the script hands them to map-label.js.
    assert '{"date": "13 November 2024", "iso": "2024-11-13", "view": "Kupiansk"}' in html
    other = tmp_path / "other.html"
    assert run("--html", str(other), "--date", "2022-09-10", "--view", "overview").returncode == 0
    assert titles(other.read_text(encoding="utf-8")) == ["10 September 2022 — Overview: the whole front"]


def test_html_export_in_ukrainian(tmp_path):
    out = tmp_path / "map.html"
    assert run("--html", str(out), "--date", "2024-11-13", "--view", "kupiansk", "--lang", "uk").returncode == 0
    html = out.read_text(encoding="utf-8")
    assert titles(html) == ["13 листопада 2024\u202fр. — Купʼянськ"]
    assert '"view": "\\u041a\\u0443\\u043f\\u02bc\\u044f\\u043d\\u0441\\u044c\\u043a"' in html  # the label box
    # The legend, notices and popups in Ukrainian, numbers with a decimal comma: the layers' data is embedded as
    # script_json (Cyrillic as it is), the base map's options by Jinja's tojson (non-ASCII escaped).
    for text in ("Умовні позначення", "Площа на мапі", "Межі Купʼянська"):
        assert text in html or json.dumps(text)[1:-1] in html, text
    assert json.dumps("Legend") not in html and "Area on the map" not in html
    assert re.search(r"\d,\d км²", html)  # "12,3 км²"


def test_site_export_in_ukrainian(tmp_path):
    out = tmp_path / "site"
    assert run("--site", str(out), "--lang", "uk").returncode == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="uk">' in index and "Мапи за датою й видом" in index and "Maps by date" not in index
    assert (out / "story" / "en.html").is_file() and (out / "story" / "uk.html").is_file()
    page = (out / "maps" / "kupiansk-2024-11-13.html").read_text(encoding="utf-8")
    assert titles(page) == ["13 листопада 2024\u202fр. — Купʼянськ"]


def test_html_export_with_layers_and_defaults(tmp_path):
    out = tmp_path / "map.html"
    assert run("--html", str(out), "--layers", "kursk_salient,state_border").returncode == 0
    html = out.read_text(encoding="utf-8")
    assert "kursk-2024-11" in html and "occupied-2024-11" not in html


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["--date", "2024-02-30"], ["--date", "'2024-02-30' is not a date that exists"]),
        (["--date", "13/11/2024"], ["--date", "expected an ISO date"]),
        (["--date", "2030-01-01"], ["--date 2030-01-01 is outside the data (2022-02-27 to 2024-11-14)"]),
        (["--view", "moon"], ["--view 'moon' is not one of overview, kupiansk, kursk"]),
        (["--layers", "occupied,bogus"], ["--layers", "'bogus'"]),
        (["--lang", "fr"], ["--lang 'fr' is not one of en, uk"]),
    ],
)
def test_html_errors(tmp_path, args, fragments):
    out = tmp_path / "map.html"
    one_line_error(run("--html", str(out), *args), *fragments)
    assert not out.exists()


# ---------------------------------------------------------------------------------------------------------------
# --site


def test_site_export(tmp_path):
    out = tmp_path / "site"
    result = run("--site", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file() and (out / "story" / "uk.html").is_file()
    assert (out / "maps" / "kursk-2024-11-13.html").is_file() and (out / "data" / "catalog.json").is_file()
    pages = {path.relative_to(out).as_posix(): titles(path.read_text(encoding="utf-8")) for path in out.rglob("*.html")}
    assert all(len(found) == 1 for found in pages.values()), pages
    assert len({found[0] for found in pages.values()}) == len(pages), "every page has a title of its own"
    assert pages["maps/kursk-2024-11-13.html"] == ["13 November 2024 — Kursk salient"]
    assert pages["maps/kupiansk-2022-02-27.html"] == ["27 February 2022 — Kupiansk"]
    assert run("--site", str(out)).returncode == 0, "a second export replaces the first"


def test_site_errors(tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    one_line_error(run("--site", str(tmp_path / "mine")), "is not empty and was not written by")
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]
    one_line_error(run("--site", str(tmp_path / "missing" / "site")), "does not exist")
    one_line_error(run("--site", str(tmp_path / "s"), "--date", "2024-11-13"), "--date does not apply to --site")


# ---------------------------------------------------------------------------------------------------------------
# --png (errors only; the rendering is tested with the browser tests)


def test_png_errors(tmp_path):
    out = tmp_path / "c.png"
    one_line_error(run("--png", str(out)), "--png needs --chapter N")
    one_line_error(run("--png", str(out), "--chapter", "x"), "--chapter 'x' is not a whole number")
    one_line_error(run("--png", str(out), "--chapter", "0"), "--chapter 0 is out of range: the story has chapters 1 to")
    one_line_error(run("--png", str(out), "--chapter", "99"), "--chapter 99 is out of range")
    one_line_error(run("--png", str(out), "--chapter", "2", "--lang", "de"), "--lang 'de'")
    one_line_error(run("--png", str(tmp_path / "nope" / "c.png"), "--chapter", "2"), "does not exist")
    assert not out.exists()


# ---------------------------------------------------------------------------------------------------------------
# choosing a mode


@pytest.mark.parametrize("args", [[], ["--story", "a.html", "--html", "b.html"], ["--site", "x", "--png", "y.png"]])
def test_exactly_one_mode(args):
    one_line_error(run(*args), "give exactly one of --story, --html, --site or --png")


def test_help_lists_the_modes():
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", "export", "--help"], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0
    for option in ("--story", "--html", "--site", "--png", "--lang", "--chapter", "--date", "--view"):
        assert option in result.stdout
