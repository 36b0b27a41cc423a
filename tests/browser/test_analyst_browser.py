"""Analyst tools in Chromium: measuring, uploads drawn beside our layers, bad uploads explained, sessions apart."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from kupiansk_map.web.style import UPLOAD_COLORS

from .conftest import SCREENSHOT_DIR, map_frame

UPLOAD_FILL = f'path[fill="{UPLOAD_COLORS[0]}"]'  # the first upload's colour


def _square(name: str) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "valid_from": "2024-11-01", "valid_to": "2024-11-15"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[37.55, 49.75], [37.60, 49.75], [37.60, 49.78], [37.55, 49.78], [37.55, 49.75]]],
                },
            }
        ],
    }


def _open_uploads_tab(page):
    page.get_by_role("tab", name="Your own layers").click()


def test_measure_tools_and_uploads(offline_context, app_server, tmp_path):
    good = tmp_path / "my-area.geojson"
    good.write_text(json.dumps(_square("<img src=x onerror=alert(1)> my area")), encoding="utf-8")
    bad = tmp_path / "broken.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")

    ctx = offline_context()
    page = ctx.new_page()
    page.goto(app_server.url + "?analyst=1")
    frame = map_frame(page, timeout=30_000)
    expect(frame.locator(".leaflet-control-measure")).to_be_attached()
    expect(frame.locator(".leaflet-control-mouseposition")).to_be_attached()
    assert frame.locator(UPLOAD_FILL).count() == 0

    _open_uploads_tab(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files([str(good), str(bad)])
    expect(frame.locator(UPLOAD_FILL)).to_have_count(1, timeout=30_000)
    expect(page.get_by_text("broken.geojson", exact=False).first).to_be_visible()
    warning = page.locator("[data-testid='stAlert']").filter(has_text="broken.geojson")
    expect(warning.first).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "uploads.png"), full_page=True)

    # Another user's session sees none of it.
    other = offline_context().new_page()
    other.goto(app_server.url + "?analyst=1")
    other_frame = map_frame(other, timeout=30_000)
    assert other_frame.locator(UPLOAD_FILL).count() == 0
    _open_uploads_tab(other)
    expect(other.get_by_text("broken.geojson", exact=False)).to_have_count(0)
    assert ctx.problems()["page_errors"] == [] and ctx.problems()["blocked_requests"] == []


def _archive(path, days=5):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for day in range(days):
            east = 37.78 + 0.01 * (day // 2)
            ring = [[east, 49.66], [37.95, 49.66], [37.95, 49.80], [east, 49.80], [east, 49.66]]
            archive.writestr(
                f"archive/2024-11-{13 + day:02d}.geojson",
                json.dumps(
                    {
                        "type": "FeatureCollection",
                        "features": [
                            {
                                "type": "Feature",
                                "properties": {},
                                "geometry": {"type": "Polygon", "coordinates": [ring]},
                            }
                        ],
                    }
                ),
            )
        archive.writestr("archive/2024-11-20.geojson", "{broken")


def test_a_snapshot_archive_is_imported_with_progress_and_drawn_beside(offline_context, app_server, tmp_path):
    zipped = tmp_path / "daily.zip"
    _archive(zipped)
    ctx = offline_context()
    page = ctx.new_page()
    page.goto(app_server.url + "?analyst=1")
    frame = map_frame(page, timeout=30_000)
    page.get_by_role("tab", name="Snapshot archives").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").last.set_input_files(str(zipped))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("day(s) imported", exact=False)).to_be_visible(timeout=60_000)
    expect(page.get_by_text("2024-11-20", exact=False).first).to_be_visible()  # the corrupt day is reported
    page.get_by_text("Beside the built-in layers").click()
    expect(frame.locator('path[stroke-dasharray="6 3"]')).to_have_count(1, timeout=30_000)
    assert ctx.problems()["page_errors"] == []
