"""An archive of the store as the map's source, in offline Chromium: served with ``serve --store``, picked in the
sidebar or by ``?source=``, its shapes drawn with popups that name it, and a URL date outside it refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from archive_samples import days, write_owlmaps
from playwright.sync_api import expect

from kupiansk_map.ingest import archive_store

from .conftest import SCREENSHOT_DIR, map_frame


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser-sources")
    path = root / "store.gpkg"
    archive_store.import_archive(
        write_owlmaps(root / "owl", days([0, 1, 2, 3, 4, None, 5, 6, 7, 8])),
        name="owl",
        store=path,
        attribution="Made-up tracker for tests",
    )
    return path


def test_an_archive_source_is_drawn_with_its_provenance(offline_context, start_app, store):
    server = start_app(args=("--store", str(store)))  # the CLI option, not the environment variable
    ctx = offline_context(viewport=(1400, 1000))
    page = ctx.new_page()
    page.goto(server.url + "?source=owl&date=2024-11-12")
    frame = map_frame(page, timeout=30_000)
    shape = frame.locator("path.leaflet-interactive[aria-label*='owl']").first
    expect(shape).to_be_attached(timeout=30_000)
    shape.focus()
    shape.press("Enter")
    popup = frame.locator(".km-popup").last
    expect(popup).to_be_visible(timeout=10_000)
    text = popup.inner_text()
    assert "owl" in text and "Made-up tracker for tests" in text and "Assessed" in text, text
    assert "assessment, not a fact" in text
    expect(page.get_by_text("the owl archive's assessment", exact=False).first).to_be_visible(timeout=30_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "source-archive.png"))
    # The built-in explainer's shapes are gone, the city outline (context) stays.
    labels = frame.locator("path.leaflet-interactive[aria-label]").evaluate_all("ps => ps.map(p => p.ariaLabel)")
    assert not any("Salient at about 600" in label or "November 2024 (Schematic" in label for label in labels), labels
    assert any(label.startswith("Kupiansk") for label in labels), labels
    assert ctx.problems()["page_errors"] == []


def test_the_sidebar_switches_source_and_a_url_date_outside_is_refused(offline_context, start_app, store):
    server = start_app(env={"KUPIANSK_MAP_STORE": str(store)})
    ctx = offline_context(viewport=(1400, 1000))
    page = ctx.new_page()
    page.goto(server.url + "?source=owl&date=2030-01-01")
    map_frame(page, timeout=30_000)
    warning = page.get_by_text("2030-01-01 is outside the dates of source owl", exact=False)
    expect(warning).to_be_visible(timeout=30_000)
    page.wait_for_function(
        "location.href.includes('date=2024-11-13') && location.href.includes('source=owl')", timeout=15_000
    )
    # Back to the built-in explainer through the sidebar's picker.
    page.get_by_role("combobox", name="Source of the situation").click()
    page.get_by_role("option", name="Built-in explainer (schematic)").click()
    page.wait_for_function("!location.href.includes('source=')", timeout=15_000)
    frame = map_frame(page, timeout=30_000)
    expect(frame.locator("path.leaflet-interactive[aria-label*='Salient at about 600']").first).to_be_attached(
        timeout=30_000
    )
    assert dt.date.fromisoformat(page.evaluate("new URL(location.href).searchParams.get('date')")) == dt.date(
        2024, 11, 13
    )
