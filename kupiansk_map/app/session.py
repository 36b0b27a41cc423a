"""This session's state in Streamlit: seeded from the URL once, widget values pinned, bad link values shown.

Offers:
- ``OFFLINE``
- ``store``: the archive store the app reads (``kupiansk-map serve --store``, or ``$KUPIANSK_MAP_STORE``).
- ``STATE_KEY``
- ``catalogue``: the sources there are.
- ``source_ranges``: the sources there are, with their first and last days.
- ``current_source``: the ``SourceInfo`` of the session's source.
- ``init_state``
- ``pin_widgets``
- ``sync_state``
- ``state_from_session``
- ``show_link_problems``
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace

import streamlit as st

from kupiansk_map import paths
from kupiansk_map.analysis import summary
from kupiansk_map.app import state as page_state
from kupiansk_map.app.caches import SourceInfo, source_catalogue
from kupiansk_map.app.state import PageState
from kupiansk_map.i18n import translator
from kupiansk_map.paths import OFFLINE_ENV
from kupiansk_map.story.chapters import Story
from kupiansk_map.web.views import ViewState

OFFLINE = os.environ.get(OFFLINE_ENV) == "1"


def store() -> str:
    """The archive store this server reads: ``$KUPIANSK_MAP_STORE`` (set by ``serve --store``), else the default."""
    return str(paths.store_path())


# The one session-state key that holds this visitor's PageState (session.py); widgets keep their own keys.
STATE_KEY = "km_state"


def init_state(story: Story) -> list[str]:
    """Seed this session's state from the URL on its first run, then sync it with the widgets.

    Returns the link's bad values, kept until the visitor changes a setting (so that the message survives the
    second run that draws the rest of the page)."""
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY], _ = page_state.from_query_params(
            st.query_params.to_dict(), story=story, offline=OFFLINE, ranges=source_ranges()
        )
    elif not st.session_state[STATE_KEY].settled:  # every run after the session's first draws the whole page
        st.session_state[STATE_KEY] = replace(st.session_state[STATE_KEY], settled=True)
    pin_widgets()
    return list(st.session_state[STATE_KEY].link_problems)


def pin_widgets() -> None:
    """At the start of a full run, before any widget is drawn: keep every widget's value through the run.

    Fragment reruns need none: Streamlit drops only the widgets of the fragment that a fragment rerun skips."""
    page_state.pin_widgets(st.session_state, sync_state())


def catalogue() -> dict[str, SourceInfo]:
    """The sources there are, by name: the built-in one, then the store's archives."""
    return source_catalogue(str(paths.data_dir()), store())


def source_ranges() -> dict[str, tuple[dt.date, dt.date]]:
    """Every source's first and last day, by name (the built-in source first)."""
    return {name: (info.first_day, info.last_day) for name, info in catalogue().items()}


def current_source() -> SourceInfo:
    """The session's source (the built-in one when the store no longer holds the archive)."""
    known = catalogue()
    return known.get(sync_state().source, known["builtin"])


def sync_state() -> PageState:
    """The state with what the widgets hold now, fitted to the sources there are.

    Picking another source can leave the date outside its range: the state then takes the source's default date,
    and the widgets are told before any of them is drawn (the pick reruns the whole page, which syncs first)."""
    held = page_state.capture(st.session_state, st.session_state[STATE_KEY])
    state = page_state.within_sources(held, source_ranges())
    if state is not held:
        for key, value in page_state.widget_values(state).items():
            if key in ("source", "versus", "date") and st.session_state.get(key) != value:
                st.session_state[key] = value
    st.session_state[STATE_KEY] = state
    return state


def state_from_session() -> ViewState:
    """The view state the widgets hold for this run."""
    return sync_state().view


def show_link_problems(problems: list[str]) -> None:
    """One short warning naming every value of the link that was replaced, however many there were. (The lead is
    in the session's language; each problem names the URL parameter and its value as typed.)"""
    if not problems:
        return
    lead = (
        translator(sync_state().lang)
        .ngettext(
            "A default replaced this value from the link:",
            "Defaults replaced these {count} values from the link:",
            len(problems),
        )
        .format(count=len(problems))
    )
    st.warning(f"{lead} " + " · ".join(summary.markdown_literal(problem) for problem in problems), icon="⚠️")
