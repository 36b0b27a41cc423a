"""What a first-time user reads off the map, in Chromium: the legend follows what is drawn, claim labels say what
is claimed, bands carry their distances, uploads have their own colours, measurements have units, the keyboard
meets only named stops, failing tiles are explained, and the presenter's map text is large enough."""

from __future__ import annotations

import datetime as dt
import json
import re

from playwright.sync_api import Frame, Page, expect

from kupiansk_map.model import features_on
from kupiansk_map.story.chapters import load_story
from kupiansk_map.web import assets
from kupiansk_map.web.render import base_map, situation_groups
from kupiansk_map.web.style import UPLOAD_COLORS, legend_key
from kupiansk_map.web.views import DEFAULT_STATE

from .conftest import ROOT, SCREENSHOT_DIR, date_scale, map_frame

EARLIEST = dt.date(2022, 2, 27)  # the slider's Home key
LEGEND_KEYS = "Array.from(document.querySelectorAll('.km-legend .km-row')).map(r => r.dataset.key)"


def _open(offline_context, server, query: str = "", *, viewport=(1400, 900)) -> tuple[Page, Frame, object]:
    ctx = offline_context(viewport=viewport)
    page = ctx.new_page()
    page.goto(server.url + query)
    return page, map_frame(page, timeout=30_000), ctx


def _map_shot(page: Page, frame: Frame, name: str) -> None:
    """A screenshot of the map alone, with its legend open."""
    frame.evaluate("document.querySelector('.km-legend').open = true")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.locator("iframe[title*='streamlit_folium']").screenshot(path=str(SCREENSHOT_DIR / name))


def _expected_keys(layers: dict, day: dt.date, layer_ids) -> set[str]:
    return {
        legend_key(layer_id, f["properties"])
        for layer_id in layer_ids
        for f in features_on(layers[layer_id]["features"], day)
    }


def _legend_keys(frame: Frame) -> set[str]:
    return set(frame.evaluate(LEGEND_KEYS))


def _wait_for_keys(frame: Frame, expected: set[str]) -> None:
    wanted = json.dumps(sorted(expected), separators=(",", ":"))
    frame.wait_for_function(f"JSON.stringify(({LEGEND_KEYS}).sort()) === {json.dumps(wanted)}", timeout=15_000)


def test_the_legend_lists_what_is_drawn_and_follows_the_date(offline_context, app_server, layers):
    page, frame, ctx = _open(offline_context, app_server)
    expected = _expected_keys(layers, DEFAULT_STATE.date, DEFAULT_STATE.layers)
    _wait_for_keys(frame, expected)
    assert {"events:claimed-ua", "events:claimed-ru", "kursk_salient", "railways", "state_border"} <= expected
    _map_shot(page, frame, "legend-13-nov-2024.png")

    frame.evaluate("window.__same_document = true")
    date_scale(page).press("Home")
    earlier = _expected_keys(layers, EARLIEST, DEFAULT_STATE.layers)
    assert "kursk_salient" not in earlier and "events:claimed-ru" not in earlier
    _wait_for_keys(frame, earlier)
    assert frame.evaluate("window.__same_document === true"), "the map iframe was rebuilt"
    # Each row's swatch is drawn in the colour of what it stands for.
    swatch = frame.locator(".km-legend .km-row[data-key='occupied'] rect")
    assert swatch.get_attribute("fill") == "#D55E00"

    page.locator("[data-testid='stSidebar']").get_by_text("Railways", exact=True).click()  # switched off: gone
    _wait_for_keys(frame, earlier - {"railways"})
    assert ctx.problems()["page_errors"] == []


def test_claim_labels_say_what_is_claimed(offline_context, app_server):
    _page, frame, _ctx = _open(offline_context, app_server)
    labels = frame.locator(".leaflet-tooltip.km-claim")
    expect(labels.filter(has_text="Ukraine claims: assault repelled, city held (unverified)")).to_have_count(1)
    expect(labels.filter(has_text="Russia claims: foothold on the city's outskirts (unverified)")).to_have_count(1)


def test_bands_are_labelled_and_uploads_each_have_a_colour_and_a_legend_row(offline_context, app_server, tmp_path):
    page, frame, ctx = _open(offline_context, app_server, "?analyst=1")
    page.get_by_role("tab", name="Distance bands").click()
    page.get_by_text("Show the bands on the map").click()
    bands = frame.locator(".leaflet-tooltip.km-band-label")
    expect(bands).to_have_count(4, timeout=20_000)
    assert [b.inner_text() for b in bands.all()] == ["2.5 km", "5 km", "10 km", "20 km"]
    expect(frame.locator(".km-legend .km-row[data-key='bands']")).to_have_count(1)

    files = []
    for i, name in enumerate(("north.geojson", "south.geojson")):
        west = 37.50 + 0.08 * i
        ring = [[west, 49.75], [west + 0.05, 49.75], [west + 0.05, 49.78], [west, 49.78], [west, 49.75]]
        path = tmp_path / name
        path.write_text(
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"name": name},
                            "geometry": {"type": "Polygon", "coordinates": [ring]},
                        }
                    ],
                }
            )
        )
        files.append(str(path))
    page.get_by_role("tab", name="Your own layers").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(files)
    for i, name in enumerate(("north.geojson", "south.geojson")):
        expect(frame.locator(f'path[fill="{UPLOAD_COLORS[i]}"]')).to_have_count(1, timeout=30_000)
        row = frame.locator(f".km-legend .km-row[data-key='upload:{i}']")
        expect(row).to_have_text(f"Upload: {name}")
        assert row.locator("rect").get_attribute("fill") == UPLOAD_COLORS[i]
    _map_shot(page, frame, "bands-and-uploads.png")

    page.get_by_role("tab", name="Distance bands").click()
    page.get_by_text("Show the bands on the map").click()  # off again: the row and the labels leave
    expect(frame.locator(".km-legend .km-row[data-key='bands']")).to_have_count(0, timeout=20_000)
    expect(bands).to_have_count(0)
    assert ctx.problems()["page_errors"] == []


