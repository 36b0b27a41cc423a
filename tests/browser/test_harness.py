"""The offline browser harness works: folium maps draw from the vendored assets with every non-local request
blocked, both inside streamlit-folium's iframe and as a standalone HTML file opened from file://."""

from __future__ import annotations

import shutil
import textwrap
import time
from pathlib import Path

import folium

from kupiansk_map.web.assets import INLINE_URL, NOT_VENDORED, inline_html, localize

from .conftest import SCREENSHOT_DIR, map_frame

POLYGON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "test area"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[37.55, 49.68], [37.68, 49.68], [37.68, 49.74], [37.55, 49.74], [37.55, 49.68]]],
            },
        }
    ],
}

APP = textwrap.dedent(f"""\
    import folium
    import streamlit as st
    from folium import plugins
    from streamlit_folium import st_folium

    from kupiansk_map.web.assets import localize

    st.title("harness")
    m = folium.Map(location=[49.7, 37.6], zoom_start=10, tiles=None)
    folium.GeoJson({POLYGON!r}, tooltip=folium.GeoJsonTooltip(["name"]),
                   popup=folium.GeoJsonPopup(["name"])).add_to(m)
    folium.Marker([49.71, 37.61], icon=folium.Icon(icon="flag", prefix="fa")).add_to(m)
    folium.Marker([49.69, 37.59]).add_to(m)
    plugins.Fullscreen().add_to(m)
    plugins.MeasureControl().add_to(m)
    plugins.MousePosition().add_to(m)
    dropped = localize(m)
    st.write("dropped:", dropped)
    st_folium(m, key="m", returned_objects=[], height=500)
""")


def test_streamlit_map_draws_offline(tmp_path: Path, vendored_assets: Path, start_app, offline_context) -> None:
    (tmp_path / "app.py").write_text(APP)
    # Streamlit serves static/ next to the script, and answers symlinks with HTTP 400: copy.
    shutil.copytree(vendored_assets, tmp_path / "static" / "vendor")
    server = start_app(script=tmp_path / "app.py")
    offline = offline_context()
    page = offline.new_page()

    started = time.monotonic()
    page.goto(server.url, wait_until="domcontentloaded", timeout=20_000)
    frame = map_frame(page, timeout=15_000)
    drawn_after = time.monotonic() - started

    assert frame.locator("path.leaflet-interactive").count() >= 1
    for control in (".leaflet-control-zoom-fullscreen", ".leaflet-control-measure", ".leaflet-control-mouseposition"):
        assert frame.locator(control).count() == 1, f"{control} missing: a plugin script did not run"
    assert frame.locator("div.awesome-marker[class*=awesome-marker-icon-]").count() == 1
    frame.wait_for_function(
        """() => [...document.querySelectorAll('img.leaflet-marker-icon')]
        .some(img => img.complete && img.naturalWidth > 0)""",
        timeout=5_000,
    )  # Leaflet's default icon
    # Font Awesome's font came from the vendored webfonts folder.
    frame.evaluate("document.fonts.ready")
    assert frame.evaluate("""() => [...document.fonts].some(
        f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded')""")
    page.wait_for_load_state("networkidle", timeout=5_000)  # CSS background images load last
    assert "rulers.png" in frame.eval_on_selector(
        ".leaflet-control-measure-toggle", "e => getComputedStyle(e).backgroundImage"
    )
    page.screenshot(path=str(SCREENSHOT_DIR / "harness-streamlit.png"))
    assert page.get_by_text(next(iter(NOT_VENDORED))).count() == 1  # the app reported what localize dropped
    assert offline.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}
    assert drawn_after < 15
    assert server.rss_bytes() > 10 * 2**20


