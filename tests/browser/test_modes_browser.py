"""Switching modes and sharing links in Chromium: presenter mode on and off, analyst tools, and the map's view."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOT_DIR, date_scale, map_frame


def _params(page: Page) -> dict[str, str]:
    # The page's own address: Playwright's page.url can miss a history update made while the map's iframe has focus.
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.evaluate("location.href")).query).items()}


def _wait_param(page: Page, key: str, pattern: str) -> None:
    page.wait_for_function(
        "([key, pattern]) => new RegExp(pattern).test(new URLSearchParams(location.search).get(key) || '')",
        arg=[key, pattern],
        timeout=15_000,
    )


def _toggle(page: Page, label: str) -> None:
    """Click a sidebar switch, opening the sidebar first where it is folded away (as in presenter mode)."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if sidebar.get_attribute("data-collapsed") == "true":
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(sidebar).to_have_attribute("data-collapsed", "false")
    sidebar.get_by_text(label, exact=True).click()


def test_presenter_mode_off_after_a_date_step_shows_the_map_again(offline_context, app_server):
    """The reported crash: open /, move the date one step, presenter mode on, then off."""
    ctx = offline_context(viewport=(1400, 900))
    page = ctx.new_page()
    page.goto(app_server.url)
    map_frame(page, timeout=30_000)
    date_scale(page).press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"date=2024-11-12"), timeout=15_000)
    _toggle(page, "Presenter mode")
    expect(page).to_have_url(re.compile(r"mode=present"), timeout=15_000)
    map_frame(page, timeout=30_000)
    _toggle(page, "Presenter mode")
    expect(page).not_to_have_url(re.compile(r"mode=present"), timeout=15_000)
    frame = map_frame(page, timeout=30_000)
    expect(frame.locator("path.leaflet-interactive").first).to_be_attached()
    assert _params(page)["date"] == "2024-11-12"
    expect(page.get_by_text("KeyError")).to_have_count(0)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    page.reload()  # the link now opens the explore page, not presenter mode
    frame = map_frame(page, timeout=30_000)
    expect(frame.locator(".leaflet-control-zoom")).to_be_visible()
    expect(date_scale(page)).to_have_attribute("aria-valuetext", "12 November 2024")
    page.screenshot(path=str(SCREENSHOT_DIR / "modes-presenter-off.png"))
    assert ctx.problems()["page_errors"] == []


def test_a_copied_link_reopens_the_zoom_and_centre_and_analyst_tools_keep_them(offline_context, app_server):
    ctx = offline_context(viewport=(1400, 900))
    page = ctx.new_page()
    page.goto(app_server.url + "?view=kupiansk")
    frame = map_frame(page, timeout=30_000)
    _wait_param(page, "zoom", r"^\d+$")  # the map has settled and reported its view
    start = frame.evaluate("window.map.getZoom()")
    assert _params(page)["zoom"] == str(start)
    for step in (1, 2):  # Leaflet ignores a zoom click while the last zoom is still animating: wait for each
        frame.locator(".leaflet-control-zoom-in").click()
        _wait_param(page, "zoom", rf"^{start + step}$")
    assert frame.evaluate("window.map.getZoom()") == start + 2
    centre = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    link = page.evaluate("location.href")

    # Analyst tools rebuild the map with measuring tools; it must stay where it was.
    _toggle(page, "Analyst tools")
    _wait_param(page, "analyst", "^1$")
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe[title*="streamlit_folium"]');
        return f && f.contentWindow.document.querySelector('.leaflet-control-measure'); }""",
        timeout=30_000,
    )
    frame = map_frame(page, timeout=30_000)
    frame.wait_for_function(f"window.map && window.map.getZoom() === {start + 2}", timeout=15_000)
    lat, lon = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(lat - centre[0]) < 1e-3 and abs(lon - centre[1]) < 1e-3

    # A copied link, opened in a new tab, shows the same view.
    other = ctx.new_page()
    other.goto(link)
    frame = map_frame(other, timeout=30_000)
    frame.wait_for_function(f"window.map.getZoom() === {start + 2}", timeout=15_000)
    lat, lon = frame.evaluate("[window.map.getCenter().lat, window.map.getCenter().lng]")
    assert abs(lat - centre[0]) < 1e-3 and abs(lon - centre[1]) < 1e-3
    other.screenshot(path=str(SCREENSHOT_DIR / "modes-link-zoom.png"))
    assert ctx.problems()["page_errors"] == []
