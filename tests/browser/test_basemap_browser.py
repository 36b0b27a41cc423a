"""The offline basemap and the whole front as an area, in Chromium: the overview on 13 November 2024 shows the sea
(coast), the national borders, the rivers, the cities and the Russian-held area with no tiles; when tiles fail to
load, the basemap is drawn too; a saved single-map export carries it."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Frame, Page, expect

from kupiansk_map.export.story_page import map_html, story_html
from kupiansk_map.story.chapters import load_story
from kupiansk_map.web.views import DEFAULT_STATE, ViewState

from .conftest import ROOT, SCREENSHOT_DIR, map_frame

FRONT_AREA = "path[aria-label='Russian-held area of Ukraine, November 2024 (Schematic shape)']"
PANE = ".leaflet-kmBasemap-pane"
LABELS = ".leaflet-kmBasemapLabels-pane"


def _open(offline_context, server, query: str) -> tuple[Page, Frame, object]:
    ctx = offline_context(viewport=(1400, 900))
    page = ctx.new_page()
    page.goto(server.url + query)
    return page, map_frame(page, timeout=30_000), ctx


def _pane_shown(frame: Frame) -> bool:
    return frame.evaluate(f"getComputedStyle(document.querySelector('{PANE}')).display") != "none"


VISIBLE_IN_MAP = """(sel) => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  return Array.from(document.querySelectorAll(sel)).filter(el => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.right > box.left && r.left < box.right
      && r.bottom > box.top && r.top < box.bottom;
  }).length;
}"""


def _visible_in_map(frame: Frame, selector: str) -> int:
    """How many ``selector`` elements have a drawn box that overlaps the map's own box."""
    return frame.evaluate(VISIBLE_IN_MAP, selector)


def _assert_basemap_drawn(frame: Frame, *, odesa: str = "Odesa") -> None:
    frame.wait_for_selector(f"{PANE} path.km-sea", state="attached", timeout=20_000)
    assert _pane_shown(frame)
    for kind in ("km-sea", "km-border", "km-river", "km-lake", "km-city-dot"):
        assert _visible_in_map(frame, f"{PANE} path.{kind}") >= 1, kind
    # Basemap shapes are scenery: not interactive, no tab stops.
    assert frame.locator(f"{PANE} path.leaflet-interactive").count() == 0
    assert frame.locator(f"{LABELS} .km-basemap-city").filter(has_text=odesa).count() == 1


def test_the_overview_on_13_november_2024_shows_coast_borders_and_the_occupied_area(offline_context, app_server):
    page, frame, ctx = _open(offline_context, app_server, "?view=overview&date=2024-11-13")
    _assert_basemap_drawn(frame)
    expect(frame.locator(FRONT_AREA)).to_have_count(1)
    assert _visible_in_map(frame, FRONT_AREA) == 1
    frame.evaluate("document.querySelector('.km-legend').open = false")
    page.locator("iframe[title*='streamlit_folium']").screenshot(path=str(SCREENSHOT_DIR / "basemap-overview.png"))
    # The popup gives the geodesic area and its share of Ukraine beside the reported fifth.
    frame.locator(FRONT_AREA).dispatch_event("click")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Area on the map")
    expect(popup).to_contain_text("% of 603,600 km²")
    expect(popup).to_contain_text("about a fifth of Ukraine")
    expect(popup).to_contain_text("Schematic")
    page.locator("iframe[title*='streamlit_folium']").screenshot(path=str(SCREENSHOT_DIR / "basemap-popup.png"))
    assert ctx.blocked_requests == []


def test_the_kakhovka_reservoir_is_drawn_only_before_6_june_2023(offline_context, app_server):
    _, frame, _ = _open(offline_context, app_server, "?view=overview&date=2022-10-01")
    frame.wait_for_selector(f"{PANE} path.km-sea", state="attached", timeout=20_000)
    lakes_before = frame.locator(f"{PANE} path.km-lake").count()
    _, frame, _ = _open(offline_context, app_server, "?view=overview&date=2024-11-13")
    frame.wait_for_selector(f"{PANE} path.km-sea", state="attached", timeout=20_000)
    assert frame.locator(f"{PANE} path.km-lake").count() == lakes_before - 1


def test_unreachable_tiles_bring_in_the_basemap(offline_context, start_app, vendored_assets):
    # The app online (no --offline), in a browser that cannot reach the tile server.
    server = start_app(script=ROOT / "app.py")
    page, frame, ctx = _open(offline_context, server, "?view=overview")
    expect(frame.locator(".km-notice")).to_be_visible(timeout=20_000)
    assert any("tile.openstreetmap.org" in url for url in ctx.blocked_requests)
    _assert_basemap_drawn(frame)
    page.locator("iframe[title*='streamlit_folium']").screenshot(path=str(SCREENSHOT_DIR / "basemap-tiles-failed.png"))


def test_a_saved_single_map_carries_the_basemap(offline_context, tmp_path, layers):
    state = ViewState(
        date=dt.date(2024, 11, 13), view="overview", layers=DEFAULT_STATE.layers, buffer_km=2.5, basemap="osm"
    )
    path = tmp_path / "overview.html"
    path.write_text(map_html(layers, state), encoding="utf-8")
    ctx = offline_context(viewport=(1200, 900))
    page = ctx.new_page()
    page.goto(path.as_uri())
    frame = page.main_frame
    _assert_basemap_drawn(frame)
    expect(page.locator(FRONT_AREA)).to_have_count(1)
    page.screenshot(path=str(SCREENSHOT_DIR / "basemap-single-map.png"))
    assert ctx.blocked_requests == []


def test_the_story_export_draws_the_basemap_and_the_whole_front_area(offline_context, tmp_path, layers):
    story = load_story()
    number = next(ch.number for ch in story.chapters if "front_area" in ch.layers)
    path = tmp_path / "story.html"
    path.write_text(story_html(layers, story, lang="uk"), encoding="utf-8")
    ctx = offline_context(viewport=(1600, 1000))
    page = ctx.new_page()
    page.goto(f"{path.as_uri()}#chapter={number}")
    page.wait_for_selector(f"body[data-ready='{number}']", timeout=20_000)
    frame = page.main_frame
    _assert_basemap_drawn(frame, odesa="Одеса")
    expect(page.locator("path[data-layer='front_area']")).to_have_count(1)
    page.screenshot(path=str(SCREENSHOT_DIR / "basemap-story-uk.png"))
    # The Kakhovka reservoir is there in 2022 and gone in November 2024.
    lakes_now = page.locator(f"{PANE} path.km-lake").count()
    page.evaluate("location.hash = '#chapter=1'")
    page.wait_for_selector("body[data-ready='1']", timeout=20_000)
    assert page.locator(f"{PANE} path.km-lake").count() > lakes_now


def test_the_presenter_map_draws_the_basemap_with_ukrainian_city_names(offline_context, app_server):
    story = load_story()
    number = next(ch.number for ch in story.chapters if "front_area" in ch.layers)
    page, frame, _ = _open(offline_context, app_server, f"?mode=present&chapter={number}&lang=uk")
    # in Ukrainian, as every name on the map
    expect(frame.locator("path[aria-label^='Територія України під контролем Росії']")).to_have_count(1, timeout=20_000)
    # The presenter map flies to the chapter's bounds, which reach the Black Sea.
    frame.wait_for_function(f"({VISIBLE_IN_MAP})('{PANE} path.km-sea') > 0", timeout=30_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "basemap-presenter-uk.png"))
    _assert_basemap_drawn(frame, odesa="Одеса")
