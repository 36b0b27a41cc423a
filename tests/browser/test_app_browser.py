"""The app in Debian Chromium with every non-local request blocked: what a viewer or analyst actually sees."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from .conftest import SCREENSHOT_DIR, date_field, date_scale, map_frame, zoom_in_and_settle

CLAIM_PATHS = 'path[stroke-dasharray="4 3"]'  # claims are drawn dashed
OCCUPIED_PATHS = 'path[fill="#D55E00"]'
KURSK_PATHS = 'path[fill="#0072B2"]'


def open_app(offline, app_server, query: str = "", *, viewport=(1280, 900)) -> tuple[Page, Frame, object]:
    ctx = offline(viewport=viewport)
    page = ctx.new_page()
    page.goto(app_server.url + query)
    frame = map_frame(page, timeout=30_000)
    return page, frame, ctx


def assert_clean(ctx) -> None:
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_map_is_drawn_offline_with_no_errors(offline_context, app_server):
    page, frame, ctx = open_app(offline_context, app_server)
    assert frame.locator("path.leaflet-interactive").count() > 10
    assert (
        frame.locator(OCCUPIED_PATHS).count() >= 1 and frame.locator(CLAIM_PATHS).count() == 3
    )  # two sides on 13 Nov, plus Kyiv on the Kursk force
    expect(frame.locator(".leaflet-control-scale")).to_be_visible()
    expect(frame.locator(".km-legend")).to_be_attached()
    expect(page.get_by_text("2.5 km from the city", exact=False).first).to_be_visible()
    page.wait_for_timeout(500)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "app-kupiansk-2024-11-13.png"))
    assert_clean(ctx)


def test_a_toggle_hides_a_layer(offline_context, app_server):
    page, frame, ctx = open_app(offline_context, app_server)
    assert frame.locator(CLAIM_PATHS).count() == 3  # two sides on 13 Nov, plus Kyiv on the Kursk force
    page.locator("[data-testid='stSidebar']").get_by_text("Events, claims and assault axes").click()
    expect(frame.locator(CLAIM_PATHS)).to_have_count(0, timeout=15_000)
    expect(frame.get_by_text("Russia claims (unverified)")).to_have_count(0)
    assert frame.locator(OCCUPIED_PATHS).count() >= 1  # the other layers stay
    assert_clean(ctx)


def test_a_date_change_redraws_in_the_same_iframe_and_keeps_the_zoom(offline_context, app_server):
    page, frame, ctx = open_app(offline_context, app_server)
    frame.evaluate("window.__same_document = true")
    zoom, center = zoom_in_and_settle(page, frame)
    date_scale(page).press("Home")  # the first key date: 27 Feb 2022, the city behind Russian lines
    expect(frame.locator(CLAIM_PATHS)).to_have_count(0, timeout=15_000)
    expect(page.get_by_text("behind Russian lines", exact=False).first).to_be_visible(timeout=15_000)
    assert frame.evaluate("window.__same_document === true"), "the map iframe was rebuilt"
    assert page.locator("iframe[title*='streamlit_folium']").count() == 1
    assert frame.evaluate("window.map.getZoom()") == zoom
    assert frame.evaluate("window.map.getCenter()") == center
    page.wait_for_function("location.href.includes('date=2022-02-27')", timeout=15_000)
    assert_clean(ctx)


def test_a_url_with_query_parameters_opens_the_same_view(offline_context, app_server):
    page, frame, ctx = open_app(
        offline_context, app_server, "?date=2024-10-01&view=kursk&layers=kursk_salient,places,state_border&buffer_km=5"
    )
    frame.wait_for_function("Math.abs(window.map.getCenter().lat - 51.25) < 0.2")
    lat, lng = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert 50.9 < lat < 51.6 and 34.7 < lng < 35.9
    expect(frame.locator(KURSK_PATHS)).to_have_count(1)
    assert frame.locator(OCCUPIED_PATHS).count() == 0
    expect(frame.get_by_text("Sudzha")).to_be_visible()
    expect(date_scale(page)).to_have_attribute("aria-valuetext", "1 October 2024")
    expect(date_field(page).locator("input[type='date']")).to_have_value("2024-10-01")
    assert_clean(ctx)


def test_map_and_controls_work_on_a_phone(offline_context, app_server):
    page, frame, ctx = open_app(offline_context, app_server, viewport=(390, 844))
    box = page.locator("iframe[title*='streamlit_folium']").bounding_box()
    assert box and 300 <= box["width"] <= 390 and box["height"] >= 400
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "app-phone.png"))
    sidebar = page.locator("[data-testid='stSidebar']")
    expand = page.locator("[data-testid='stExpandSidebarButton']")
    expect(expand).to_be_visible()  # on a phone the sidebar starts collapsed, behind this button
    expand.click()
    toggle = sidebar.get_by_text("Events, claims and assault axes")
    page.wait_for_timeout(400)  # the sidebar slides in
    page.mouse.move(150, 600)
    page.mouse.wheel(0, 800)  # scroll the sidebar as a thumb would
    page.wait_for_timeout(300)
    box = toggle.bounding_box()
    assert box and 0 <= box["y"] <= 844 - box["height"], box
    page.screenshot(path=str(SCREENSHOT_DIR / "app-phone-controls.png"))
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(frame.locator(CLAIM_PATHS)).to_have_count(0, timeout=15_000)
    assert_clean(ctx)


def test_controls_are_reachable_with_the_keyboard(offline_context, app_server):
    page, _frame, ctx = open_app(offline_context, app_server)
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        role = page.evaluate(
            "document.activeElement && (document.activeElement.getAttribute('role') || "
            "document.activeElement.type || document.activeElement.tagName)"
        )
        reached.add(str(role).lower())
    assert {"radio", "checkbox"} <= reached, reached  # view and layer toggles
    # The date control, from its date input on: the step buttons, then into the scale (its play controls, then
    # its slider). The map's own stops come before it, so the walk starts at the date input.
    date_field(page).locator("input").first.focus()
    reached = set()
    for _ in range(20):
        page.keyboard.press("Tab")
        reached.add(
            page.evaluate(
                """() => {
                    const active = document.activeElement;
                    if (active.closest('.st-key-date_day_forward')) return 'step button';
                    const inner = active.tagName === 'IFRAME' && active.title.includes('km_timeline')
                        ? active.contentDocument.activeElement : null;
                    return inner ? 'scale ' + (inner.getAttribute('role') || inner.tagName.toLowerCase()) : 'other';
                }"""
            )
        )
    assert {"step button", "scale button", "scale slider"} <= reached, reached
    assert_clean(ctx)


def test_a_date_change_updates_every_panel_that_depends_on_the_date(offline_context, app_server):
    """The date reruns only the dated part of the page (a fragment): the figures, the summary and the chart must
    follow it, and the sidebar's other settings must stay as they were."""
    page, _frame, ctx = open_app(offline_context, app_server)
    figures = page.locator("section[aria-label='Figures']")
    expect(figures.get_by_text("Figures for 13 November 2024")).to_be_visible()
    expect(figures.locator("[data-figure='kursk_area_km2'] dd")).to_contain_text("600 km²")
    charts = page.locator("[class*='st-key-km_history_'] .vega-embed")
    expect(page.get_by_text("Dashed line: the chosen date, 13 November 2024.", exact=False)).to_be_attached()
    sidebar = page.locator("[data-testid='stSidebar']")
    railways = sidebar.get_by_role("checkbox", name="Railways")
    expect(railways).to_be_checked()
    sidebar.get_by_text("Railways").click()  # a full rerun, outside the dated part
    expect(railways).not_to_be_checked()
    date_scale(page).press("Home")
    expect(figures.get_by_text("Figures for 27 February 2022")).to_be_visible(timeout=15_000)
    expect(figures.locator("[data-figure='kursk_area_km2'] dd")).to_have_text(
        "not mapped on this date"
    )  # before the incursion: no Kursk state
    expect(page.get_by_role("heading", name="The situation on 27 February 2022")).to_be_visible()
    # The charts' rule follows the date (a date outside the Kursk chart's span draws no rule there: AppTest).
    expect(page.get_by_text("Dashed line: the chosen date, 27 February 2022.", exact=False)).to_be_attached()
    expect(charts).to_have_count(4)
    expect(railways).not_to_be_checked()
    assert "layers=" in page.url and "railways" not in page.url.split("layers=")[1].split("&")[0]
    assert_clean(ctx)


