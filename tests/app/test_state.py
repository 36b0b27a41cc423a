"""kupiansk_map.app.state: the typed page state, its URL form, and surviving Streamlit's widget clean-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from kupiansk_map.app.state import (
    WIDGET_KEYS,
    MapView,
    PageState,
    capture,
    from_query_params,
    pin_widgets,
    to_query_params,
    widget_values,
    with_map_view,
)
from kupiansk_map.story.chapters import load_story

STORY = load_story()


def test_a_link_round_trips_with_its_map_view() -> None:
    state, problems = from_query_params(
        {"date": "2022-09-10", "view": "kursk", "analyst": "1", "lat": "51.2", "lon": "35.27", "zoom": "13"},
        story=STORY,
    )
    assert problems == []
    assert state.map_view == MapView(51.2, 35.27, 13) == state.map_request
    params = to_query_params(state)
    assert params["zoom"] == "13" and params["lat"] == "51.20000" and params["analyst"] == "1"
    again, _ = from_query_params(params, story=STORY)
    assert again == state


@pytest.mark.parametrize(
    "params, named",
    [
        ({"lat": "49.7", "lon": "37.6"}, "lat, lon"),
        ({"lat": "x", "lon": "37.6", "zoom": "12"}, "not numbers"),
        ({"lat": "49.7", "lon": "37.6", "zoom": "40"}, "zoom 1 to 18"),
        ({"lat": "95", "lon": "37.6", "zoom": "9"}, "latitude -85 to 85"),
    ],
)
def test_a_bad_map_view_falls_back_to_the_preset_with_a_message(params, named) -> None:
    state, problems = from_query_params(params, story=STORY)
    assert state.map_view is None and len(problems) == 1 and named in problems[0]


def test_presenter_links_keep_only_the_chapter_and_language() -> None:
    state, problems = from_query_params(
        {"mode": "present", "chapter": "6", "lang": "uk", "date": "2022-02-27"}, story=STORY
    )
    assert problems == [] and state.present and state.chapter == 6 and state.lang == "uk"
    assert to_query_params(state) == {"mode": "present", "chapter": "6", "lang": "uk"}
    # Leaving presenter mode gives the explore page's link back, with the date the link opened.
    assert to_query_params(replace(state, present=False))["date"] == "2022-02-27"


def test_offline_forces_no_basemap() -> None:
    state, _ = from_query_params({"basemap": "satellite"}, story=STORY, offline=True)
    assert state.view.basemap == "none"


def test_dropped_widget_keys_come_back_from_the_state() -> None:
    """Streamlit deletes the keys of widgets a run did not draw; the state puts them back."""
    state = PageState()
    session: dict = {}
    pin_widgets(session, state)
    assert set(session) == set(WIDGET_KEYS)
    session["date"] = dt.date(2024, 9, 15)  # the visitor moves the slider
    state = capture(session, state)
    for key in ("date", "view", "buffer_km", "layer_events"):  # a presenter-mode run drew none of these
        del session[key]
    state = capture(session, state)
    pin_widgets(session, state)
    assert session["date"] == dt.date(2024, 9, 15) and state.view.date == dt.date(2024, 9, 15)
    assert session == widget_values(state)


def test_capture_reads_every_widget_and_a_new_preset_forgets_the_map_view() -> None:
    state = replace(PageState(), map_view=MapView(49.7, 37.6, 13), map_request=MapView(49.7, 37.6, 13))
    session = widget_values(state)
    session.update({"view": "kursk", "layer_events": False, "buffer_km": 5.0, "present": True, "lang": "uk"})
    new = capture(session, state)
    assert new.view.view == "kursk" and "events" not in new.view.layers and new.view.buffer_km == 5.0
    assert new.present and new.lang == "uk"
    assert new.map_view is None and new.map_request is None
    assert capture(widget_values(new), new) is new  # nothing changed: the same object


def test_capture_refuses_a_date_widget_that_holds_no_date() -> None:
    with pytest.raises(TypeError, match="date widget holds str"):
        capture({"date": "2024-11-13"}, PageState())


def test_the_map_reports_its_view() -> None:
    state = PageState()
    moved = with_map_view(state, {"zoom": 13, "center": {"lat": 49.712345678, "lng": 37.6}})
    assert moved.map_view == MapView(49.71235, 37.6, 13)
    assert with_map_view(moved, {"zoom": 13, "center": {"lat": 49.712345678, "lng": 37.6}}) is moved
    for unusable in (
        None,
        {},
        {"zoom": 11},
        {"zoom": "x", "center": {"lat": 1, "lng": 2}},
        {"zoom": 11, "center": {"lat": float("nan"), "lng": 2}},
    ):
        assert with_map_view(state, unusable) is state


def test_the_links_bad_values_stay_until_the_visitor_changes_a_setting() -> None:
    state, problems = from_query_params({"view": "moon", "date": "2024-02-30"}, story=STORY)
    assert state.link_problems == tuple(problems) and len(problems) == 2
    session = widget_values(state)
    assert capture(session, state).link_problems == state.link_problems  # a rerun with nothing changed keeps them
    session["view"] = "kursk"
    assert capture(session, state).link_problems == ()


def test_the_language_is_read_outside_presenter_mode_and_the_link_problems_are_in_it():
    state, problems = from_query_params({"lang": "uk", "view": "moon", "buffer_km": "99"}, story=STORY)
    assert state.lang == "uk" and not state.present
    assert problems == [
        "view: 'moon' — не одне з можливих значень (overview, kupiansk, kursk)",
        "buffer_km: '99' — не відстань від 0,5 до 20 км",
    ]
    assert to_query_params(state)["lang"] == "uk"
    assert "lang" not in to_query_params(from_query_params({}, story=STORY)[0])
    state, problems = from_query_params({"lang": "fr"}, story=STORY)
    assert state.lang == "en" and problems == ["lang: 'fr' is not one of en, uk"]
