"""The app's page: presenter mode when the session is presenting, the explore page otherwise.

Offers:
- ``main``: run once per script run, after ``st.set_page_config``.
"""

from __future__ import annotations

import streamlit as st

from kupiansk_map.app.caches import cached_story
from kupiansk_map.app.explore import explore_page
from kupiansk_map.app.presenter_page import presenter_page
from kupiansk_map.app.session import STATE_KEY, init_state, show_link_problems
from kupiansk_map.paths import data_dir as layers_dir


def main() -> None:
    data_dir = str(layers_dir())  # $KUPIANSK_MAP_DATA_DIR: tests point the app at other (say, broken) layers
    story = cached_story()
    problems = init_state(story)
    if st.session_state[STATE_KEY].present:
        show_link_problems(problems)
        presenter_page(data_dir, story)
        return
    explore_page(data_dir, problems)
