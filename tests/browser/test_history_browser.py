"""The figures-over-time charts in Chromium: drawn by Vega, a tooltip with a value on hover, the chosen date's
rule moved by a date step, one chart a row at the full width of a 390 px phone, and an archive source's charts.
Screenshots at 1400 and 390 px in test-output/screenshots/."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import archive_samples as s
import pytest
from playwright.sync_api import Page, expect

from kupiansk_map.ingest.archive_store import import_archive

from .conftest import SCREENSHOT_DIR, date_scale, map_frame

CHARTS = ("distance", "within", "kursk", "weekly")
MIN_FONT_PX = 14


def _open(offline_context, server, query: str = "", *, size: tuple[int, int] = (1400, 900)):
    ctx = offline_context(viewport=size)
    page = ctx.new_page()
    page.goto(server.url + query)
    map_frame(page, timeout=30_000)
    return page, ctx


def _chart(page: Page, name: str):
    return page.locator(f".st-key-km_history_{name} .vega-embed")


def _drawn(page: Page, name: str):
    """The chart's Vega drawing (canvas or SVG), once it has a size."""
    drawing = _chart(page, name).locator("canvas, svg.marks").first
    drawing.scroll_into_view_if_needed(timeout=30_000)
    expect(drawing).to_be_visible(timeout=30_000)
    return drawing


def _hover_tooltip(page: Page, name: str, want: str) -> str:
    """Hover across the chart's plot, right to left, until the tooltip's text matches ``want``; return it."""
    drawing = _drawn(page, name)
    box = drawing.bounding_box()
    assert box
    tooltip = page.locator("#vg-tooltip-element")
    seen = []
    for step in range(80):
        page.mouse.move(box["x"] + box["width"] * (0.995 - 0.0115 * step), box["y"] + box["height"] * 0.4)
        page.wait_for_timeout(40)
        if tooltip.count() and tooltip.is_visible():
            text = tooltip.inner_text()
            seen.append(text)
            if re.search(want, text):
                return text
    raise AssertionError(f"no tooltip matching {want!r} over the {name} chart; saw {seen[-3:]}")


def test_the_charts_draw_show_values_on_hover_and_follow_the_date(offline_context, app_server):
    page, ctx = _open(offline_context, app_server, "?date=2024-11-13")
    for name in CHARTS:
        _drawn(page, name)
        expect(page.locator(f".st-key-km_history_{name}").get_by_role("button", name="Download CSV")).to_be_visible()
    text = _hover_tooltip(page, "distance", r"\d+\.\d\d km")  # a distance with its unit
    assert "Distance to the front" in text and "Nov 2024" in text
    text = _hover_tooltip(page, "kursk", r"\d[\d,]*\.\d km²")
    assert "Area on the map" in text
    assert "not mapped" in _hover_tooltip(page, "distance", "not mapped")  # the gap says so
    page.screenshot(path=str(SCREENSHOT_DIR / "history-1400.png"), full_page=True)
    _chart(page, "within").screenshot(path=str(SCREENSHOT_DIR / "history-within-1400.png"))
    _chart(page, "kursk").screenshot(path=str(SCREENSHOT_DIR / "history-kursk-1400.png"))
    # A date step: the caption names the new date, and the rule moves within the same chart (the spec is the
    # same on every date, so the browser swaps the rule's dataset instead of drawing the chart anew).
    drawing = _drawn(page, "distance")
    drawing.evaluate("el => { el.__kmKept = true; }")
    page.mouse.move(0, 0)  # no tooltip in the pictures
    page.wait_for_timeout(300)
    before = _chart(page, "distance").screenshot()
    date_scale(page).press("Home")
    expect(page.get_by_text("Dashed line: the chosen date, 27 February 2022.", exact=False)).to_be_visible(
        timeout=15_000
    )
    page.wait_for_timeout(500)  # Vega redraws on its next frame
    assert _drawn(page, "distance").evaluate("el => el.__kmKept === true"), "the chart was drawn anew"
    after = _chart(page, "distance").screenshot(path=str(SCREENSHOT_DIR / "history-distance-after-step.png"))
    assert after != before, "the rule did not move"
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_the_kursk_chart_marks_the_state_with_no_reported_figure(offline_context, app_server):
    page, ctx = _open(offline_context, app_server, "?date=2024-08-10")
    kursk = page.locator(".st-key-km_history_kursk")
    expect(kursk).to_contain_text("Light grey: a schematic outline with no reported figure")
    # Its span has no line and no number: hovering there says why.
    text = _hover_tooltip(page, "kursk", "no reported figure")
    assert "6 Aug 2024 – 19 Aug 2024" in text and "km²" not in text
    expect(kursk.locator("li")).to_have_count(3)  # the three reported figures, the claim named as one
    expect(kursk.locator("li").first).to_contain_text("1,000 km², reported by Ukrainian officials")
    expect(kursk.locator("li").first).to_contain_text("(claim by Ukraine)")
    assert ctx.problems()["page_errors"] == []