def test_downloads_are_made_when_clicked_and_follow_the_date(offline_context, app_server, tmp_path):
    page, _frame, ctx = open_app(offline_context, app_server, "?date=2024-09-15")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download GeoJSON").click()
    first = info.value
    assert first.suggested_filename == "kupiansk-2024-09-15.geojson"
    collection = json.loads(Path(first.path()).read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection" and collection["features"]
    date_scale(page).press("End")
    expect(
        page.locator("section[aria-label='Figures']").get_by_text(re.compile(r"Figures for 1\d November 2024"))
    ).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(r"date=2024-11-1\d"))
    day = re.search(r"date=(\d{4}-\d\d-\d\d)", page.url).group(1)
    with page.expect_download() as info:
        page.get_by_role("button", name="Figures as CSV").click()
    csv_file = info.value
    assert csv_file.suggested_filename == f"kupiansk-map-figures-{day}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(csv_file.path()).read_text(encoding="utf-8"))))
    assert any(
        row["figure"] == "kursk_area_km2" and float(row["value"]) == pytest.approx(600, rel=0.02) for row in rows
    ), rows
    with page.expect_download() as info:
        page.get_by_role("button", name="All layers as GeoPackage").click()
    assert Path(info.value.path()).read_bytes()[:16] == b"SQLite format 3\x00"
    assert_clean(ctx)