def test_every_tab_stop_in_the_map_has_a_name(offline_context, app_server):
    page, frame, _ctx = _open(offline_context, app_server)
    page.locator("iframe[title*='streamlit_folium']").focus()
    stops = []
    for _ in range(200):
        page.keyboard.press("Tab")
        stop = frame.evaluate("""() => {
            const e = document.activeElement;
            if (!e || e === document.body) return null;
            const name = e.getAttribute('aria-label') || e.getAttribute('title') || (e.tagName !== 'DIV' &&
                e.textContent.trim()) || '';
            return {tag: e.tagName, name: name};
        }""")
        if stop is None:
            if stops:
                break
            continue
        stops.append(stop)
    assert len(stops) > 10, stops  # the container, each shape, the zoom buttons, the legend
    unnamed = [s for s in stops if not s["name"].strip()]
    assert unnamed == [], f"{len(unnamed)} of {len(stops)} tab stops have no accessible name"
    assert any(s["tag"] == "path" and "Ukraine: assault repelled" in s["name"] for s in stops)
    # Enter on a focused shape opens its details.
    frame.locator("path[aria-label='Kupiansk (Schematic shape)']").focus()
    page.keyboard.press("Enter")
    expect(frame.locator(".leaflet-popup-content .km-popup h4")).to_have_text("Kupiansk")


def _standalone(tmp_path, fmap, name: str) -> str:
    assets.localize(fmap, base_url=assets.INLINE_URL)
    path = tmp_path / name
    path.write_text(assets.inline_html(fmap.get_root().render()), encoding="utf-8")
    return path.as_uri()


def test_measured_areas_and_distances_have_units(offline_context, tmp_path):
    url = _standalone(tmp_path, base_map(offline=True, measure=True), "measure.html")
    ctx = offline_context(viewport=(1024, 768))
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(".leaflet-control-measure")
    page.locator(".leaflet-control-measure").hover()
    page.get_by_text("Create a new measurement").click()
    for x, y in ((400, 300), (600, 300), (600, 450)):
        page.mouse.click(x, y)
    results = page.locator(".leaflet-control-measure .results")
    expect(results).to_contain_text("km²")
    text = results.inner_text()
    assert re.search(r"Area\s+[\d,.]+ km² \([\d,.]+ ha\)", text), text
    assert re.search(r"Path distance\s+[\d,.]+ km \([\d,.]+ m\)", text), text
    page.screenshot(path=str(SCREENSHOT_DIR / "measure-units.png"))


def test_presenter_map_text_is_at_least_16px(offline_context, app_server):
    story = load_story()
    chapter = next(
        c for c in story.chapters if "events" in c.layers and "places" in c.layers and c.date == DEFAULT_STATE.date
    )
    page, frame, _ctx = _open(
        offline_context, app_server, f"?mode=present&chapter={chapter.number}&lang=en", viewport=(1024, 768)
    )
    expect(frame.locator(".leaflet-tooltip.km-claim").first).to_be_attached(timeout=20_000)
    sizes = frame.evaluate("""() => ({
        labels: Array.from(document.querySelectorAll('.leaflet-tooltip.km-label')).map(
            e => parseFloat(getComputedStyle(e).fontSize)),
        legend: Array.from(document.querySelectorAll('.km-legend summary, .km-legend .km-row-label')).map(
            e => parseFloat(getComputedStyle(e).fontSize))})""")
    assert sizes["labels"] and sizes["legend"], sizes
    assert min(sizes["labels"]) >= 16 and min(sizes["legend"]) >= 16, sizes
    page.screenshot(path=str(SCREENSHOT_DIR / "presenter-1024x768.png"))
    _map_shot(page, frame, "presenter-map-1024x768.png")


def test_the_normal_map_keeps_its_smaller_type(offline_context, tmp_path, layers):
    fmap = base_map(offline=True)
    for group in situation_groups(layers, DEFAULT_STATE):
        group.add_to(fmap)
    page = offline_context(viewport=(1400, 900)).new_page()
    page.goto(_standalone(tmp_path, fmap, "normal.html"))
    page.wait_for_selector(".leaflet-tooltip.km-label", state="attached")
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.km-label')).fontSize)") < 16


def test_unreachable_tiles_are_explained_and_replaced_by_our_context_layers(
    offline_context, start_app, vendored_assets
):
    # The app online (no --offline), in a browser that cannot reach the tile server; context layers switched off.
    server = start_app(script=ROOT / "app.py")
    page, frame, ctx = _open(offline_context, server, "?layers=occupied,front_line,events")
    expect(frame.locator(".km-notice")).to_be_visible(timeout=20_000)
    expect(frame.locator(".km-notice")).to_contain_text("Map tiles could not be loaded")
    assert "km-no-tiles" in frame.locator(".leaflet-container").get_attribute("class")
    assert "km-tiles-failed" in frame.locator(".leaflet-container").get_attribute("class")
    assert any("tile.openstreetmap.org" in url for url in ctx.blocked_requests)
    for key in ("oskil", "railways", "state_border", "places"):
        expect(frame.locator(f".km-legend .km-row[data-key='{key}']")).to_have_count(1)
    expect(frame.locator("path[aria-label='Oskil river (Assessed)']")).to_have_count(1)
    expect(frame.locator(".leaflet-tooltip.km-city").filter(has_text="Kupiansk")).to_have_count(1)
    _map_shot(page, frame, "tiles-unreachable.png")
