"""The exported story in Chromium, opened from file:// with the context offline and every request blocked.

Also the PNG handout (``kupiansk-map export --png``), rendered by the same headless Chromium.
"""

from __future__ import annotations

import copy
import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kupiansk_map.export.handout import chapter_png
from kupiansk_map.export.story_page import story_html
from kupiansk_map.layers.store import load_layers
from kupiansk_map.story.chapters import STORY_PATH, format_date, load_story, parse_story

from .conftest import ROOT, SCREENSHOT_DIR

STEP_TIMEOUT_MS = 8_000


@pytest.fixture(scope="module")
def story():
    return load_story()


@pytest.fixture(scope="module")
def layers():
    loaded = load_layers()
    assert loaded.errors == {}
    return loaded.layers


@pytest.fixture(scope="module")
def story_files(tmp_path_factory, layers, story) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("story")
    files = {}
    for lang in ("en", "uk"):
        path = folder / f"story-{lang}.html"
        path.write_text(story_html(layers, story, lang=lang), encoding="utf-8")
        files[lang] = path
    return files


def open_offline(offline_context, url: str, *, viewport=(1600, 1000)):
    ctx = offline_context(viewport=viewport)
    ctx.context.set_offline(True)
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=STEP_TIMEOUT_MS)
    return ctx, page


def wait_chapter(page: Page, number: int) -> None:
    page.wait_for_selector(
        f"body[data-chapter='{number}'][data-ready='{number}']", state="attached", timeout=STEP_TIMEOUT_MS
    )


def shows(page: Page, story, number: int, *, lang: str = "en") -> None:
    """The panel and the URL show chapter ``number``."""
    chapter = story.chapter(number)
    wait_chapter(page, number)
    expect(page.locator("#km-title")).to_have_text(chapter.title[lang])
    expect(page.locator("#km-date")).to_have_text(format_date(chapter.date, lang=lang))
    expect(page.locator("#km-progress")).to_have_text(f"{number} / {len(story.chapters)}")
    assert page.evaluate("location.hash") == f"#chapter={number}"


def test_the_story_is_drawn_and_steps_with_the_keyboard(offline_context, story_files, story):
    ctx, page = open_offline(offline_context, story_files["en"].as_uri())
    assert page.evaluate("navigator.onLine") is False
    shows(page, story, 1)
    expect(page.locator("#km-narration")).to_have_text(story.chapter(1).narration.en)
    assert page.locator(".leaflet-tile").count() == 0, "no tiles offline: the context layers are the basemap"
    assert page.locator("path[data-layer='railways']").count() == 4
    assert page.locator("path[data-layer='railways'].km-hl").count() == 4  # highlighted
    expect(page.locator("#km-prev")).to_be_disabled()

    for _ in range(3):
        page.keyboard.press("ArrowRight")
    shows(page, story, 4)
    chapter4 = story.chapter(4)
    assert chapter4.id == "kursk-incursion"
    expect(page.locator("#km-map-date")).to_have_text("6 August 2024")
    salient = page.locator("path[data-layer='kursk_salient'][data-id='kursk-2024-08-06']")
    expect(salient).to_have_count(1)
    assert "km-hl" in salient.get_attribute("class")
    assert page.locator("path[data-layer='kursk_salient']").count() == 1, "only the state of 6 August"
    assert page.locator("path[data-layer='occupied']").count() == 0, "the chapter's layers only"
    expect(page.locator(".leaflet-tooltip.km-label", has_text="Sudzha")).to_be_visible()
    expect(page.locator("#km-legend-rows")).to_contain_text("Ukrainian-held area, Kursk region")
    # The map has flown to the chapter's bounds: the salient lies inside the visible map.
    area, shape = page.locator("#km-map").bounding_box(), salient.bounding_box()
    assert area and shape and shape["width"] > 50
    assert area["x"] <= shape["x"] and shape["x"] + shape["width"] <= area["x"] + area["width"]
    assert area["y"] <= shape["y"] and shape["y"] + shape["height"] <= area["y"] + area["height"]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "story-chapter-4.png"))

    page.keyboard.press("PageDown")
    shows(page, story, 5)
    page.keyboard.press("PageUp")
    shows(page, story, 4)
    page.keyboard.press("End")
    shows(page, story, len(story.chapters))
    expect(page.locator("#km-next")).to_be_disabled()
    page.keyboard.press("ArrowRight")  # past the end: stays
    shows(page, story, len(story.chapters))
    page.keyboard.press("Home")
    shows(page, story, 1)
    page.locator("#km-next").click()
    shows(page, story, 2)
    page.locator("#km-prev").click()
    shows(page, story, 1)
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_a_link_opens_its_chapter_in_ukrainian(offline_context, story_files, story):
    ctx, page = open_offline(offline_context, story_files["uk"].as_uri() + "#chapter=7")
    shows(page, story, 7, lang="uk")
    assert page.evaluate("document.documentElement.lang") == "uk"
    expect(page.locator("#km-next")).to_contain_text("Далі")
    expect(page.locator("#km-claims")).to_be_visible()
    expect(page.locator("#km-claims")).to_contain_text("Заяви не перевірені")
    expect(
        page.locator(".leaflet-tooltip.km-claim", has_text="Заява Росії: закріплення на околицях міста (не перевірена)")
    ).to_have_count(1)
    expect(page.locator("path[data-id='claim-ru-foothold'].km-hl")).to_have_count(1)
    # Following a link within the page, and a hash out of range.
    page.evaluate("location.hash = '#chapter=2'")
    shows(page, story, 2, lang="uk")
    page.evaluate("location.hash = '#chapter=99'")
    shows(page, story, len(story.chapters), lang="uk")
    page.screenshot(path=str(SCREENSHOT_DIR / "story-uk-last.png"))
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_online_the_page_asks_for_osm_tiles_and_nothing_else(offline_context, story_files, story):
    ctx = offline_context(viewport=(1280, 800))  # online: navigator.onLine is true, requests are still blocked
    page = ctx.new_page()
    page.goto(story_files["en"].as_uri() + "#chapter=6")
    wait_chapter(page, 6)
    page.wait_for_timeout(300)
    assert page.evaluate("navigator.onLine") is True
    assert page.locator(".leaflet-tile").count() > 0
    blocked = ctx.problems()["blocked_requests"]
    assert blocked and all(url.startswith("https://tile.openstreetmap.org/") for url in blocked), blocked
    expect(page.locator("#km-offline-note")).to_be_hidden()
    assert ctx.problems()["page_errors"] == []


