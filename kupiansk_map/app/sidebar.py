"""The sidebar's widgets: modes and view, the date, the layers, the zone near the front and the basemap.

Offers:
- ``KEY_DATE_LABELS``
- ``sidebar_modes``
- ``date_control``
- ``sidebar_layers``
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kupiansk_map.app.session import OFFLINE, sync_state
from kupiansk_map.layers.definitions import timeline
from kupiansk_map.web.views import BASEMAPS, BUFFER_KM_RANGE, LAYER_GROUPS, VIEWS, timeline_dates

KEY_DATE_LABELS = dict(timeline.KEY_DATES)


def sidebar_modes(slot: DeltaGenerator) -> None:
    """The top of the sidebar, in ``slot``: the page's modes and the view. Their values live in session state."""
    with slot:
        st.toggle("Presenter mode", key="present", help="The story chapter by chapter, for a class.")
        st.toggle(
            "Analyst tools",
            key="analyst",
            help="Measuring on the map, comparing dates, distance bands, series, uploads and archives.",
        )
        st.header("Map controls")
        st.radio("View", list(VIEWS), format_func=lambda v: VIEWS[v].label, key="view")


def date_control() -> None:
    """The date slider. It is drawn by ``dated_page``, so that moving it reruns only that fragment."""
    page = sync_state()
    extra = set(page.imported.dates) if page.imported is not None else set()
    dates = sorted(set(timeline_dates()) | {page.view.date} | extra)
    with st.sidebar:
        st.select_slider(
            "Date",
            options=dates,
            key="date",
            format_func=lambda d: f"{d:%d %b %Y}" + (f": {KEY_DATE_LABELS[d]}" if d in KEY_DATE_LABELS else ""),
        )


def sidebar_layers() -> None:
    """The rest of the sidebar: layers, the zone near the front and the basemap."""
    with st.sidebar:
        for group, entries in LAYER_GROUPS.items():
            st.markdown(f"**{group}**")
            for layer_id, label in entries:
                st.checkbox(label, key=f"layer_{layer_id}")
        low, high = BUFFER_KM_RANGE
        st.slider(
            "Zone near the front (km)",
            low,
            high,
            step=0.5,
            key="buffer_km",
            help="Recomputed in metres in UTM zone 37N.",
        )
        choices = ["none"] if OFFLINE else list(BASEMAPS)
        st.selectbox(
            "Basemap",
            choices,
            format_func=BASEMAPS.__getitem__,
            key="basemap",
            disabled=OFFLINE,
            help="Offline mode draws no tiles." if OFFLINE else None,
        )
