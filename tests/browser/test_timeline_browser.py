"""The date control in offline Chromium: keys and clicks pick dates, the scale is proportional to time and its
labels never overlap, and playback runs, keeps the map's view, stops on any input and loops over its range."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page, expect

from kupiansk_map.app.timeline import STEPS

from .conftest import SCREENSHOT_DIR, TIMELINE_IFRAME, date_field, date_scale, map_frame, zoom_in_and_settle

FIRST, LAST = dt.date(2022, 2, 27), dt.date(2024, 11, 14)
WIDTHS = (1400, 1024, 390)


def _open(offline_context, app_server, query: str = "", *, width: int = 1280) -> tuple[Page, Frame, Frame, object]:
    ctx = offline_context(viewport=(width, 900))
    page = ctx.new_page()
    page.goto(app_server.url + query)
    frame = map_frame(page, timeout=30_000)
    scale = page.locator(TIMELINE_IFRAME)
    scale.wait_for(timeout=30_000)
    timeline = scale.element_handle().content_frame()
    assert timeline is not None
    timeline.wait_for_selector(".km-tl-label", state="attached", timeout=30_000)
    return page, frame, timeline, ctx


def _url_date(page: Page) -> str:
    return page.evaluate("new URL(location.href).searchParams.get('date')")


def _wait_date(page: Page, iso: str) -> None:
    page.wait_for_function("d => new URL(location.href).searchParams.get('date') === d", arg=iso, timeout=15_000)


def _record_dates(page: Page) -> None:
    """Keep every date the URL shows, in order, in ``window.__kmDates``."""
    page.evaluate(
        """() => {
            window.__kmDates = [];
            window.__kmTimes = [];
            window.__kmTimer = setInterval(() => {
                const day = new URL(location.href).searchParams.get('date');
                const seen = window.__kmDates;
                if (seen[seen.length - 1] !== day) {
                    seen.push(day);
                    window.__kmTimes.push(performance.now());
                }
            }, 10);
        }"""
    )


def _wait_dates(page: Page, timeline: Frame, count: int) -> None:
    """Wait until the URL has shown ``count`` dates; on a timeout, say how far playback got and whether it plays."""
    try:
        page.wait_for_function(f"window.__kmDates.length >= {count}", timeout=60_000)
    except PlaywrightError as error:
        pressed = timeline.locator("#km-tl-play").get_attribute("aria-pressed")
        raise AssertionError(f"playback stalled: dates {_recorded(page)}, playing {pressed}") from error


def _recorded(page: Page) -> list[str]:
    return page.evaluate("window.__kmDates.slice()")


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, locator
    return box


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and (a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])
    )


def test_keys_step_the_date_and_the_url_follows(offline_context, app_server):
    page, _frame, _timeline, ctx = _open(offline_context, app_server)
    scale = date_scale(page)
    for key, expected in (
        ("ArrowLeft", "2024-11-12"),
        ("Shift+ArrowLeft", "2024-11-05"),
        ("PageDown", "2024-10-05"),
        ("ArrowRight", "2024-10-06"),
        ("PageUp", "2024-11-06"),
        ("Home", FIRST.isoformat()),
        ("End", LAST.isoformat()),
    ):
        scale.press(key)
        _wait_date(page, expected)
        # the date input follows (its native input holds the ISO date)
        expect(date_field(page).locator("input[type='date']")).to_have_value(expected)
    expect(scale).to_have_attribute("aria-valuetext", "14 November 2024")
    assert scale.get_attribute("aria-valuenow") == str((LAST - FIRST).days)
    assert scale.get_attribute("aria-valuemin") == "0"
    # The step buttons' shortcuts, with the focus on the page rather than in the scale.
    page.get_by_role("heading", name="Kupiansk, 13 November 2024").click()
    page.keyboard.press("ArrowLeft")
    _wait_date(page, "2024-11-13")
    page.keyboard.press("Shift+ArrowLeft")
    _wait_date(page, "2024-11-06")
    page.keyboard.press("PageDown")
    _wait_date(page, "2024-10-06")
    expect(page.get_by_role("button", name="+1 day")).to_be_enabled()
    page.get_by_role("button", name="+1 month").click()
    _wait_date(page, "2024-11-06")
    page.get_by_role("button", name="+1 week").click()
    _wait_date(page, "2024-11-13")
    page.get_by_role("button", name="+1 week").click()
    _wait_date(page, LAST.isoformat())  # clamped at the end
    expect(page.get_by_role("button", name="+1 day")).to_be_disabled()
    assert ctx.problems()["page_errors"] == []


def test_clicking_and_dragging_on_the_scale_picks_a_date(offline_context, app_server):
    page, _frame, timeline, ctx = _open(offline_context, app_server)
    span = (LAST - FIRST).days
    track: dict = {}

    def measure() -> None:
        """Where the track is now, once it has stayed put for 0.4 s: the page grows below the map as it settles
        (the charts come last), and the scale's frame takes its new height a frame or two after a date."""
        timeline.locator("#km-tl-track").scroll_into_view_if_needed()
        before: dict = {}
        for _ in range(50):
            now = _box(timeline.locator("#km-tl-track"))
            if now == before:
                break
            before = now
            page.wait_for_timeout(400)
        track.update(before)

    def x_of(day: dt.date) -> float:
        return track["x"] + (day - FIRST).days / span * track["width"]

    target = dt.date(2023, 6, 1)
    measure()
    page.mouse.click(x_of(target), track["y"] + track["height"] / 2)
    page.wait_for_function("() => new URL(location.href).searchParams.get('date').startsWith('2023-0')")
    picked = dt.date.fromisoformat(_url_date(page))
    assert abs((picked - target).days) <= 1, picked  # one CSS pixel is about a day at this width
    # A drag: down on one date, moved, released on another.
    start, end = dt.date(2022, 6, 1), dt.date(2024, 3, 1)
    measure()
    page.mouse.move(x_of(start), track["y"] + 4)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x_of(start) + (x_of(end) - x_of(start)) * step / 10, track["y"] + 4)
    page.mouse.up()
    page.wait_for_function("() => new URL(location.href).searchParams.get('date').startsWith('2024-0')")
    dragged = dt.date.fromisoformat(_url_date(page))
    assert abs((dragged - end).days) <= 1, dragged
    # A key date's label picks its date exactly.
    timeline.locator(".km-tl-label[data-date='2022-09-10']").click()
    _wait_date(page, "2022-09-10")
    assert ctx.problems()["page_errors"] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_key_date_labels_overlap_nothing_at_any_width(offline_context, app_server, width):
    page, _frame, timeline, ctx = _open(offline_context, app_server, width=width)
    iframe = _box(page.locator(TIMELINE_IFRAME))
    labels = [_box(label) for label in timeline.locator(".km-tl-label").all()]
    assert len(labels) == 8
    steps = [page.locator(f".st-key-date_{step.name}") for step in STEPS]
    others = {
        "date input": _box(date_field(page)),
        **{f"step {n}": _box(b) for n, b in enumerate(steps)},
        "controls": _box(timeline.locator("#km-tl-controls")),
        "track": _box(timeline.locator("#km-tl-track")),
        **{f"year {n}": _box(y) for n, y in enumerate(timeline.locator(".km-tl-year").all())},
    }
    for a, b in itertools.combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    for label in labels:
        for name, box in others.items():
            assert not _overlap(label, box), (name, box, label)
        # inside the frame, which is as tall as its content: nothing is cut off
        assert iframe["x"] <= label["x"] and label["x"] + label["width"] <= iframe["x"] + iframe["width"] + 0.5
        assert iframe["y"] <= label["y"] and label["y"] + label["height"] <= iframe["y"] + iframe["height"] + 0.5
    years = [others[name] for name in others if name.startswith("year")]
    for a, b in itertools.combinations(years, 2):
        assert not _overlap(a, b)
    if width in (1400, 390):
        page.locator(".st-key-km_date_steps").evaluate("(el) => el.scrollIntoView({block: 'start'})")
        top = _box(page.locator(".st-key-km_date_steps"))["y"]
        iframe = _box(page.locator(TIMELINE_IFRAME))  # where it is after the scroll
        page.screenshot(
            path=str(SCREENSHOT_DIR / f"timeline-{width}.png"),
            clip={"x": 0, "y": top - 8, "width": width, "height": iframe["y"] + iframe["height"] - top + 16},
        )
    assert ctx.problems()["page_errors"] == []


