"""Presenter mode: the story chapter by chapter, with large type and keyboard (and clicker) controls.

Offers:
- ``PresenterState``: the chapter shown (1-based) and the language.
- ``from_query_params`` / ``to_query_params``: the URL interface (``mode=present``, ``chapter``, ``lang``).
- ``chapter_view``: the centre and zoom that frame a chapter's bounds on a presenter-sized map.
- ``step``: the chapter reached from another by a control (first, previous, next, last).
- ``KEYS``: the keyboard shortcut of each control (arrows, clicker Page keys, Home/End).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kupiansk_map.i18n import translator
from kupiansk_map.story.chapters import LANGUAGES, Chapter, Story
from kupiansk_map.web.views import View

# (control, shortcut): presentation clickers send PageDown/PageUp, keyboards the arrows.
KEYS: tuple[tuple[str, str], ...] = (
    ("first", "home"),
    ("previous", "left"),
    ("next", "right"),
    ("last", "end"),
    ("previous", "pageup"),
    ("next", "pagedown"),
)
# The presenter map's size on a 1024x768 projector with the sidebar collapsed (web/static/presenter-page.css): each
# chapter's bounds are fitted to it, so they fit on any larger screen too.
MAP_SIZE_PX = (540, 630)


@dataclass(frozen=True)
class PresenterState:
    """``chapter`` counts from 1; ``lang`` is one of ``story.LANGUAGES``."""

    chapter: int = 1
    lang: str = "en"


def _first(value: str | list[str]) -> str:
    return value[-1] if isinstance(value, list) else value


def from_query_params(
    params: Mapping[str, str | list[str]], *, story: Story, lang: str = "en"
) -> tuple[PresenterState | None, list[str]]:
    """The presenter state in the URL (None unless ``mode=present``); bad values fall back with a message in
    ``lang``."""
    if _first(params.get("mode", "")) != "present":
        return None, []
    _ = translator(lang).gettext
    state, problems = PresenterState(), []
    if "chapter" in params:
        raw = _first(params["chapter"])
        if raw.isdigit() and 1 <= int(raw) <= len(story.chapters):
            state = PresenterState(int(raw), state.lang)
        else:
            problems.append(
                _("chapter: {value} is not a chapter number from 1 to {count}").format(
                    value=repr(raw), count=len(story.chapters)
                )
            )
    if "lang" in params:
        raw = _first(params["lang"])
        if raw in LANGUAGES:
            state = PresenterState(state.chapter, raw)
        else:
            problems.append(
                _("{key}: {value} is not one of {choices}").format(
                    key="lang", value=repr(raw), choices=", ".join(LANGUAGES)
                )
            )
    return state, problems


def to_query_params(state: PresenterState) -> dict[str, str]:
    """The URL query parameters that open this chapter in presenter mode."""
    return {"mode": "present", "chapter": str(state.chapter), "lang": state.lang}


def chapter_view(chapter: Chapter, *, size_px: tuple[int, int] = MAP_SIZE_PX) -> tuple[tuple[float, float], int]:
    """The map centre (lat, lon) and whole zoom that fit the chapter's bounds."""
    view = View(chapter.id, chapter.title.en, chapter.bounds)
    return view.center, view.zoom(width_px=size_px[0], height_px=size_px[1])


def step(current: int, control: str, *, count: int) -> int:
    """The chapter that ``control`` (first, previous, next, last) leads to from ``current``, within 1..count."""
    target = {"first": 1, "previous": current - 1, "next": current + 1, "last": count}[control]
    return max(1, min(count, target))
