"""Presenter mode in Chromium: keys and clicker keys move through the chapters, and the URL follows."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kupiansk_map.story import load_story

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

    for key, chapter in (("ArrowRight", 2), ("PageDown", 3), ("PageDown", 4), ("PageUp", 3), ("End", 10),
                         ("Home", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
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
