"""Presenter mode's page: the story on a projector, chapter by chapter.

Offers:
- ``go_to``
- ``presenter_page``
"""

from __future__ import annotations

from dataclasses import replace
from html import escape

import streamlit as st
from streamlit_folium import st_folium

from kupiansk_map.analysis import summary
from kupiansk_map.app import state as page_state
from kupiansk_map.app.caches import cached_basemap_script, cached_layer_script, cached_layers, fallback_scripts
from kupiansk_map.app.session import OFFLINE, STATE_KEY, sync_state
from kupiansk_map.app.sidebar import language_picker
from kupiansk_map.i18n import translator
from kupiansk_map.layers.definitions import timeline
from kupiansk_map.model import BASEMAP_LAYER_ID
from kupiansk_map.story import presenter
from kupiansk_map.story.chapters import Story, format_date, ui_labels
from kupiansk_map.web import assets, render, static_text
from kupiansk_map.web.presenter_map import PresenterControls, narration_group


def go_to(control: str, count: int) -> None:
    page = st.session_state[STATE_KEY]
    st.session_state[STATE_KEY] = replace(page, chapter=presenter.step(page.chapter, control, count=count))


def presenter_page(data_dir: str, story: Story) -> None:
    """The story on a projector: large type, the map as tall as the screen, and controls for keyboards and
    clickers. The sidebar (presenter switch, language) starts collapsed, so the chapter fills the screen."""
    st.set_page_config(initial_sidebar_state="collapsed")
    with st.sidebar:
        language_picker()
        st.toggle(translator(sync_state().lang).gettext("Presenter mode"), key="present")
    page = sync_state()
    shown = presenter.PresenterState(page.chapter, page.lang)
    chapter, lang, count = story.chapter(shown.chapter), shown.lang, len(story.chapters)
    st.query_params.from_dict(page_state.to_query_params(page))
    st.html(f"<style>{static_text('presenter-page.css')}</style>")
    labels = ui_labels(lang)
    _ = translator(lang).gettext
    counter = f"{labels['chapter']} {shown.chapter} / {count}"
    day = format_date(chapter.date, lang=lang)
    with st.container(key="km_presenter"):
        nav = st.columns([1, 2, 2, 2, 1], vertical_alignment="center")
        nav[0].button(
            "|◀",
            key="first",
            on_click=go_to,
            args=("first", count),
            shortcut="home",
            help="Home",
            disabled=shown.chapter == 1,
        )
        nav[1].button(
            f"◀ {labels['previous']}",
            key="previous",
            on_click=go_to,
            args=("previous", count),
            shortcut="left",
            disabled=shown.chapter == 1,
            width="stretch",
        )
        nav[2].markdown(f"<div class='km-presenter-progress'>{escape(counter)}</div>", unsafe_allow_html=True)
        nav[3].button(
            f"{labels['next']} ▶",
            key="next",
            on_click=go_to,
            args=("next", count),
            shortcut="right",
            disabled=shown.chapter == count,
            width="stretch",
            type="primary",
        )
        nav[4].button(
            "▶|",
            key="last",
            on_click=go_to,
            args=("last", count),
            shortcut="end",
            help="End",
            disabled=shown.chapter == count,
        )
        st.button(
            _("clicker back"), key="clicker_previous", on_click=go_to, args=("previous", count), shortcut="pageup"
        )
        st.button(_("clicker forward"), key="clicker_next", on_click=go_to, args=("next", count), shortcut="pagedown")
        map_col, text_col = st.columns([11, 9])
        with map_col, st.container(key="km_presenter_map"):
            center, zoom = presenter.chapter_view(chapter)
            base = render.base_map(
                basemap=page.view.basemap,
                offline=OFFLINE,
                presenter=True,
                fallback=fallback_scripts(data_dir, lang),
                lang=lang,
                offline_basemap=cached_basemap_script(data_dir, None, lang),
            )
            PresenterControls(lang=lang).add_to(base)
            groups = render.groups_from_scripts(
                {
                    BASEMAP_LAYER_ID: cached_basemap_script(data_dir, chapter.date, lang),
                    **{
                        layer_id: cached_layer_script(
                            data_dir, layer_id, chapter.date, zoom, timeline.FRONT_BUFFER_KM, chapter.highlight, lang
                        )
                        for layer_id in chapter.layers
                        if layer_id in cached_layers(data_dir).layers
                    },
                }
            )
            groups.append(
                narration_group(counter=counter, date=day, title=chapter.title[lang], text=chapter.narration[lang])
            )
            assets.localize(base)
            st_folium(
                base,
                key="presenter_map",
                feature_group_to_add=groups,
                center=center,
                zoom=zoom,
                returned_objects=[],
                use_container_width=True,
                height=presenter.MAP_SIZE_PX[1],
            )
        with text_col:
            st.markdown(f"<div class='km-presenter-date'>{escape(day)}</div>", unsafe_allow_html=True)
            st.title(summary.markdown_literal(chapter.title[lang]))
            with st.container(key="km_narration"):
                st.markdown(
                    f"<div class='km-presenter-narration'><p>{escape(chapter.narration[lang])}</p></div>",
                    unsafe_allow_html=True,
                )
            st.caption(f"{labels['sources']}: " + summary.markdown_literal("; ".join(chapter.sources)))
            st.caption(summary.markdown_literal(labels["keys_help"]))
