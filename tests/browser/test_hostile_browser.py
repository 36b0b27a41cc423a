"""Hostile text in the data is shown as literal text in Chromium, and a broken layer harms nothing else."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kupiansk_map.layers.build import DATA_DIR

from .conftest import SCREENSHOT_DIR, map_frame

PAYLOADS = {
    "name": "<script>window.top.__pwned = 'name'</script>Assault",
    "note": "<img src=x onerror=\"window.top.__pwned = 'note'\"> note",
    "source": "javascript:window.top.__pwned='source'",
}


def _hostile_copy(folder: Path) -> Path:
    geo = folder / "geo"
    shutil.copytree(DATA_DIR, geo)
    path = geo / "events.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    for feat in collection["features"]:
        if feat["properties"]["id"] == "assault-2024-11-13":
            feat["properties"].update(PAYLOADS)
    path.write_text(json.dumps(collection), encoding="utf-8")
    places = geo / "places.geojson"
    collection = json.loads(places.read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["name"] = "<b onmouseover=\"window.top.__pwned='label'\">Kup</b>"
    places.write_text(json.dumps(collection), encoding="utf-8")
    return geo


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    return _hostile_copy(tmp_path_factory.mktemp("hostile"))


def test_hostile_text_is_literal_in_popups_tooltips_labels_and_summary(
    start_app, offline_context, hostile_dir, vendored_assets
):
    server = start_app(env={"KUPIANSK_MAP_DATA_DIR": str(hostile_dir)})
    ctx = offline_context()
    page = ctx.new_page()
    page.goto(server.url)
    frame = map_frame(page, timeout=30_000)
    # The summary beside the map quotes the event: as text.
    expect(page.get_by_text("<script>window.top.__pwned = 'name'</script>Assault", exact=False).first).to_be_visible()
    # Open the hostile feature's tooltip and popup as a user would, by hovering and clicking it.
    opened = frame.evaluate("""() => {
        let target = null;
        window.map.eachLayer(l => { if (l.feature && l.feature.properties.id === 'assault-2024-11-13') target = l; });
        if (!target) return false;
        target.fire('mouseover', {latlng: target.getLatLng()}, true);
        target.fire('click', {latlng: target.getLatLng()}, true);
        return true;
    }""")
    assert opened
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("<script>window.top.__pwned = 'name'</script>Assault")
    expect(popup).to_contain_text("<img src=x onerror=")
    expect(popup).to_contain_text("javascript:window.top.__pwned='source'")
    expect(frame.locator(".leaflet-tooltip").filter(has_text="<script>")).to_have_count(1)
    expect(frame.get_by_text("<b onmouseover", exact=False)).to_have_count(1)  # the label shows the markup
    assert frame.locator(".km-label b").count() == 0  # ...and did not become an element
    assert frame.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
    assert frame.locator("a[href^='javascript']").count() == 0 and page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.__pwned") is None and frame.evaluate("window.top.__pwned") is None
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "hostile-text.png"))
    assert ctx.problems()["blocked_requests"] == [] and ctx.problems()["page_errors"] == []


def test_a_corrupt_layer_is_reported_and_the_rest_is_drawn(start_app, offline_context, tmp_path, vendored_assets):
    geo = tmp_path / "geo"
    shutil.copytree(DATA_DIR, geo)
    (geo / "occupied.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    server = start_app(env={"KUPIANSK_MAP_DATA_DIR": str(geo)})
    ctx = offline_context()
    page = ctx.new_page()
    page.goto(server.url)
    frame = map_frame(page, timeout=30_000)
    expect(page.get_by_text("Layer 'occupied' could not be shown", exact=False)).to_be_visible()
    # the broken layer is left out (the whole-front area shares its colour, so shapes are found by name)
    names = {f["properties"]["name"] for f in json.loads((DATA_DIR / "occupied.geojson").read_text())["features"]}
    labels = frame.locator("path[aria-label]").evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert labels and not [label for label in labels if any(label.startswith(name) for name in names)]
    assert frame.locator('path[fill="#0072B2"]').count() >= 1  # the Kursk salient is still drawn
    assert frame.locator('path[stroke="#56B4E9"]').count() == 1  # and the Oskil
    assert ctx.problems()["page_errors"] == []
