"""Two sources side by side in Chromium: the disputed ground is drawn, its popup names both archives, and the
"Two sources" panel reads at phone width. The archives are made up by the test (tests/archive_samples.py)."""

from __future__ import annotations

import datetime as dt

import archive_samples as s
import pytest
from playwright.sync_api import expect

from kupiansk_map.ingest.archive_store import import_archive

from .conftest import SCREENSHOT_DIR, map_frame

DAY = s.START + dt.timedelta(days=1)  # beta's Russian-held ground reaches 5 km further west than alpha's
SHAPE = "path[aria-label='Russian-held in beta, not in alpha (Assessed)']"


@pytest.fixture(scope="module")
def server(tmp_path_factory, vendored_assets):
    from .conftest import _launch

    folder = tmp_path_factory.mktemp("disputes-browser")
    store = folder / "store.gpkg"
    for name, plan in (("alpha", s.days([0, 0, 0])), ("beta", s.days([0, 5, None]))):
        import_archive(
            s.write_daily_geojson(folder / name, plan),
            name=name,
            store=store,
            attribution=f"Made up by the {name} tests",
            today=dt.date(2025, 1, 1),
        )
    app = _launch(env={"KUPIANSK_MAP_STORE": str(store)})
    try:
        yield app
    finally:
        app.stop()


def _open(offline_context, server, *, viewport=(1280, 1400), query=""):
    ctx = offline_context(viewport=viewport)
    page = ctx.new_page()
    page.goto(f"{server.url}?source=alpha&versus=beta&date={DAY.isoformat()}{query}")
    return ctx, page, map_frame(page, timeout=30_000)


def test_the_disputed_ground_is_drawn_and_its_popup_names_both_archives(offline_context, server):
    ctx, page, frame = _open(offline_context, server)
    shape = frame.locator(SHAPE)
    shape.wait_for(state="attached", timeout=30_000)
    assert frame.locator(SHAPE).count() == 1
    assert frame.locator(f"{SHAPE}[fill='#DDCC77']").count() == 1  # the style of the second archive's side
    legend = frame.locator(".km-legend")
    expect(legend).to_contain_text("Russian-held in beta, not in alpha")
    shape.focus()
    page.keyboard.press("Enter")
    popup = frame.locator(".leaflet-popup-content .km-popup")
    expect(popup.locator("h4")).to_have_text("Russian-held in beta, not in alpha")
    for text in ("Made up by the alpha tests", "Made up by the beta tests", "11 November 2024", "neither is a fact"):
        expect(popup).to_contain_text(text)
    expect(popup).to_contain_text("km²")
    page.screenshot(path=str(SCREENSHOT_DIR / "disputes-map.png"), full_page=False)
    panel = page.locator("section.km-disputes")
    expect(panel).to_contain_text("Two sources on 11 November 2024: alpha and beta", timeout=30_000)
    assert ctx.problems()["page_errors"] == []


def test_the_panel_reads_at_390_px(offline_context, server):
    ctx, page, _frame = _open(offline_context, server, viewport=(390, 844))
    panel = page.locator("section.km-disputes")
    expect(panel).to_contain_text("Disputed ground within 30 km of Kupiansk", timeout=30_000)
    panel.scroll_into_view_if_needed()
    # Nothing in the panel is wider than the panel, and the two sources' figures stack.
    overflow = panel.evaluate(
        "el => Array.from(el.querySelectorAll('*')).filter(e => e.getBoundingClientRect().right > "
        "el.getBoundingClientRect().right + 1).map(e => e.outerHTML.slice(0, 80))"
    )
    assert overflow == []
    cards = panel.locator(".km-dispute-source")
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first and second and second["y"] >= first["y"] + first["height"] - 1
    size = panel.evaluate("el => parseFloat(getComputedStyle(el.querySelector('dd')).fontSize)")
    assert size >= 16
    panel.screenshot(path=str(SCREENSHOT_DIR / "disputes-panel-390.png"))
    assert ctx.problems()["page_errors"] == []


def test_a_date_one_archive_lacks_is_refused(offline_context, server):
    _ctx, page, frame = _open(offline_context, server)
    page.goto(f"{server.url}?source=alpha&versus=beta&date={(s.START + dt.timedelta(days=2)).isoformat()}")
    frame = map_frame(page, timeout=30_000)
    panel = page.locator("section.km-disputes")
    expect(panel).to_contain_text("No comparison on this date", timeout=30_000)
    expect(panel).to_contain_text("archive 'beta': 2024-11-12 is outside the days it holds")
    expect(panel).not_to_contain_text("km²")
    assert frame.locator(SHAPE).count() == 0
