"""Twenty sessions at once on loopback: every map draws, memory stays bounded, the data is loaded once.

Bounded in count (20 sessions, one date change each) and time (every wait has a timeout).
"""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import expect

from .conftest import SCREENSHOT_DIR, date_scale

SESSIONS = 20
MAP_IFRAME = "iframe[title*='streamlit_folium']"


def _frame(page):
    handle = page.locator(MAP_IFRAME).first.element_handle(timeout=120_000)
    return handle.content_frame()


def test_twenty_sessions_at_once(start_app, browser, vendored_assets):
    server = start_app()
    idle_rss = server.rss_bytes()
    contexts = [browser.new_context(viewport={"width": 1000, "height": 800}) for _ in range(SESSIONS)]
    pages, errors = [], []
    try:
        for context in contexts:
            context.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                    else route.abort()
                ),
            )
            page = context.new_page()
            page.on("pageerror", lambda error: errors.append(str(error)))
            pages.append(page)
        start = time.monotonic()
        for page in pages:  # all navigations in flight together
            page.goto(server.url, wait_until="commit")
        for page in pages:
            _frame(page).wait_for_selector("path.leaflet-interactive", state="attached", timeout=120_000)
        all_drawn = time.monotonic() - start
        loaded_rss = server.rss_bytes()

        for page in pages:  # every session changes the date
            date_scale(page).press("Home")
        for page in pages:
            expect(page.get_by_text("behind Russian lines", exact=False).first).to_be_visible(timeout=120_000)
            _frame(page).wait_for_selector('path[fill="#D55E00"]', state="attached", timeout=60_000)
        peak_rss = server.rss_bytes()
        pages[-1].screenshot(path=str(SCREENSHOT_DIR / "load-session-20.png"))
    finally:
        for context in contexts:
            context.close()

    stderr = server.stderr_tail(400)
    assert errors == [], errors
    assert "Traceback" not in stderr and "Error" not in stderr.replace("errors", ""), stderr
    assert len(re.findall(r"kupiansk-map: loaded \d+ layers", stderr)) == 1, "the data must be loaded once and shared"
    per_session = (peak_rss - idle_rss) / SESSIONS
    report = {
        "sessions": SESSIONS,
        "seconds_until_all_drawn": round(all_drawn, 2),
        "server_rss_idle_mb": round(idle_rss / 2**20, 1),
        "server_rss_loaded_mb": round(loaded_rss / 2**20, 1),
        "server_rss_peak_mb": round(peak_rss / 2**20, 1),
        "rss_per_session_mb": round(per_session / 2**20, 2),
    }
    SCREENSHOT_DIR.parent.mkdir(parents=True, exist_ok=True)
    (SCREENSHOT_DIR.parent / "load-report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(report)
    assert per_session < 25 * 2**20, report  # bounded: sessions share the layers, not copy them
    assert peak_rss < 1.5 * 2**30, report
