"""The honest timeline in Chromium: on a date our sources do not describe, the page says the Kupiansk sector is
not mapped (naming the mapped ranges), and the map draws no occupied area or front line for it."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from kupiansk_map.model import features_on
from kupiansk_map.web.style import legend_key

from .conftest import SCREENSHOT_DIR, map_frame

LEGEND_KEYS = "Array.from(document.querySelectorAll('.km-legend .km-row')).map(r => r.dataset.key)"
OCCUPIED_FILL = "#D55E00"
RANGES = "27 February 2022 – 31 December 2022, 1 November 2024 – 14 November 2024"


@pytest.mark.parametrize("day", ["2024-08-06", "2023-06-01"])  # a key date on the slider, and a date from a link
def test_a_gap_date_shows_not_mapped_and_no_occupied_area(offline_context, app_server, layers, day):
    ctx = offline_context(viewport=(1400, 1800))
    page = ctx.new_page()
    page.goto(f"{app_server.url}?date={day}&view=kupiansk")
    frame = map_frame(page, timeout=30_000)
    when = dt.date.fromisoformat(day)
    words = f"{when.day} {when:%B %Y}"
    figures = page.locator("section[aria-label='Figures']")
    expect(figures).to_contain_text(f"The Kupiansk sector is not mapped on {words}; mapped: {RANGES}.", timeout=30_000)
    distance = figures.locator("[data-figure='city_to_front_km'] dd")
    expect(distance).to_have_text("not mapped on this date")
    summary = page.locator(".st-key-km_summary")
    expect(summary).to_contain_text("Kupiansk sector: not mapped on this date")
    expect(summary).not_to_contain_text("km from the city at its nearest point")
    # What the map draws: the layers valid that day, and among them no occupied ground or front in the sector.
    expected = {legend_key("events", f["properties"]) for f in features_on(layers["events"]["features"], when)}
    frame.wait_for_function(f"({LEGEND_KEYS}).includes('places')", timeout=15_000)
    drawn = set(frame.evaluate(LEGEND_KEYS))
    assert not drawn & {"occupied", "front_line", "front_buffer"}, drawn
    assert expected <= drawn
    fills = frame.evaluate(
        "Array.from(document.querySelectorAll('path.leaflet-interactive')).map(p => p.getAttribute('fill'))"
    )
    assert fills and OCCUPIED_FILL.lower() not in {(f or "").lower() for f in fills}
    page.screenshot(path=str(SCREENSHOT_DIR / f"not-mapped-{day}.png"), full_page=False)
    assert ctx.problems()["page_errors"] == []
