"""The sidebar's widgets: modes, language and view, the layers, the zone near the front and the basemap.

The date control is under the map (``app.timeline``).

Every label is in the session's language (``PageState.lang``), from the gettext catalogue.

Offers:
- ``sidebar_modes``
- ``language_picker``
- ``source_picker``
- ``sidebar_layers``
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kupiansk_map.app.session import OFFLINE, catalogue, sync_state
from kupiansk_map.i18n import LANGUAGES, format_date, language_name, translator
from kupiansk_map.ingest.sources import BUILTIN
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
        source_picker()
        st.radio(_("View"), list(VIEWS), format_func=lambda v: _(VIEWS[v].label), key="view")


def source_picker() -> None:
    """Where the situation layers come from: the built-in explainer or an archive of the store (``source``), and
    a second archive to compare with (``versus``). Both are in the URL."""
    page = sync_state()
    lang = page.lang
    _ = translator(lang).gettext
    sources = catalogue()

    def label(name: str) -> str:
        if name == BUILTIN:
            return _("Built-in explainer (schematic)")
        info = sources[name]
        return _("Archive {name}, {first} – {last}").format(
            name=name,
            first=format_date(info.first_day, lang=lang, form="short"),
            last=format_date(info.last_day, lang=lang, form="short"),
        )

    st.selectbox(
        _("Source of the situation"),
        list(sources),
        key="source",
        format_func=label,
        help=_(
            "The built-in explainer draws the story's stages schematically. An archive of the local store "
            "draws its own assessment for every day it holds. Import archives with kupiansk-map archive import."
        ),
    )
    info = sources.get(page.source)
    if info is not None and not info.is_builtin:
        st.caption(_("Attribution: {attribution}").format(attribution=info.attribution or _("none given")))
    others = [name for name in sources if name not in (BUILTIN, page.source)]
    if page.source != BUILTIN and others:
        st.selectbox(
            _("Compare with a second archive"),
            ["", *others],
            key="versus",
            format_func=lambda name: label(name) if name else _("None"),
            help=_("The map then draws the ground the two archives disagree about, and the figures give both."),
        )


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
