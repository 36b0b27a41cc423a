import pytest

from kupiansk_map.story.chapters import load_story
from kupiansk_map.story.presenter import KEYS, PresenterState, chapter_view, from_query_params, step, to_query_params


@pytest.fixture(scope="module")
def story():
    return load_story()


def test_presenter_mode_comes_from_the_url(story):
    assert from_query_params({}, story=story) == (None, [])
    assert from_query_params({"mode": "present"}, story=story) == (PresenterState(1, "en"), [])
    state, problems = from_query_params({"mode": "present", "chapter": "4", "lang": "uk"}, story=story)
    assert state == PresenterState(4, "uk") and problems == []
    assert from_query_params(to_query_params(state), story=story) == (state, [])


@pytest.mark.parametrize(
    "params, field",
    [
        ({"chapter": "0"}, "chapter"),
        ({"chapter": "99"}, "chapter"),
        ({"chapter": "x"}, "chapter"),
        ({"lang": "fr"}, "lang"),
    ],
)
def test_bad_presenter_values_fall_back_with_a_message(story, params, field):
    state, problems = from_query_params({"mode": "present", **params}, story=story)
    assert state == PresenterState() and problems[0].startswith(field)


def test_step_stays_within_the_story():
    assert [step(1, c, count=9) for c in ("first", "previous", "next", "last")] == [1, 1, 2, 9]
    assert step(9, "next", count=9) == 9 and step(5, "previous", count=9) == 4


def test_every_control_has_keyboard_and_clicker_keys():
    keys = {key: control for control, key in KEYS}
    assert keys == {
        "home": "first",
        "left": "previous",
        "right": "next",
        "end": "last",
        "pageup": "previous",
        "pagedown": "next",
    }


def test_chapter_view_frames_the_chapter(story):
    for chapter in story.chapters:
        (lat, lon), zoom = chapter_view(chapter)
        (south, west), (north, east) = chapter.bounds
        assert south <= lat <= north and west <= lon <= east and 4 <= zoom <= 14
    assert chapter_view(story.chapter(6))[1] > chapter_view(story.chapter(9))[1]  # the assault is closer in