def test_labels_are_laid_out_again_when_the_window_narrows(offline_context, app_server):
    page, _frame, timeline, _ctx = _open(offline_context, app_server, width=1400)
    wide = timeline.evaluate("window.innerHeight")
    page.set_viewport_size({"width": 390, "height": 900})
    # Laid out again for the new width, and the frame made as tall as the new layout.
    timeline.wait_for_function(
        """() => window.innerWidth < 400 && Math.abs(
            document.getElementById('km-timeline').getBoundingClientRect().height - window.innerHeight) <= 1""",
        timeout=15_000,
    )
    narrow, labels = timeline.evaluate(
        """() => [window.innerHeight, Array.from(document.querySelectorAll('.km-tl-label')).map((el) => {
            const r = el.getBoundingClientRect();
            return {x: r.left, y: r.top, width: r.width, height: r.height};
        })]"""
    )
    assert narrow > wide and len(labels) == 8
    for a, b in itertools.combinations(labels, 2):
        assert not _overlap(a, b), (a, b)
    assert all(label["x"] >= 0 and label["x"] + label["width"] <= 390 for label in labels)
    assert max(label["y"] + label["height"] for label in labels) <= narrow


def test_ticks_are_placed_in_proportion_to_time(offline_context, app_server):
    _page, _frame, timeline, _ctx = _open(offline_context, app_server, width=1400)
    ticks = timeline.evaluate(
        """() => Array.from(document.querySelectorAll('.km-tl-kd-tick, .km-tl-year-tick')).map((el) => {
            const box = el.getBoundingClientRect();
            return [box.left + box.width / 2, el.classList.contains('km-tl-kd-tick')];
        })"""
    )
    days = sorted(
        dt.date.fromisoformat(d)
        for d in timeline.evaluate(
            "() => Array.from(document.querySelectorAll('.km-tl-label')).map((el) => el.dataset.date)"
        )
    )
    key_x = sorted(x for x, is_key in ticks if is_key)
    year_x = sorted(x for x, is_key in ticks if not is_key)
    assert len(key_x) == 8 and len(year_x) == 2  # 1 January 2023 and 2024
    track = timeline.evaluate(
        "() => { const b = document.querySelector('#km-tl-track').getBoundingClientRect(); return [b.left, b.width]; }"
    )
    left, width = track
    span = (LAST - FIRST).days

    def expected(day: dt.date) -> float:
        return left + (day - FIRST).days / span * width

    for x, day in zip(key_x, days, strict=True):
        assert x == pytest.approx(expected(day), abs=1.0), day
    for x, year in zip(year_x, (2023, 2024), strict=True):
        assert x == pytest.approx(expected(dt.date(year, 1, 1)), abs=1.0), year
    # Equal times, equal distances: two years of the scale, a year apart, are as long as each other.
    assert year_x[1] - year_x[0] == pytest.approx(expected(dt.date(2024, 1, 1)) - expected(dt.date(2023, 1, 1)), abs=1)


