"""The whole app in Ukrainian, in Chromium: with ``?lang=uk`` no English text of the user interface is visible.

Every visible line of the page and of the map's frame (legend open, a popup open, the caveats unfolded, analyst
tools on, and presenter mode) is split into words; every word in Latin letters must be one the Ukrainian side of
the catalogue itself uses (GeoJSON, GSHHG, UTM...), a proper name or unit below, or part of the few data texts
kept in English (source citations; see ``_allowed_words``). English UI text fails the test by name.
"""

from __future__ import annotations

import re

from babel.messages.pofile import read_po
from playwright.sync_api import Frame, Page, expect

from kupiansk_map import i18n
from kupiansk_map.app import timeline
from kupiansk_map.layers.store import load_layers
from kupiansk_map.model import STATUSES
from kupiansk_map.paths import data_dir

from .conftest import SCREENSHOT_DIR, map_frame

# Names, units and keys that are written the same in Ukrainian text.
PROPER = {
    "Leaflet",
    "OpenStreetMap",
    "Esri",
    "World",
    "Imagery",
    "OpenTopoMap",
    "Streamlit",
    "CSV",
    "GeoJSON",
    "GeoPackage",
    "KML",
    "KMZ",
    "Shapefile",
    "zip",
    "Page",
    "Up",
    "Down",
    "Home",
    "End",
    "F",
    "N",
    "E",
    "km",
    "m",
    "UTM",
    "GSHHG",
    "Reuters",
    "DeepStateMap",
    "WDB-II",
    "WGS84",
    "RFC",
    "English",
    "GeoNames",  # the offline basemap's sources and their licences, in its attribution line
    "LGPL",
    "CC",
    "BY",
    # leaflet-measure 2.1.7 (analyst tools) ships no Ukrainian locale: its button title stays English.
    "Measure",
}
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _allowed_words() -> set[str]:
    words = set(PROPER) | set(STATUSES)  # the data's status codes, shown as code beside their meaning
    # Key names Streamlit prints on the date steps' buttons, as the keyboard labels them (timeline.STEPS).
    words |= {step.shortcut for step in timeline.STEPS if step.shortcut.isalpha()}
    with (i18n.LOCALE_DIR / "uk" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        for message in read_po(f, locale="uk"):
            for text in [message.string] if isinstance(message.string, str) else message.string:
                words |= set(_LATIN_WORD.findall(text or ""))
    # What the data holds in English only: the source citations (bibliographic: "Reuters, 14 Nov 2024") and the
    # zone near the front, whose texts name the distance chosen in the app. Names and notes of every other
    # feature have their Ukrainian in story.json.
    for layer_id, collection in load_layers(data_dir()).layers.items():
        for feat in collection["features"]:
            props = feat["properties"]
            keys = (
                ("name", "note", "source", "area_source") if layer_id == "front_buffer" else ("source", "area_source")
            )
            for key in keys:
                words |= set(_LATIN_WORD.findall(str(props.get(key) or "")))
    return words


# The text of every text node a person can see: its element is rendered, not transparent, has a size and lies
# on the page (Streamlit's "skip to content" link is clipped to 1 px until focused); icon ligatures are glyphs.
# Streamlit's file drop zone ("Drag and drop files here", "Limit 25MB per file", "Upload") is Streamlit's own
# chrome, which Streamlit offers in English only: it is left out of the check (the widget's label is ours).
_VISIBLE_TEXT = """() => {
  const SKIPPED = "[data-testid='stFileUploaderDropzone']";
  const lines = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement, text = node.textContent.trim();
    if (!text || !el || el.closest("script, style, [data-testid='stIconMaterial'], " + SKIPPED)) continue;
    if (!el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
    const own = el.getBoundingClientRect();
    if (own.width <= 1 || own.height <= 1) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const offPage = box.right + window.scrollX <= 0 || box.bottom + window.scrollY <= 0;
    if (box.width <= 1 || box.height <= 1 || offPage) continue;
    lines.push(text);
  }
  return lines;
}"""


def _visible_lines(page: Page, frame: Frame) -> list[str]:
    return [*page.evaluate(_VISIBLE_TEXT), *frame.evaluate(_VISIBLE_TEXT)]


def _english(lines: list[str], allowed: set[str]) -> list[str]:
    return [f"{word!r} in {line!r}" for line in lines for word in _LATIN_WORD.findall(line) if word not in allowed]


def _open_popup(frame: Frame, index: int = 0) -> str | None:
    """Open the popup of the ``index``-th named shape, as a keyboard user would: Tab reaches each shape and Enter
    opens its popup (web/static/layer.js). Returns the shape's name."""
    shape = frame.locator("path.leaflet-interactive[aria-label]").nth(index)
    shape.focus()
    shape.press("Enter")
    expect(frame.locator(".km-popup").last).to_be_visible(timeout=10_000)
    return shape.get_attribute("aria-label")


def test_no_english_ui_text_is_visible_with_lang_uk(offline_context, app_server):
    allowed = _allowed_words()
    ctx = offline_context(viewport=(1400, 1000))
    page = ctx.new_page()
    page.goto(app_server.url + "?lang=uk&analyst=1")
    frame = map_frame(page, timeout=30_000)
    expect(page.get_by_text("Обстановка на 13 листопада 2024", exact=False)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("tab", name="Порівняти дати")).to_be_visible(timeout=30_000)
    page.get_by_text("Джерела й застереження").click()
    expect(page.get_by_text("Що означає кожен статус")).to_be_visible()
    legend = frame.locator(".km-legend")
    expect(legend).to_contain_text("Умовні позначення")
    shapes = frame.locator("path.leaflet-interactive[aria-label]")
    for index in range(0, shapes.count(), 3):  # every third shape's popup: areas, lines, places, events, claims
        name = _open_popup(frame, index)
        assert not _english(_visible_lines(page, frame), allowed), name
    _open_popup(frame)
    lines = _visible_lines(page, frame)
    assert any("км²" in line for line in lines) and any("Купʼянськ" in line for line in lines)
    page.screenshot(path=str(SCREENSHOT_DIR / "lang-uk-explore.png"), full_page=True)
    assert not _english(lines, allowed)
    frame.locator("body").screenshot(path=str(SCREENSHOT_DIR / "lang-uk-map.png"))
    for tab in ("Смуги відстані", "Площа в часі", "Ваші шари", "Архіви знімків стану"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tabpanel", name=tab)).to_be_visible()
        assert not _english(_visible_lines(page, frame), allowed), tab
    problems = ctx.problems()
    assert problems["page_errors"] == [] and problems["console_errors"] == []


def test_presenter_mode_in_ukrainian_shows_no_english_ui_text(offline_context, app_server):
    allowed = _allowed_words()
    ctx = offline_context(viewport=(1400, 950))
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=7&lang=uk")
    frame = map_frame(page, timeout=30_000)
    expect(page.get_by_text("7 / 10")).to_be_visible()
    _open_popup(frame)
    lines = _visible_lines(page, frame)
    assert any(line.startswith("Розділ 7 / 10") or "Далі" in line for line in lines)
    assert not _english(lines, allowed)
    page.screenshot(path=str(SCREENSHOT_DIR / "lang-uk-presenter.png"))


def test_the_picker_switches_the_page_and_keeps_the_language_in_the_url(offline_context, app_server):
    ctx = offline_context(viewport=(1400, 1000))
    page = ctx.new_page()
    page.goto(app_server.url)
    map_frame(page, timeout=30_000)
    expect(page.locator("h1").first).to_have_text("Kupiansk, 13 November 2024")
    page.locator("[data-testid='stSidebar']").get_by_text("Українська").click()
    expect(page.locator("h1").first).to_have_text("Купʼянськ, 13 листопада 2024 р.", timeout=30_000)
    expect(page.get_by_text("Режим презентації")).to_be_visible()
    page.wait_for_function("new URLSearchParams(location.search).get('lang') === 'uk'", timeout=15_000)
    frame = map_frame(page, timeout=30_000)
    expect(frame.locator(".km-legend")).to_contain_text("Умовні позначення", timeout=15_000)
