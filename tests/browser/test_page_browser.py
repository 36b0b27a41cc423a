"""The explore page as a new user first sees it, in Chromium at a desktop, a projector and a phone size.

Measured with bounding boxes: the figures follow the map, bad links give one short message above the map,
dates read in one long style, and the analyst tables and series chart carry readable labels that fit. (The
Kursk chart's state with no reported figure: test_history_browser.)
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from kupiansk_map.analysis.compare import ROW_LABELS
from kupiansk_map.analysis.stats import FIGURE_LABELS

from .conftest import SCREENSHOT_DIR, TIMELINE_IFRAME, map_frame

MAP_IFRAME = "iframe[title*='streamlit_folium']"
SIZES = ((1400, 900), (1024, 768), (390, 844))
MAX_GAP_PX = 120
# Five values that cannot be used, one for each setting of the explore page's link (one good layer is kept, so
# that the map has something to draw), and how the message names each.
BAD_VALUES = {"date": "2024-13-45", "view": "moon", "layers": "occupied,nolayer", "buffer_km": "999", "basemap": "foo"}
NAMED = (
    "date: '2024-13-45'",
    "view: 'moon'",
    "layers: unknown layer(s) 'nolayer'",
    "buffer_km: '999'",
    "basemap: 'foo'",
)
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
SHORT_DATE = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b")
# The name the data gives its news source; a citation, not a date the page states.
SOURCE_NAME = "Reuters, 14 Nov 2024"


def _open(offline_context, app_server, query: str = "", *, size: tuple[int, int] = (1400, 900)):
    ctx = offline_context(viewport=size)
    page = ctx.new_page()
    page.goto(app_server.url + query)
    frame = map_frame(page, timeout=30_000)
    return page, frame, ctx


def _box(page: Page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} has no box"
    return box


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_figures_follow_the_map_and_the_summary_stays_readable(offline_context, app_server, size):
    page, _, ctx = _open(offline_context, app_server, size=size)
    figures = page.locator("section[aria-label='Figures']")
    expect(figures).to_be_visible()
    map_box, figures_box = _box(page, MAP_IFRAME), figures.bounding_box()
    # The date control comes right under the map, and the figures right under it.
    control_top, scale = _box(page, ".st-key-km_date_steps")["y"], _box(page, TIMELINE_IFRAME)
    gap = control_top - (map_box["y"] + map_box["height"])
    assert 0 <= gap <= MAX_GAP_PX, f"the date control starts {gap:.0f} px below the map at {size}"
    gap = figures_box["y"] - (scale["y"] + scale["height"])
    assert 0 <= gap <= MAX_GAP_PX, f"the figures start {gap:.0f} px below the date control at {size}"

    summary = page.get_by_role("heading", name="The situation on 13 November 2024")
    expect(summary).to_be_visible()
    # Found through the accessibility tree, so a screen reader reaches every sentence.
    items = page.locator(".st-key-km_summary").get_by_role("listitem")
    expect(items.first).to_contain_text("On 13 November 2024 Ukraine held Kupiansk")
    assert items.count() >= 5
    for index in range(items.count()):
        expect(items.nth(index)).to_be_visible()
    block = _box(page, ".st-key-km_summary")
    assert block["width"] >= min(size[0] - 40, 500), f"the summary is squeezed into {block['width']:.0f} px"
    # Cut off would mean: hidden overflow (or a scroll box) smaller than the text it holds.
    clipped = page.locator(".st-key-km_summary, .st-key-km_summary li").evaluate_all(
        "els => els.filter(e => getComputedStyle(e).overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 1)"
        ".length"
    )
    assert clipped == 0, "the summary is cut off"
    figures.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT_DIR / f"page-figures-under-map-{size[0]}.png"))
    assert ctx.problems()["page_errors"] == []


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_five_bad_link_values_give_one_message_above_the_map(offline_context, app_server, size):
    query = "?" + "&".join(f"{key}={value}" for key, value in BAD_VALUES.items())
    page, _, ctx = _open(offline_context, app_server, query, size=size)
    messages = page.locator("[data-testid='stAlert']").filter(has_text=re.compile("link", re.IGNORECASE))
    expect(messages).to_have_count(1)
    for text in NAMED:
        expect(messages).to_contain_text(text)
    map_top = _box(page, MAP_IFRAME)["y"]
    assert map_top + 100 <= size[1], f"the map starts at {map_top:.0f} px, below the fold of {size[1]} px"
    page.screenshot(path=str(SCREENSHOT_DIR / f"page-bad-link-{size[0]}.png"))
    assert ctx.problems()["page_errors"] == []


def test_bad_link_values_give_one_message_in_presenter_mode(offline_context, app_server):
    bad = {"chapter": "99", "lang": "xx", "date": "2024-13-45", "view": "moon", "basemap": "foo"}
    query = "?mode=present&" + "&".join(f"{key}={value}" for key, value in bad.items())
    page, _, ctx = _open(offline_context, app_server, query, size=(1024, 768))
    messages = page.locator("[data-testid='stAlert']").filter(has_text=re.compile("link", re.IGNORECASE))
    expect(messages).to_have_count(1)
    for key, value in bad.items():
        expect(messages).to_contain_text(f"{key}: '{value}'")
    assert _box(page, MAP_IFRAME)["y"] + 100 <= 768
    page.screenshot(path=str(SCREENSHOT_DIR / "page-bad-link-presenter.png"))
    assert ctx.problems()["page_errors"] == []


def test_dates_read_in_one_long_style(offline_context, app_server):
    page, frame, ctx = _open(offline_context, app_server, "?analyst=1")
    expect(page.locator("section[aria-label='Figures'] h3")).to_have_text("Figures for 13 November 2024")
    expect(page.get_by_role("heading", name="The situation on 13 November 2024")).to_be_visible()
    expect(page.get_by_text("Dashed line: the chosen date, 13 November 2024.", exact=False)).to_be_attached()
    expect(page.locator(".st-key-km_history_kursk li").first).to_contain_text("from 20 August 2024")
    expect(page.get_by_text("15 September 2024 to 13 November 2024")).to_be_visible()  # the compared dates
    main = page.locator("[data-testid='stMain']").inner_text()
    assert ISO_DATE.findall(main) == []
    assert SHORT_DATE.findall(main.replace(SOURCE_NAME, "")) == []
    # The popup of the day's assault on the map, opened as a click would.
    frame.wait_for_function("""() => { let found = false; window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.id === 'assault-2024-11-13') found = true; }); return found; }""")
    frame.evaluate("""() => { window.map.eachLayer(l => {
        if (l.feature && l.feature.properties.id === 'assault-2024-11-13')
            l.fire('click', {latlng: l.getLatLng()}, true);
    }); }""")
    popup = frame.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("13 November 2024 to 14 November 2024")
    assert SHORT_DATE.findall(popup.inner_text().replace(SOURCE_NAME, "")) == []
    assert ctx.problems()["page_errors"] == []


def _assert_table_fits(page: Page, table, expected: list[str]) -> None:
    headers = table.locator("thead th")
    texts = [text.strip() for text in headers.all_inner_texts()]
    assert [t for t in texts if t] == expected
    sizes = headers.evaluate_all("cells => cells.map(c => [c.innerText, c.scrollWidth, c.clientWidth])")
    assert all(scroll <= client for _, scroll, client in sizes), sizes
    fits = table.locator("table").evaluate("t => [t.scrollWidth, t.closest('[data-testid]').clientWidth]")
    assert fits[0] <= fits[1], f"the table is {fits[0]} px wide in a {fits[1]} px column"


@pytest.mark.parametrize("size", SIZES[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_analyst_tables_and_series_use_readable_labels_that_fit(offline_context, app_server, size):
    page, _, ctx = _open(offline_context, app_server, "?analyst=1", size=size)
    compare_panel = page.get_by_role("tabpanel", name="Compare dates")
    table = compare_panel.locator("[data-testid='stTable']")
    # The analyst tools come last on the page, after the figures over time: the page may still be drawing them.
    expect(table).to_be_visible(timeout=30_000)
    labels = [
        f"{label} ({unit})" if unit else label
        for label, unit in (
            ROW_LABELS[key]
            for key in ("title", "area_date_1_km2", "area_date_2_km2", "gained_km2", "lost_km2", "net_change_km2")
        )
    ]
    _assert_table_fits(page, table, labels)
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT_DIR / f"page-compare-table-{size[0]}.png"))

    page.get_by_role("tab", name="Distance bands").click()
    bands = page.get_by_role("tabpanel", name="Distance bands").locator("[data-testid='stTable']")
    expect(bands).to_be_visible()
    _assert_table_fits(
        page,
        bands,
        [
            "Distance from the front line",
            "Area of the band (km²)",
            "Kupiansk outline in the band (km²)",
            "Share of the Kupiansk outline (%)",
        ],
    )

    page.get_by_role("tab", name="Area over time").click()
    legend = page.get_by_role("tabpanel", name="Area over time").locator(
        "[data-testid='stVegaLiteChart'] .role-legend-label text"
    )
    expect(legend.first).to_be_visible(timeout=15_000)
    names = sorted(legend.all_text_contents())
    assert names == sorted(
        FIGURE_LABELS[key][0] for key in ("kursk_area_km2", "occupied_within_10km_km2", "occupied_within_20km_km2")
    )
    assert not any("_" in name or "…" in name for name in names)
    legend.first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT_DIR / f"page-series-legend-{size[0]}.png"))
    assert ctx.problems()["page_errors"] == []
