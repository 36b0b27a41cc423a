"""Presenter mode in Chromium: keys and clicker keys move through the chapters, and the URL follows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kupiansk_map.story.chapters import load_story

from .conftest import SCREENSHOT_DIR, map_frame


def test_keys_and_clicker_keys_move_through_the_chapters(offline_context, app_server):
    story = load_story()
    ctx = offline_context(viewport=(1400, 950))
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=1&lang=en")
    frame = map_frame(page, timeout=30_000)
    expect(page.get_by_text("1 / 10")).to_be_visible()
    expect(page.locator("h1").first).to_have_text(story.chapter(1).title.en)
    page.mouse.click(700, 30)  # focus the page (an empty spot), as a presenter would

    for key, chapter in (
        ("ArrowRight", 2),
        ("PageDown", 3),
        ("PageDown", 4),
        ("PageUp", 3),
        ("End", 10),
        ("Home", 1),
        ("ArrowRight", 2),
        ("ArrowLeft", 1),
    ):
        page.keyboard.press(key)
        expect(page.get_by_text(f"{chapter} / 10")).to_be_visible(timeout=15_000)
        expect(page.locator("h1").first).to_have_text(story.chapter(chapter).title.en)
        expect(page).to_have_url(re.compile(rf"chapter={chapter}\b"))

    for chapter in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_text(f"{chapter} / 10")).to_be_visible(timeout=15_000)
    expect(frame.locator('path[fill="#0072B2"]').first).to_be_attached(timeout=15_000)  # the Kursk salient
    assert frame.evaluate("window.__same_map === undefined")  # a fresh check below
    frame.evaluate("window.__same_map = true")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_text("5 / 10")).to_be_visible(timeout=15_000)
    assert frame.evaluate("window.__same_map === true"), "the map iframe was rebuilt between chapters"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "presenter-chapter-5.png"))
    problems = ctx.problems()
    assert problems["blocked_requests"] == [] and problems["page_errors"] == [] and problems["console_errors"] == []


def test_a_prepared_link_opens_the_chapter_in_ukrainian(offline_context, app_server):
    story = load_story()
    ctx = offline_context()
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=6&lang=uk")
    frame = map_frame(page, timeout=30_000)
    expect(page.locator("h1").first).to_have_text(story.chapter(6).title.uk)
    expect(page.get_by_text("6 / 10")).to_be_visible()
    expect(frame.get_by_text("Купʼянськ", exact=True)).to_be_visible()
    expect(frame.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()


def _chapter_in_url(page) -> str:
    # Playwright's page.url can miss a history update made while an iframe has focus; the page's own is exact.
    return page.evaluate("new URLSearchParams(location.search).get('chapter')")


def test_chapter_keys_work_whatever_has_focus_even_the_map(offline_context, app_server):
    ctx = offline_context(viewport=(1400, 900))
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=6&lang=en")
    frame = map_frame(page, timeout=30_000)
    frame.locator(".leaflet-container").click(position={"x": 150, "y": 300})  # the presenter clicks the map
    assert frame.evaluate("document.hasFocus()")
    for key, chapter in (
        ("ArrowRight", 7),
        ("PageDown", 8),
        ("PageUp", 7),
        ("ArrowLeft", 6),
        ("End", 10),
        ("Home", 1),
        ("PageDown", 2),
    ):
        page.keyboard.press(key)
        expect(page.locator(".km-presenter-progress")).to_have_text(re.compile(rf"\b{chapter} / 10"), timeout=15_000)
        page.wait_for_function(f"new URLSearchParams(location.search).get('chapter') === '{chapter}'")
    assert _chapter_in_url(page) == "2"
    assert frame.evaluate("document.hasFocus()"), "the map kept the focus, and the keys still worked"
    problems = ctx.problems()
    assert problems["page_errors"] == [] and problems["console_errors"] == []


def test_fullscreen_shows_the_narration_and_keys_still_change_chapters(offline_context, app_server):
    story = load_story()
    ctx = offline_context(viewport=(1024, 768))
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=6&lang=en")
    frame = map_frame(page, timeout=30_000)
    narration = frame.locator(".km-narration")
    expect(narration).to_be_hidden()  # beside the map, the page shows the narration itself
    frame.locator(".leaflet-control-zoom-fullscreen").click()
    frame.wait_for_function("document.fullscreenElement !== null")
    expect(narration).to_be_visible()
    expect(narration).to_contain_text(story.chapter(6).title.en)
    expect(narration).to_contain_text(story.chapter(6).narration.en[:60])
    page.keyboard.press("ArrowRight")
    expect(narration).to_contain_text(story.chapter(7).title.en, timeout=15_000)
    expect(narration).to_contain_text("7 / 10")
    assert frame.evaluate("document.fullscreenElement !== null"), "changing chapter left fullscreen"
    box = narration.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768 and box["width"] < 0.5 * 1024
    page.screenshot(path=str(SCREENSHOT_DIR / "presenter-fullscreen-1024x768.png"))
    narration.click()  # folds to its heading line, to show the ground underneath
    expect(frame.locator(".km-narration-text")).to_be_hidden()
    frame.evaluate("document.exitFullscreen()")
    frame.wait_for_function("document.fullscreenElement === null")
    expect(narration).to_be_hidden()


def _projector_checks(page, frame) -> None:
    """At 1024x768: the sidebar folded away, a large map, the narration on screen, a one-line counter."""
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=15_000)
    # The sidebar folds away with an animation and the frame then grows: wait for the layout to settle.
    page.wait_for_function(
        """() => { const f = document.querySelector("iframe[title*='streamlit_folium']");
        const r = f && f.getBoundingClientRect(); return r && r.width >= 500 && r.height >= 560; }""",
        timeout=15_000,
    )
    iframe = page.locator("iframe[title*='streamlit_folium']").bounding_box()
    assert iframe and iframe["width"] >= 500 and iframe["height"] >= 560, iframe
    frame.wait_for_function(f"Math.abs(window.map.getSize().y - {iframe['height']}) <= 2", timeout=15_000)
    narration = page.locator(".km-presenter-narration").bounding_box()
    assert narration and narration["y"] >= 0 and narration["y"] + narration["height"] <= 768, narration
    counter = page.locator(".km-presenter-progress")
    height, font = counter.evaluate("e => [e.getBoundingClientRect().height, parseFloat(getComputedStyle(e).fontSize)]")
    assert height < 2 * font, f"the counter wraps: {height} px tall at {font} px type"
    assert page.evaluate("document.documentElement.scrollHeight") <= 768 + 200  # hardly anything below the fold


def test_presenter_mode_fills_a_projector_screen(offline_context, app_server):
    story = load_story()
    ctx = offline_context(viewport=(1024, 768))
    page = ctx.new_page()
    page.goto(app_server.url + "?mode=present&chapter=6&lang=en")
    frame = map_frame(page, timeout=30_000)
    _projector_checks(page, frame)
    expect(page.locator("h1").first).to_have_text(story.chapter(6).title.en)
    page.screenshot(path=str(SCREENSHOT_DIR / "presenter-1024x768.png"))
    # Switched on from the explore page, presenter mode folds the sidebar away too.
    other = ctx.new_page()
    other.goto(app_server.url)
    map_frame(other, timeout=30_000)
    other.locator("[data-testid='stSidebar']").get_by_text("Presenter mode", exact=True).click()
    expect(other.locator(".km-presenter-progress")).to_be_visible(timeout=15_000)
    _projector_checks(other, map_frame(other, timeout=30_000))
    problems = ctx.problems()
    assert problems["page_errors"] == [] and problems["console_errors"] == []