def test_inlined_html_draws_from_file_url(tmp_path: Path, vendored_assets: Path, offline_context) -> None:
    m = folium.Map(location=[49.7, 37.6], zoom_start=10, tiles=None)
    folium.GeoJson(POLYGON, tooltip="test area").add_to(m)
    folium.Marker([49.71, 37.61]).add_to(m)  # Leaflet's default icon
    folium.Marker([49.69, 37.59], icon=folium.Icon(icon="flag", prefix="fa")).add_to(m)
    assert localize(m, base_url=INLINE_URL) == list(NOT_VENDORED)
    html = inline_html(m.get_root().render(), source=vendored_assets)
    out = tmp_path / "x.html"
    out.write_text(html, encoding="utf-8")

    offline = offline_context()
    page = offline.new_page()
    page.goto(out.as_uri(), wait_until="load", timeout=10_000)
    page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=10_000)
    page.evaluate("document.fonts.ready")

    # Both marker icons (default: data: URL images; awesome: inlined CSS sprite) and the FA font loaded.
    widths = page.eval_on_selector_all("img.leaflet-marker-icon", "els => els.map(e => e.naturalWidth)")
    assert widths and all(w > 0 for w in widths)
    assert page.locator("div.awesome-marker[class*=awesome-marker-icon-]").count() == 1
    assert page.evaluate("""() => [...document.fonts].some(
        f => f.family.includes('Font Awesome 6 Free') && f.status === 'loaded')""")
    page.screenshot(path=str(SCREENSHOT_DIR / "harness-inline.png"))
    assert offline.problems() == {"blocked_requests": [], "console_errors": [], "page_errors": []}


def test_offline_context_blocks_and_records(offline_context, tmp_path: Path) -> None:
    """The guard itself: remote requests and web sockets are blocked and recorded; console errors (also from an
    iframe) and uncaught errors are collected.

    The hosts are in the reserved .invalid domain, so nothing could be reached even if the guard failed.
    """
    page_file = tmp_path / "cdn.html"
    page_file.write_text(
        '<html><head><script src="https://cdn.example.invalid/leaflet.js"></script></head><body>'
        "<script>new WebSocket('wss://ws.example.invalid/x'); console.error('outer boom')</script>"
        """<iframe srcdoc="<script>console.error('inner boom')</script>"></iframe>"""
        "<script>throw new Error('uncaught boom')</script></body></html>"
    )
    offline = offline_context(viewport=(400, 300))
    page = offline.new_page()
    page.goto(page_file.as_uri(), wait_until="load", timeout=10_000)
    deadline = time.monotonic() + 5
    while len(offline.blocked_requests) < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert "https://cdn.example.invalid/leaflet.js" in offline.blocked_requests
    assert any(url.startswith("wss://ws.example.invalid/") for url in offline.blocked_requests)
    assert any("outer boom" in e for e in offline.console_errors)
    assert any("inner boom" in e for e in offline.console_errors)
    assert any("uncaught boom" in e for e in offline.page_errors)
    assert page.viewport_size == {"width": 400, "height": 300}


def test_loopback_only_flag_stops_every_other_host_resolving(browser, chromium_path, tmp_path: Path) -> None:
    """The benchmark's offline guard: with ``LOOPBACK_ONLY_ARGS`` a host that resolves on this machine (its own
    name, from /etc/hosts) no longer does, while 127.0.0.1 still serves. Without the flag the same URL loads."""
    import functools
    import http.server
    import socket
    import threading
    from types import SimpleNamespace

    from playwright.sync_api import Error

    from kupiansk_map.export.chromium import LOOPBACK_ONLY_ARGS, launch

    (tmp_path / "index.html").write_text("<title>here</title>", encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("0.0.0.0", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    own_name = socket.gethostname()
    playwright = SimpleNamespace(chromium=browser.browser_type)  # the session's running Playwright
    try:
        for extra, reachable in (((), True), (LOOPBACK_ONLY_ARGS, False)):
            other = launch(playwright, executable=chromium_path, extra_args=extra)
            page = other.new_page()
            page.goto(f"http://127.0.0.1:{port}/index.html", timeout=10_000)
            assert page.title() == "here"
            try:
                page.goto(f"http://{own_name}:{port}/index.html", timeout=10_000)
                loaded = page.title() == "here"
            except Error as error:
                assert "ERR_NAME_NOT_RESOLVED" in str(error)
                loaded = False
            assert loaded is reachable, (extra, own_name)
            other.close()
    finally:
        server.shutdown()