def _start_playback(timeline: Frame, *, speed: str, loop: tuple[str, str] | None = None) -> None:
    timeline.locator("#km-tl-speed").select_option(speed)
    if loop is not None:
        timeline.locator("#km-tl-from").fill(loop[0])
        timeline.locator("#km-tl-to").fill(loop[1])
    timeline.get_by_role("button", name="Play").click()
    expect(timeline.locator("#km-tl-play")).to_have_attribute("aria-pressed", "true")


def test_a_date_picked_while_the_maps_report_is_on_its_way_is_kept(offline_context, app_server):
    # The map reports its view after a zoom (a rerun that carries every widget's value as the browser holds it);
    # a date picked just before that report lands must not be taken back by the date input's older value.
    page, frame, _timeline, ctx = _open(offline_context, app_server)
    scale = date_scale(page)
    for change, key, expected in (
        (1, "Home", FIRST.isoformat()),
        (-1, "End", LAST.isoformat()),
        (1, "PageDown", "2024-10-14"),  # a month back from 14 November
    ):
        scale.press(key)
        # at once, while the date's rerun runs: a zoom, whose report goes before the page has the new date
        zoom = frame.evaluate(f"window.map.setZoom(window.map.getZoom() + {change}, {{animate: false}}).getZoom()")
        page.wait_for_function(f"location.href.includes('zoom={zoom}')", timeout=15_000)  # the report has landed
        _wait_date(page, expected)
        page.wait_for_timeout(800)  # any late rerun has run
        assert _url_date(page) == expected
        expect(date_field(page).locator("input[type='date']")).to_have_value(expected)
    assert ctx.problems()["page_errors"] == []