def test_on_a_phone_each_chart_takes_the_full_width(offline_context, app_server):
    page, ctx = _open(offline_context, app_server, "?date=2024-11-13", size=(390, 844))
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    assert main
    drawings = [_drawn(page, name) for name in CHARTS]  # scrolled to, each: then measured where they are
    boxes = []
    for name, drawing in zip(CHARTS, drawings, strict=True):
        box = drawing.bounding_box()
        assert box
        boxes.append(box)
        assert box["x"] >= main["x"] - 1 and box["x"] + box["width"] <= main["x"] + main["width"] + 1, name
        assert box["width"] >= main["width"] - 2 * 16 - 20, f"{name} is {box['width']:.0f} px wide"
    for above, below in itertools.pairwise(boxes):
        assert below["y"] >= above["y"] + above["height"], "one chart a row"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _chart(page, "within").screenshot(path=str(SCREENSHOT_DIR / "history-within-390.png"))
    _chart(page, "kursk").screenshot(path=str(SCREENSHOT_DIR / "history-kursk-390.png"))
    _chart(page, "weekly").screenshot(path=str(SCREENSHOT_DIR / "history-weekly-390.png"))
    assert ctx.problems()["page_errors"] == []


def test_the_chart_text_is_at_least_14_px_on_a_projector(offline_context, app_server):
    page, ctx = _open(offline_context, app_server, "?date=2024-11-13", size=(1024, 768))
    _drawn(page, "within")
    # The charts' own text (axes, legends) is set in their spec; the titles and keys are page text.
    caption = page.locator(".st-key-km_history_within [data-testid='stCaptionContainer']").first
    size = float(caption.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px"))
    assert size >= MIN_FONT_PX
    title = page.locator(".st-key-km_history_within strong").first
    assert float(title.evaluate("el => getComputedStyle(el).fontSize").removesuffix("px")) >= MIN_FONT_PX
    page.screenshot(path=str(SCREENSHOT_DIR / "history-1024.png"))
    assert ctx.problems()["page_errors"] == []


@pytest.fixture
def archive_app(start_app, vendored_assets, tmp_path):
    folder = tmp_path
    store = folder / "store.gpkg"
    plan = s.days([0, 0, 3, None, None, 6, 6, 9, 9, 9, 12, 12, 12, 12, 15])
    import_archive(s.write_daily_geojson(folder / "src", plan), name="sample", store=store, today=dt.date(2025, 1, 1))
    return start_app(env={"KUPIANSK_MAP_STORE": str(store)})


def test_an_archive_source_draws_its_charts(offline_context, archive_app):
    day = s.START + dt.timedelta(days=2)
    page, ctx = _open(offline_context, archive_app, f"?source=sample&date={day.isoformat()}")
    for name in ("distance", "within", "weekly"):
        _drawn(page, name)
    expect(page.locator(".st-key-km_history_kursk")).to_contain_text("does not map the Ukrainian-held area")
    assert "Distance to the front" in _hover_tooltip(page, "distance", r"\d+\.\d\d km")
    assert "not mapped" in _hover_tooltip(page, "distance", "not mapped")
    page.screenshot(path=str(SCREENSHOT_DIR / "history-archive-1400.png"), full_page=True)
    assert ctx.problems()["page_errors"] == []