def test_fullscreen_button_and_phone_layout(offline_context, story_files, story):
    ctx, page = open_offline(offline_context, story_files["en"].as_uri() + "#chapter=6", viewport=(390, 844))
    shows(page, story, 6)
    button = page.locator("#km-fullscreen")
    expect(button).to_have_text("Fullscreen")
    button.click()
    page.wait_for_timeout(300)
    expect(button).to_have_text(
        ["Exit fullscreen"] if page.evaluate("!!document.fullscreenElement") else ["Fullscreen"]
    )
    if page.evaluate("!!document.fullscreenElement"):
        button.click()
        expect(button).to_have_text("Fullscreen")
    assert page.locator("#km-legend").get_attribute("open") is None, "the legend starts closed on a phone"
    box = page.locator("#km-map").bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    page.screenshot(path=str(SCREENSHOT_DIR / "story-phone.png"))
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_hostile_story_text_stays_text(offline_context, tmp_path, layers):
    raw = json.loads(STORY_PATH.read_text(encoding="utf-8"))
    title = "<img src=x onerror=\"window.__pwned='title'\">Kupiansk</script><script>window.__pwned=1</script>"
    raw["chapters"][0]["title"]["en"] = title
    raw["chapters"][0]["narration"]["en"] = "One <b onmouseover=\"window.__pwned='n'\">bold</b> claim. Two."
    raw["chapters"][0]["sources"] = ["<a href=\"javascript:window.__pwned='s'\">x</a>"]
    changed = copy.deepcopy(layers)
    changed["places"]["features"][0]["properties"]["name"] = "<b onmouseover=\"window.__pwned='label'\">Kup</b>"
    path = tmp_path / "hostile.html"
    path.write_text(story_html(changed, parse_story(raw), lang="en"), encoding="utf-8")
    ctx, page = open_offline(offline_context, path.as_uri())
    wait_chapter(page, 1)
    expect(page.locator("#km-title")).to_have_text(title)
    expect(page.locator("#km-narration")).to_contain_text("<b onmouseover=")
    expect(page.get_by_text("<b onmouseover=\"window.__pwned='label'\">Kup</b>")).to_have_count(1)
    assert page.locator("#km-panel img, #km-panel b, #km-panel a, .km-label b").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert ctx.problems()["blocked_requests"] == [] and ctx.problems()["page_errors"] == []


# ---------------------------------------------------------------------------------------------------------------
# PNG handouts


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "a PNG file"
    return struct.unpack(">II", data[16:24])


def test_export_png_writes_a_chapter(tmp_path):
    out = tmp_path / "chapter-4.png"
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", "export", "--png", str(out), "--chapter", "4"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert png_size(out) == (1600, 1000)
    assert out.stat().st_size > 60_000, "a drawn map and panel, not a blank page"
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_chapter_png_in_ukrainian_at_another_size(tmp_path, layers, story):
    out = chapter_png(tmp_path / "uk-8.png", layers, story, chapter=8, lang="uk", size=(1200, 800))
    assert png_size(out) == (1200, 800) and out.stat().st_size > 40_000
    out.replace(SCREENSHOT_DIR / "handout-uk-8.png")