def test_playback_advances_keeps_the_zoom_and_stops_on_a_click_elsewhere(offline_context, app_server):
    page, frame, timeline, ctx = _open(offline_context, app_server, width=1400)
    frame.evaluate("window.__same_document = true")
    zoom, center = zoom_in_and_settle(page, frame)
    _record_dates(page)
    _start_playback(timeline, speed="10", loop=("2024-08-01", "2024-10-31"))
    _wait_dates(page, timeline, 13)  # 12 steps after the first date
    seen = _recorded(page)
    times = page.evaluate("window.__kmTimes.slice(1, 13)")  # from the first date played to the twelfth
    rate = (len(times) - 1) / ((times[-1] - times[0]) / 1000)
    print(f"playback at 10/s: {rate:.1f} dates/s over {len(times) - 1} steps (paced by the server's redraws)")
    steps = [dt.date.fromisoformat(d) for d in seen[1:]]
    assert steps[0] == dt.date(2024, 8, 1)  # 13 November lies outside the loop: playback starts at "from"
    assert all((b - a).days == 1 for a, b in itertools.pairwise(steps)), steps
    # Zoom and pan are kept, in the same map document.
    assert frame.evaluate("window.__same_document === true"), "the map iframe was rebuilt"
    assert frame.evaluate("window.map.getZoom()") == zoom
    assert frame.evaluate("window.map.getCenter()") == center
    # A click on the page, outside the play controls, stops playback.
    page.get_by_role("heading", name="Kupiansk, 13 November 2024").click()
    expect(timeline.locator("#km-tl-play")).to_have_attribute("aria-pressed", "false")
    expect(timeline.locator("#km-tl-play")).to_have_text("Play")
    settled = _url_date(page)
    page.wait_for_timeout(1500)  # 15 steps' worth at 10/s: the date must not move at all
    assert _url_date(page) in (settled, (dt.date.fromisoformat(settled) + dt.timedelta(days=1)).isoformat())
    stopped_at = _url_date(page)
    page.wait_for_timeout(1000)
    assert _url_date(page) == stopped_at
    # A press in the map's own frame stops it too.
    timeline.get_by_role("button", name="Play").click()
    page.wait_for_function(f"new URL(location.href).searchParams.get('date') > '{stopped_at}'", timeout=15_000)
    frame.locator(".leaflet-container").dispatch_event("pointerdown")
    expect(timeline.locator("#km-tl-play")).to_have_attribute("aria-pressed", "false")
    assert ctx.problems()["page_errors"] == []


def test_the_loop_range_wraps_back_to_its_start(offline_context, app_server):
    page, _frame, timeline, ctx = _open(offline_context, app_server, width=1024)
    _record_dates(page)
    _start_playback(timeline, speed="10", loop=("2024-11-09", "2024-11-12"))
    # While it plays, each step draws the map and the date only, and says the figures wait for the pause.
    expect(page.get_by_text("Playing: the figures, the summary and the charts follow", exact=False)).to_be_visible(
        timeout=15_000
    )
    _wait_dates(page, timeline, 11)
    timeline.get_by_role("button", name="Pause").click()
    # The pause sends the date again: the figures come back, for the date playback stopped on.
    expect(page.get_by_text("Playing: the figures", exact=False)).to_have_count(0, timeout=15_000)
    stopped = dt.date.fromisoformat(_url_date(page))
    heading = page.locator("[data-testid='stHtml'] h3").filter(has_text="Figures for")
    expect(heading).to_have_text(f"Figures for {stopped.day} November 2024", timeout=15_000)
    seen = _recorded(page)[1:]
    assert set(seen) <= {"2024-11-09", "2024-11-10", "2024-11-11", "2024-11-12"}, seen
    assert seen[:6] == ["2024-11-09", "2024-11-10", "2024-11-11", "2024-11-12", "2024-11-09", "2024-11-10"], seen
    assert ctx.problems()["page_errors"] == []
