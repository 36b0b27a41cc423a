"""The explore page: the map first, then the figures, the summary, the charts over time and the downloads.

Offers:
- ``map_request``
- ``show_map``; ``dated_scripts``: its dated groups' code; ``read_ahead``: the next day's, made during playback
- ``show_history`` (from ``app.history``): the figures over time, as charts
- ``show_downloads``
- ``show_caveats``
- ``dated_page``
- ``explore_page``: the whole page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from kupiansk_map.analysis import coverage, stats, summary
from kupiansk_map.app import panels
from kupiansk_map.app import state as page_state
from kupiansk_map.app.analyst import overlay_groups, show_analysis
from kupiansk_map.app.caches import (
    cached_basemap_script,
    cached_figures,
    cached_layer_script,
    cached_layers,
    fallback_scripts,
    map_labels,
    map_notes,
    script_day,
    source_layers,
)
from kupiansk_map.app.disputes import dispute_groups, show_dispute_panel
from kupiansk_map.app.history import show_history
from kupiansk_map.app.session import (
    OFFLINE,
    STATE_KEY,
    current_source,
    show_link_problems,
    state_from_session,
    sync_state,
)
from kupiansk_map.app.sidebar import sidebar_layers, sidebar_modes
from kupiansk_map.app.state import MapView, PageState
from kupiansk_map.app.timeline import KEY_DATES, playback_step, timeline_controls
from kupiansk_map.export import downloads
from kupiansk_map.i18n import translator
from kupiansk_map.ingest.sources import REPLACED_LAYERS
from kupiansk_map.model import BASEMAP_LAYER_ID, LAYERS, STATUS_LABELS, layer_spec
from kupiansk_map.story.chapters import format_date
from kupiansk_map.web import assets, render
from kupiansk_map.web.views import VIEWS, ViewState


def map_request(page: PageState, signature: tuple) -> MapView:
    """The view to tell the map: unchanged while its iframe lives, so that a pan in progress is never pulled back.

    A base map rebuilt (another basemap, or analyst tools switched) opens where the old one was."""
    if page.map_signature and signature != page.map_signature and page.map_view is not None:
        return page.map_view
    if page.map_request is not None:
        return page.map_request
    preset = VIEWS[page.view.view]
    return MapView(*preset.center, preset.zoom())


def dated_scripts(data_dir: str, layers: dict, state: ViewState, zoom: int) -> dict[str, str | None]:
    """The Leaflet code of the map's dated groups for ``state`` at ``zoom``: the offline basemap's dated part and
    each chosen layer of ``layers`` (the source's layers on ``state.date``). Every script is cached."""
    page = sync_state()
    source = current_source().key
    replaced = (
        ("occupied", "front_line", "front_buffer")
        if page.imported is not None and st.session_state.get("imported_mode") == "instead"
        else ()
    )
    return {
        BASEMAP_LAYER_ID: cached_basemap_script(data_dir, state.date, page.lang),
        **{
            layer_id: cached_layer_script(
                data_dir,
                layer_id,
                script_day(source, layer_id, state.date),
                zoom,
                state.buffer_km,
                lang=page.lang,
                source=source,
            )
            for layer_id in state.layers
            if layer_id in layers and layer_id not in replaced
        },
    }


def read_ahead(data_dir: str, state: ViewState, zoom: int) -> None:
    """Make the scripts of the day after ``state.date`` while the browser draws this one: playback goes a day at
    a time, and its next step then finds them cached (a run ends only once this returns, and the next step's
    value cannot come sooner than the browser has drawn this one, so the two overlap)."""
    source = current_source()
    day = state.date + dt.timedelta(days=1)
    if day > source.last_day:
        return
    dated_scripts(data_dir, source_layers(data_dir, source.key, day, state.buffer_km), replace(state, date=day), zoom)


def show_map(data_dir: str, layers: dict, state: ViewState) -> int:
    """The map of ``state`` with ``layers`` drawn; returns the zoom the layers were simplified for."""
    page = sync_state()
    signature = (state.basemap, OFFLINE, page.analyst, page.lang)
    request = map_request(page, signature)
    zoom = request.zoom
    base = render.base_map(
        basemap=state.basemap,
        offline=OFFLINE,
        measure=page.analyst,
        fallback=fallback_scripts(data_dir, page.lang),
        lang=page.lang,
        offline_basemap=cached_basemap_script(data_dir, None, page.lang),
    )
    groups = render.groups_from_scripts(dated_scripts(data_dir, layers, state, zoom)) + overlay_groups(data_dir, state)
    groups += dispute_groups(data_dir, state.date, state.view, zoom)  # two archives compared: where they disagree
    assets.localize(base)
    # The map reports its view after each move (a fragment rerun, the map's iframe stays) so the URL can hold it.
    returned = st_folium(
        base,
        key="map",
        feature_group_to_add=groups,
        center=request.center,
        zoom=request.zoom,
        returned_objects=["zoom", "center"],
        use_container_width=True,
        height=560,
    )
    st.session_state[STATE_KEY] = page_state.with_map_view(
        replace(page, map_request=request, map_signature=signature), returned
    )
    return zoom


def show_downloads(
    layers: dict, state: ViewState, figures: stats.SituationFigures, lang: str, *, archive: str | None = None
) -> None:
    """Download buttons. Files are made when clicked (deferred), so a redraw does not build them.

    With an ``archive`` as the source its layers hold only the chosen date's states here, so they download one
    date at a time (the whole archive: ``kupiansk-map archive export``)."""
    _ = translator(lang).gettext
    st.subheader(_("Downloads"))
    cols = st.columns([2, 2, 2])
    with cols[0]:
        layer_id = st.selectbox(
            _("Layer"),
            [spec.id for spec in LAYERS if spec.id in layers],
            format_func=lambda i: _(layer_spec(i).title),
            key="download_layer",
        )
        per_date = archive is not None and layer_id in REPLACED_LAYERS
        only_date = st.checkbox(
            _("Only features valid on the chosen date"), value=True, key="download_filtered", disabled=per_date
        )
        only_date = only_date or per_date
        day = state.date if only_date else None
        suffix = f"-{state.date.isoformat()}" if only_date else ""
        # A dated layer filtered to a date its sources do not describe would be an empty file that reads as
        # "nothing held": refused, with the reason.
        refusal = downloads.refusal(layers, layer_id, day)
        st.download_button(
            _("Download GeoJSON"),
            partial(downloads.layer_geojson, layers[layer_id], day=day),
            file_name=f"{layer_id}{suffix}.geojson",
            mime="application/geo+json",
            on_click="ignore",
            disabled=refusal is not None,
        )
        if refusal:
            st.caption(summary.markdown_literal(_("Not available: {reason}.").format(reason=refusal)))
        elif per_date:
            st.caption(
                summary.markdown_literal(
                    _("The {archive} archive's states, one date at a time; the whole archive: {command}").format(
                        archive=archive, command=f"kupiansk-map archive export {archive} --out OUT.gpkg"
                    )
                )
            )
    with cols[1]:
        st.download_button(
            _("All layers as GeoPackage"),
            partial(downloads.geopackage, layers),
            file_name="kupiansk-map.gpkg",
            mime="application/geopackage+sqlite3",
            on_click="ignore",
        )
    with cols[2]:
        st.download_button(
            _("Figures as CSV"),
            partial(downloads.figures_csv, figures),
            file_name=f"kupiansk-map-figures-{figures.date}.csv",
            mime="text/csv",
            on_click="ignore",
        )


def show_caveats(layers: dict, lang: str, *, archive: str | None = None, attribution: str | None = None) -> None:
    """Sources and caveats; with an ``archive`` as the source, its mapped ranges and whose assessment it is."""
    _ = translator(lang).gettext
    mapped = {
        sector: coverage.describe_ranges(coverage.mapped_ranges(layers, sector), lang=lang)
        for sector in ("kupiansk", "kursk")
    }
    with st.expander(_("Sources and caveats"), expanded=False):
        st.markdown(
            "\n".join(
                (
                    _(
                        "- **Sources.** The account of 13 November 2024 comes from a Reuters report of 14 November "
                        "2024, which quotes Ukrainian officials, a Moscow-installed official and a Finnish analyst. "
                        "The river and the state border come from the GSHHG database; place coordinates from "
                        "Wikipedia and GeoNames."
                    ),
                    _(
                        "- **Claims.** Each side's account is shown as a claim, in its own colour and with a dashed "
                        "outline. Neither was independently verified."
                    ),
                    _(
                        "- **Schematic shapes.** Front lines, occupied areas, the Kursk outlines, the city outline, "
                        "the industrial zone and the railways are drawn approximately. Their popups say so. Kursk "
                        "outlines are sized to the reported areas, but their shapes are not reported."
                    ),
                    *(
                        ()
                        if archive is None
                        else (
                            _(
                                "- **Source of the situation.** The Russian-held ground, the front line and the "
                                "Ukrainian-held area in Russia are the {archive} archive's assessment for each "
                                "day it holds ({attribution}), not facts. Its front line is the edge of its "
                                "Russian-held area inside Ukraine."
                            ).format(
                                archive=summary.markdown_literal(archive),
                                attribution=summary.markdown_literal(attribution or _("no attribution given")),
                            ),
                        )
                    ),
                    _(
                        "- **Time.** The map shows a state only while its sources describe it. Mapped: the Kupiansk "
                        "sector {kupiansk}; the Kursk salient {kursk}. On other dates the map draws nothing for that "
                        "sector and gives no figures for it."
                    ).format(
                        kupiansk=summary.markdown_literal(mapped["kupiansk"]),
                        kursk=summary.markdown_literal(mapped["kursk"]),
                    ),
                )
            )
        )
        statuses = _("What each status means")
        st.markdown(f"**{statuses}**")
        st.markdown("\n".join(f"- `{status}`: {_(label)}." for status, label in STATUS_LABELS.items()))


@st.fragment
def dated_page(data_dir: str) -> None:
    """Everything that depends on the date and the layers. A date or layer change reruns only this, not the
    modes or the caveats.

    The map comes first (see ``explore_page``); the date control is drawn right under it, and the layer switches
    after it, into the sidebar."""
    playing = playback_step()
    state = state_from_session()
    source = current_source()
    first, last = source.first_day, source.last_day  # the state keeps the date inside them (state.within_sources)
    layers = source_layers(data_dir, source.key, state.date, state.buffer_km)
    # The map takes the full width and the figures follow it at once; the summary in words comes next, at
    # full width too, where it reads in a few lines (beside the map it was a narrow column thousands of px tall).
    zoom = show_map(data_dir, layers, state)
    draw_scale = timeline_controls(first=first, last=last, key_dates=KEY_DATES, lang=sync_state().lang)
    st.query_params.from_dict(page_state.to_query_params(st.session_state[STATE_KEY]))
    page = st.session_state[STATE_KEY]
    if not page.settled:
        # A session's first run sends the map and little else, so that the browser draws the map without
        # competing with the figures, summary, chart, downloads and layer switches. The map's first report of its
        # view (or the first interaction) reruns this fragment, which then draws the rest. (Not a rerun of the
        # whole app: a widget changed during that one could be lost.) Measured with python -m bench.
        if not page.first_run_done:
            st.caption(translator(page.lang).gettext("Loading the figures for this date…"))
            # The layer switches follow in the sidebar: a fragment may write there in its reruns only where it
            # wrote in the full run, so their place is kept now.
            st.sidebar.empty()
            draw_scale()
            return
        st.session_state[STATE_KEY] = replace(page, settled=True)
    sidebar_layers()
    lang = page.lang
    _ = translator(lang).gettext
    if playing:
        # Playback draws each date's map and nothing more, so that it keeps pace; the figures for a date are
        # drawn when playback stops (the pause sends the date again), never figures of another date.
        st.caption(_("Playing: the figures, the summary and the charts follow when playback stops."))
        draw_scale()
        read_ahead(data_dir, state, zoom)
        return
    figures = cached_figures(data_dir, state.date, state.buffer_km, source.key)
    not_mapped = {
        sector: coverage.describe_not_mapped(layers, sector, state.date, lang=lang) or message
        for sector, message in figures.not_mapped.items()
    }
    st.html(
        panels.figures_html(
            figures, lang=lang, not_mapped=not_mapped, archive=None if source.is_builtin else source.name
        )
    )
    show_dispute_panel(data_dir, state.date, state.view)
    with st.container(key="km_summary"):
        st.subheader(_("The situation on {date}").format(date=format_date(state.date, lang=lang)))
        st.markdown(
            "\n".join(
                f"- {summary.markdown_literal(line)}"
                for line in summary.situation_summary(
                    figures,
                    layers,
                    lang=lang,
                    names=map_labels(lang),
                    notes=map_notes(lang),
                    archive=None if source.is_builtin else source.name,
                )
            )
        )
        st.caption(
            _(
                "Share this view: copy the page address; it holds the date, view, layers, zone, basemap, language "
                "and the map's zoom and centre."
            )
        )
    show_history(data_dir, source, state.date, lang)
    show_downloads(layers, state, figures, lang, archive=None if source.is_builtin else source.name)
    if st.session_state.get("analyst"):
        show_analysis(data_dir, state)
    draw_scale()  # last: its acknowledgement paces playback, so it follows everything drawn for the date


def explore_page(data_dir: str, problems: list[str]) -> None:
    """The explore page; ``problems`` are the link's bad values (first run only), shown in one message."""
    loaded = cached_layers(data_dir)
    # The map is sent to the browser first, so that its frame starts loading while the rest of the page is drawn;
    # the heading above it and the top of the sidebar are slots filled afterwards. (Every value the map needs is
    # in the session state already, so no widget has to be drawn before it.)
    heading, modes = st.container(), st.sidebar.container()
    dated_page(data_dir)
    _ = translator(st.session_state[STATE_KEY].lang).gettext
    with heading:
        st.title(_("Kupiansk, 13 November 2024"))
        st.markdown(
            _(
                "Russian forces attacked Kupiansk in four waves and briefly got into its industrial zone and "
                "suburbs before being pushed back, according to Ukrainian officials. Meanwhile the area Ukraine "
                "held in Russia's Kursk region was shrinking. Pick a date and a view in the sidebar."
            )
        )
        show_link_problems(list(st.session_state[STATE_KEY].link_problems) or problems)
        for layer_id, error in loaded.errors.items():
            message = _("Layer '{layer}' could not be shown: {error}").format(layer=layer_id, error=error)
            st.error(summary.markdown_literal(message))
        if OFFLINE:
            st.info(
                _(
                    "Offline mode: no map tiles; the offline basemap (sea, borders, rivers and cities) is drawn "
                    "instead, under the project's own layers."
                )
            )
    sidebar_modes(modes)
    source = current_source()
    page = st.session_state[STATE_KEY]
    show_caveats(
        source_layers(data_dir, source.key, page.view.date, page.view.buffer_km),
        page.lang,
        archive=None if source.is_builtin else source.name,
        attribution=source.attribution,
    )
    page = st.session_state[STATE_KEY]
    if not page.first_run_done:
        st.session_state[STATE_KEY] = replace(page, first_run_done=True)
