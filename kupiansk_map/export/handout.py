"""PNG handouts: one chapter of the story page, rendered by headless Chromium with no network.

Offers:
- ``DEFAULT_SIZE``: the handout size in CSS pixels, (1600, 1000).
- ``HandoutError``: the PNG could not be made (no browser, chapter out of range, page never finished drawing,
  output not writable); the message says which.
- ``chapter_png(out_path, layers, story, *, chapter, lang="en", size=DEFAULT_SIZE, timeout_s=30.0)``: write
  the chapter as a PNG (atomically) and return its path.

The story page is written to a temporary file and opened from ``file://`` in an offline browser context in which
every request other than ``file:``/``data:`` is aborted, with reduced motion (the page then skips the fly). The
screenshot is taken once the page reports the chapter ready (``body[data-ready]``: the view has settled) and
Leaflet has drawn its paths; the navigation buttons and zoom control are hidden (``body.km-handout``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kupiansk_map.atomic import write_atomic
from kupiansk_map.export.story_page import story_html
from kupiansk_map.story.chapters import LANGUAGES, Story, StoryError
from kupiansk_map.web import static_text

DEFAULT_SIZE: tuple[int, int] = (1600, 1000)
_LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


class HandoutError(RuntimeError):
    """A handout could not be made; the message names the cause."""


def _route(route: Any) -> None:
    if route.request.url.startswith(_LOCAL_SCHEMES):
        route.continue_()
    else:
        route.abort("blockedbyclient")


def _render(page_path: Path, *, chapter: int, size: tuple[int, int], timeout_s: float) -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from kupiansk_map.export.chromium import launch

    timeout_ms = timeout_s * 1000
    with sync_playwright() as playwright:
        try:
            browser = launch(playwright)
        except (RuntimeError, PlaywrightError) as exc:
            raise HandoutError(f"cannot start Chromium: {str(exc).splitlines()[0]}") from None
        try:
            context = browser.new_context(
                viewport={"width": size[0], "height": size[1]},
                offline=True,
                reduced_motion="reduce",
                service_workers="block",
            )
            context.route("**/*", _route)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{page_path.as_uri()}#chapter={chapter}", wait_until="load", timeout=timeout_ms)
            try:
                page.wait_for_selector(f"body[data-ready='{chapter}']", state="attached", timeout=timeout_ms)
                page.wait_for_selector("path.leaflet-interactive", state="attached", timeout=timeout_ms)
            except PlaywrightError:
                detail = f" (page error: {errors[0]})" if errors else ""
                raise HandoutError(
                    f"the story page did not finish drawing chapter {chapter} within {timeout_s:g} s{detail}"
                ) from None
            page.evaluate(static_text("handout-paper.js"))  # hide the controls, wait for the paint
            return page.screenshot(type="png", full_page=False)
        finally:
            browser.close()


def chapter_png(
    out_path: Path | str,
    layers: Mapping[str, Mapping[str, Any]],
    story: Story,
    *,
    chapter: int,
    lang: str = "en",
    size: tuple[int, int] = DEFAULT_SIZE,
    timeout_s: float = 30.0,
) -> Path:
    """Render chapter ``chapter`` (1-based) of the story in ``lang`` to a PNG of ``size`` CSS pixels."""
    if lang not in LANGUAGES:
        raise HandoutError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    try:
        story.chapter(chapter)
    except StoryError as exc:
        raise HandoutError(str(exc)) from None
    width, height = size
    if not (200 <= width <= 8000 and 200 <= height <= 8000):
        raise HandoutError(f"size {width}x{height} is out of range (200 to 8000 pixels each way)")
    out_path = Path(out_path)
    if not out_path.parent.is_dir():
        raise HandoutError(f"cannot write {out_path}: the folder {out_path.parent} does not exist")
    html = story_html(layers, story, lang=lang)
    with tempfile.TemporaryDirectory(prefix="kupiansk-handout-") as tmp:
        page_path = Path(tmp) / "story.html"
        page_path.write_text(html, encoding="utf-8")
        # Playwright's sync API refuses to run where an asyncio loop is running (notebooks, other Playwright
        # sessions): render in a thread of our own.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kupiansk-handout") as pool:
            png = pool.submit(_render, page_path, chapter=chapter, size=(width, height), timeout_s=timeout_s).result()
    try:
        return write_atomic(out_path, png)
    except OSError as exc:
        raise HandoutError(f"cannot write {out_path}: {exc.strerror or exc}") from None
