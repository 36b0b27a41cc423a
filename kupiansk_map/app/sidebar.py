"""The sidebar's widgets: modes, language and view, the layers, the zone near the front and the basemap.

The date control is under the map (``app.timeline``).

Every label is in the session's language (``PageState.lang``), from the gettext catalogue.

Offers:
- ``sidebar_modes``
- ``language_picker``
- ``sidebar_layers``
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kupiansk_map.app.session import OFFLINE, sync_state
from kupiansk_map.i18n import LANGUAGES, language_name, translator
from kupiansk_map.web.views import BASEMAPS, BUFFER_KM_RANGE, LAYER_GROUPS, VIEWS


def language_picker() -> None:
    """The language of the whole app; its value lives in session state and in the URL (``lang``)."""
    st.radio(
        "Language / Мова",
        LANGUAGES,
        key="lang",
        horizontal=True,
        format_func=language_name,
    )


def sidebar_modes(slot: DeltaGenerator) -> None:
    """The top of the sidebar, in ``slot``: the language, the page's modes and the view. Their values live in
    session state."""
    _ = translator(sync_state().lang).gettext
    with slot:
        language_picker()
        st.toggle(_("Presenter mode"), key="present", help=_("The story chapter by chapter, for a class."))
        st.toggle(
            _("Analyst tools"),
            key="analyst",
            help=_("Measuring on the map, comparing dates, distance bands, series, uploads and archives."),
        )
        st.header(_("Map controls"))
        st.radio(_("View"), list(VIEWS), format_func=lambda v: _(VIEWS[v].label), key="view")


def sidebar_layers() -> None:
    """The rest of the sidebar: layers, the zone near the front and the basemap."""
    _ = translator(sync_state().lang).gettext
    with st.sidebar:
        for group, entries in LAYER_GROUPS.items():
            st.markdown(f"**{_(group)}**")
            for layer_id, label in entries:
                st.checkbox(_(label), key=f"layer_{layer_id}")
        low, high = BUFFER_KM_RANGE
        st.slider(
            _("Zone near the front (km)"),
            low,
            high,
            step=0.5,
            key="buffer_km",
            help=_("Recomputed in metres in UTM zone 37N."),
        )
        choices = ["none"] if OFFLINE else list(BASEMAPS)
        st.selectbox(
            _("Basemap"),
            choices,
            format_func=lambda key: _(BASEMAPS[key]),
            key="basemap",
            disabled=OFFLINE,
            help=_("Offline mode draws no tiles.") if OFFLINE else None,
        )
