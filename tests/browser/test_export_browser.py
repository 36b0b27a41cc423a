"""Exported maps in Chromium, opened from file:// offline: each page says in its title and on the map which date
and view it shows (``kupiansk-map export --html`` and the map pages of ``export --site``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page

from .conftest import ROOT, SCREENSHOT_DIR

DRAWN_TIMEOUT_MS = 10_000


def export(*args: str) -> None:
    """Run ``kupiansk-map export`` as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "kupiansk_map", "export", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def single_map(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "kupiansk-13-nov.html"
    export("--html", str(path), "--date", "2024-11-13", "--view", "kupiansk")
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("export") / "site"
    export("--site", str(folder))
    return folder


def open_page(offline_context, path: Path, viewport: tuple[int, int]):
    ctx = offline_context(viewport=viewport)
    page = ctx.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=DRAWN_TIMEOUT_MS)
    return ctx, page


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def assert_labelled(page: Page, viewport: tuple[int, int], *, date: str, view: str) -> None:
    """The label box is visible, inside the viewport, names the date and the view, is large enough to read, and
    covers neither the legend nor the zoom buttons."""
    label = page.locator(".km-map-label")
    assert label.count() == 1 and label.is_visible()
    text = label.inner_text()
    assert date in text and view in text, text
    box = label.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= viewport[0] and box["y"] + box["height"] <= viewport[1], (box, viewport)
    date_px = page.locator(".km-map-label-date").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert date_px >= 16, f"the date is set in {date_px}px"
    for other in (".km-legend", ".leaflet-control-zoom"):
        other_box = page.locator(other).bounding_box()
        assert other_box is not None, other
        assert not overlaps(box, other_box), (other, box, other_box)


@pytest.mark.parametrize("viewport", [(1400, 900), (1024, 768), (390, 844)], ids=lambda v: f"{v[0]}x{v[1]}")
def test_a_single_map_export_names_its_date_and_view(offline_context, single_map, viewport):
    ctx, page = open_page(offline_context, single_map, viewport)
    assert page.title() == "13 November 2024 — Kupiansk"
    assert_labelled(page, viewport, date="13 November 2024", view="Kupiansk")
    page.screenshot(path=str(SCREENSHOT_DIR / f"export-map-{viewport[0]}x{viewport[1]}.png"))
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_site_map_pages_name_their_date_and_view(offline_context, site):
    viewport = (1400, 900)
    ctx, page = open_page(offline_context, site / "maps" / "overview-2022-09-10.html", viewport)
    assert page.title() == "10 September 2022 — Overview: the whole front"
    assert_labelled(page, viewport, date="10 September 2022", view="Overview: the whole front")
    page.screenshot(path=str(SCREENSHOT_DIR / "export-site-overview-2022-09-10.png"))
    page.goto((site / "maps" / "kursk-2024-11-13.html").as_uri())
    page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=DRAWN_TIMEOUT_MS)
    assert page.title() == "13 November 2024 — Kursk salient"
    assert_labelled(page, viewport, date="13 November 2024", view="Kursk salient")
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_site_index_and_story_pages_have_titles_of_their_own(offline_context, site):
    ctx = offline_context(viewport=(1400, 900))
    ctx.context.set_offline(True)  # the story asks for OSM tiles while the browser says it is online
    page = ctx.new_page()
    seen = []
    for name in ("index.html", "story/en.html", "story/uk.html"):
        page.goto((site / name).as_uri())
        seen.append(page.title())
    assert all(seen) and len(set(seen)) == len(seen), seen
    # The story page names its chapter and the chapter's date on screen.
    page.goto((site / "story" / "en.html").as_uri() + "#chapter=7")
    page.wait_for_selector("body[data-ready='7']", state="attached", timeout=DRAWN_TIMEOUT_MS)
    assert page.locator("#km-title").inner_text() and page.locator("#km-map-date").is_visible()
    assert ctx.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}
