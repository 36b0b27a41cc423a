"""kupiansk-map, the Streamlit app: wires widgets to the package's pure functions. No geometry here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import tempfile
from dataclasses import replace
from functools import partial
from html import escape
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_folium import st_folium

from kupiansk_map.analysis import bands, compare, series, stats, summary
from kupiansk_map.app import panels
from kupiansk_map.app import state as session
from kupiansk_map.app.state import MapView, PageState
from kupiansk_map.export import downloads
from kupiansk_map.ingest import snapshots, uploads
from kupiansk_map.layers.builders import build_front_buffer
from kupiansk_map.layers.definitions import timeline
from kupiansk_map.layers.store import LoadedLayers, load_layers, read_layer
from kupiansk_map.model import LAYERS, STATUS_LABELS, features_on, layer_spec
from kupiansk_map.paths import OFFLINE_ENV
from kupiansk_map.paths import data_dir as layers_dir
from kupiansk_map.story import presenter
from kupiansk_map.story.chapters import LANGUAGES, Story, format_date, load_story
from kupiansk_map.web import assets, chart, render, static_text
from kupiansk_map.web.presenter_map import PresenterControls, narration_group
from kupiansk_map.web.style import BAND_STYLE, CHANGE_STYLES, IMPORTED_STYLES, OVERLAY_LEGEND, upload_legend
from kupiansk_map.web.views import BASEMAPS, BUFFER_KM_RANGE, LAYER_GROUPS, VIEWS, ViewState, timeline_dates

st.set_page_config(page_title="Kupiansk, 13 November 2024: front-line map", page_icon="🗺️", layout="wide")
OFFLINE = os.environ.get(OFFLINE_ENV) == "1"
# The one session-state key that holds this visitor's PageState (session.py); widgets keep their own keys.
STATE_KEY = "km_state"
KEY_DATE_LABELS = dict(timeline.KEY_DATES)


@st.cache_resource(show_spinner=False)
def cached_layers(data_dir: str) -> LoadedLayers:
    """The built layers, read and validated once per server and shared by every session (read-only)."""
    loaded = load_layers(data_dir)
    print(f"kupiansk-map: loaded {len(loaded.layers)} layers from {data_dir}", file=sys.stderr, flush=True)
    return loaded


@st.cache_data(show_spinner=False, max_entries=64)
def cached_buffer(data_dir: str, distance_km: float) -> dict:
    """The zone within ``distance_km`` of each front line, recomputed in metres in UTM 37N."""
    return build_front_buffer(cached_layers(data_dir).layers["front_line"], distance_km=distance_km)


@st.cache_data(show_spinner=False, max_entries=256)
def cached_figures(data_dir: str, day: dt.date, distance_km: float) -> stats.SituationFigures:
    return stats.figures_on(layers_for(data_dir, distance_km), day)


@st.cache_data(show_spinner=False, max_entries=512)
def cached_layer_script(
    data_dir: str,
    layer_id: str,
    day: dt.date | None,
    zoom: int,
    distance_km: float,
    highlight: tuple[str, ...] = (),
    lang: str = "en",
) -> str | None:
    """The Leaflet code for one layer on a date, simplified for the view's zoom, with escaped popups."""
    data = render.layer_data(
        layers_for(data_dir, distance_km)[layer_id],
        layer_id,
        day,
        zoom=zoom,
        highlight=frozenset(highlight),
        labels=map_labels(lang),
    )
    return render.layer_script(data) if data["features"] else None


@st.cache_resource(show_spinner=False)
def cached_story() -> Story:
    """The presentation story (definitions/story.json), read once per server."""
    return load_story()


def map_labels(lang: str) -> dict[str, str]:
    """Map label texts in ``lang``: place names and claims by id, claim labels by claimant, and legend labels
    (English uses the data's names)."""
    if lang == "en":
        return {}
    story = cached_story()
    return {
        **story.legend.get(lang, {}),
        **story.names.get(lang, {}),
        "claimed-ua": story.label("claim_ua", lang=lang),
        "claimed-ru": story.label("claim_ru", lang=lang),
    }


def layers_for(data_dir: str, distance_km: float) -> dict:
    """The layers, with the buffer rebuilt when the user picked another distance."""
    layers = dict(cached_layers(data_dir).layers)
    if "front_line" in layers and distance_km != timeline.FRONT_BUFFER_KM:
        layers["front_buffer"] = cached_buffer(data_dir, distance_km)
    return layers


def init_state(story: Story) -> list[str]:
    """Seed this session's state from the URL on its first run, then sync it with the widgets.

    Returns the URL's problems on the first run, and nothing after."""
    problems: list[str] = []
    if STATE_KEY not in st.session_state:
        st.session_state[STATE_KEY], problems = session.from_query_params(
            st.query_params.to_dict(), story=story, offline=OFFLINE
        )
    pin_widgets()
    return problems


def pin_widgets() -> None:
    """At the start of a full run, before any widget is drawn: keep every widget's value through the run.

    Fragment reruns need none: Streamlit drops only the widgets of the fragment that a fragment rerun skips."""
    session.pin_widgets(st.session_state, sync_state())


def sync_state() -> PageState:
    """The state with what the widgets hold now."""
    state = session.capture(st.session_state, st.session_state[STATE_KEY])
    st.session_state[STATE_KEY] = state
    return state


def state_from_session() -> ViewState:
    """The view state the widgets hold for this run."""
    return sync_state().view


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
    imported = st.session_state.get("_imported") or {}
    extra = {dt.date.fromisoformat(d) for d in imported.get("dates", [])}
    dates = sorted(set(timeline_dates()) | {sync_state().view.date} | extra)
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
            format_func=BASEMAPS.get,
            key="basemap",
            disabled=OFFLINE,
            help="Offline mode draws no tiles." if OFFLINE else None,
        )


@st.cache_data(show_spinner=False, max_entries=64)
def cached_comparison(data_dir: str, d1: dt.date, d2: dt.date) -> tuple[list[dict], dict[str, str]]:
    """The change table and the gained/lost overlays between two dates (gained/lost per layer)."""
    result = compare.compare_dates(cached_layers(data_dir).layers, d1, d2)
    overlays = {}
    for key, collection in compare.comparison_layers(result).items():
        # Each layer's gains and losses are their own meaning (Russian near Kupiansk, Ukrainian in Kursk).
        data = render.layer_data(
            collection,
            "occupied",
            None,
            title=f"Change {d1} to {d2}",
            style=lambda props, key=key: dict(CHANGE_STYLES[key]),
            legend=[OVERLAY_LEGEND[key]],
        )
        if data["features"]:
            overlays[key] = render.layer_script(data)
    return compare.as_rows(result), overlays


@st.cache_data(show_spinner=False, max_entries=64)
def cached_bands(data_dir: str, day: dt.date, distances: tuple[float, ...]) -> tuple[list[dict], str | None]:
    """Distance bands from the front line on ``day``: a table and an overlay."""
    layers = cached_layers(data_dir).layers
    if not features_on(layers.get("front_line", {}).get("features", []), day):
        return [], None
    found = bands.distance_bands(layers, day, distances_km=distances)
    rows = [
        {
            "band": f"{b.inner_km:g}-{b.outer_km:g} km",
            "area_km2": round(b.area_km2, 1),
            "city_km2": round(b.city_area_km2, 2),
            "city_share_pct": round(b.city_share_pct, 1),
        }
        for b in found
    ]
    # Band labels at the city's latitude, where the Kupiansk view looks.
    collection = bands.bands_collection(found, label_latitude=VIEWS["kupiansk"].center[0])
    data = render.layer_data(
        collection,
        "front_buffer",
        None,
        title="Distance bands",
        style=lambda props: dict(BAND_STYLE),
        legend=[OVERLAY_LEGEND["bands"]],
    )
    return rows, render.layer_script(data) if data["features"] else None


@st.cache_data(show_spinner=False, max_entries=16)
def cached_series(data_dir: str) -> list[dict]:
    return series.area_series(cached_layers(data_dir).layers)


def upload_results() -> dict[str, uploads.UploadResult]:
    """This session's uploads, read once each. They live in the session only, never in data/geo/."""
    memo = st.session_state.setdefault("_upload_results", {})
    files = st.session_state.get("uploads") or []
    current = {f"{f.name}:{f.file_id}": f for f in files}
    for key in [k for k in memo if k not in current]:
        del memo[key]
    for key, file in current.items():
        if key not in memo:
            memo[key] = uploads.read_upload(file.getvalue(), name=file.name)
    return memo


def overlay_groups(data_dir: str, state: ViewState) -> list:
    """The analyst overlays chosen below the map: change between dates, distance bands, uploads."""
    ss, scripts = st.session_state, []
    if not ss.get("analyst"):
        return []
    if ss.get("cmp_on") and ss.get("cmp_d1") and ss.get("cmp_d2"):
        scripts += [
            (name, script)
            for name, script in cached_comparison(data_dir, *sorted((ss["cmp_d1"], ss["cmp_d2"])))[1].items()
        ]
    if ss.get("bands_on"):
        distances, _ = parse_distances(ss.get("bands_km", ""))
        if distances:
            script = cached_bands(data_dir, state.date, distances)[1]
            if script:
                scripts.append(("Distance bands", script))
    imported = st.session_state.get("_imported")
    if imported and st.session_state.get("imported_mode", "off") != "off":
        for layer_id in ("occupied", "front_line"):
            entry = OVERLAY_LEGEND[f"imported:{layer_id}"]
            data = render.layer_data(
                imported["layers"].get(layer_id, {}),
                layer_id,
                state.date,
                title=f"Imported: {imported['name']}",
                style=lambda props, layer_id=layer_id: dict(IMPORTED_STYLES[layer_id]),
                legend=[dataclasses.replace(entry, label=f"{entry.label} ({imported['name']})")],
            )
            if data["features"]:
                scripts.append((f"Imported {layer_id}", render.layer_script(data)))
    for index, result in enumerate(upload_results().values()):
        entry = upload_legend(index, result.name)  # each upload its own colour, named in the legend
        for name, collection in result.layers.items():
            data = render.layer_data(
                collection,
                "occupied",
                state.date,
                title=f"Upload: {result.name}",
                style=lambda props, entry=entry: dict(entry.style),
                legend=[entry],
            )
            if data["features"]:
                scripts.append((f"Upload {result.name} {name}", render.layer_script(data)))
    return [render.group_from_script(name, script) for name, script in scripts]


# Drawn by the base map only when the tiles fail to load (render.base_map): undated, at one zoom, so the base
# map, and with it the iframe, stays the same across dates and views.
FALLBACK_LAYERS = ("oskil", "railways", "state_border", "places")
FALLBACK_ZOOM = 10


def fallback_scripts(data_dir: str) -> dict[str, str]:
    """The context layers the map draws itself when the tile server cannot be reached."""
    layers = cached_layers(data_dir).layers
    scripts = {
        layer_id: cached_layer_script(data_dir, layer_id, None, FALLBACK_ZOOM, timeline.FRONT_BUFFER_KM)
        for layer_id in FALLBACK_LAYERS
        if layer_id in layers
    }
    return {layer_id: script for layer_id, script in scripts.items() if script}


def parse_distances(text: str) -> tuple[tuple[float, ...], str | None]:
    """Distances typed as "2.5, 5, 10": increasing, positive, at most 100 km; or an explanation."""
    try:
        return bands.parse_distances(text), None
    except ValueError as exc:
        return (), str(exc)


def map_request(page: PageState, signature: tuple) -> MapView:
    """The view to tell the map: unchanged while its iframe lives, so that a pan in progress is never pulled back.

    A base map rebuilt (another basemap, or analyst tools switched) opens where the old one was."""
    if page.map_signature and signature != page.map_signature and page.map_view is not None:
        return page.map_view
    if page.map_request is not None:
        return page.map_request
    preset = VIEWS[page.view.view]
    return MapView(*preset.center, preset.zoom())


def show_map(data_dir: str, layers: dict, state: ViewState) -> None:
    page = sync_state()
    signature = (state.basemap, OFFLINE, page.analyst)
    request = map_request(page, signature)
    zoom = request.zoom
    base = render.base_map(
        basemap=state.basemap, offline=OFFLINE, measure=page.analyst, fallback=fallback_scripts(data_dir)
    )
    replaced = (
        ("occupied", "front_line", "front_buffer")
        if st.session_state.get("_imported") and st.session_state.get("imported_mode") == "instead"
        else ()
    )
    groups = render.groups_from_scripts(
        {
            layer_id: cached_layer_script(data_dir, layer_id, state.date, zoom, state.buffer_km)
            for layer_id in state.layers
            if layer_id in layers and layer_id not in replaced
        }
    ) + overlay_groups(data_dir, state)
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
    st.session_state[STATE_KEY] = session.with_map_view(
        replace(page, map_request=request, map_signature=signature), returned
    )


@st.cache_data(show_spinner=False, max_entries=64)
def cached_chart_svg(data_dir: str, day: dt.date) -> str:
    """The Kursk area chart as SVG: drawn by the page itself, no charting library to load."""
    return chart.kursk_area_svg(summary.kursk_series(cached_layers(data_dir).layers), day=day)


def show_chart(data_dir: str, day: dt.date) -> None:
    html = panels.chart_html(
        cached_chart_svg(data_dir, day),
        title="Ukrainian-held area in Kursk region over time",
        caption="Blue bars: the area of each mapped state. Hatched outline: a state with no "
        "reported figure, whose outline only marks where it was. Diamonds: the reported "
        "figures (the peak is Ukraine's own claim). Dashed line: the chosen date.",
    )
    if html:
        st.markdown(html, unsafe_allow_html=True)  # st.html would strip the SVG (its sanitiser allows HTML only)


def show_downloads(layers: dict, state: ViewState, figures: stats.SituationFigures) -> None:
    """Download buttons. Files are made when clicked (deferred), so a redraw does not build them."""
    st.subheader("Downloads")
    cols = st.columns([2, 2, 2])
    with cols[0]:
        layer_id = st.selectbox(
            "Layer",
            [spec.id for spec in LAYERS if spec.id in layers],
            format_func=lambda i: layer_spec(i).title,
            key="download_layer",
        )
        only_date = st.checkbox("Only features valid on the chosen date", value=True, key="download_filtered")
        day = state.date if only_date else None
        suffix = f"-{state.date.isoformat()}" if only_date else ""
        st.download_button(
            "Download GeoJSON",
            partial(downloads.layer_geojson, layers[layer_id], day=day),
            file_name=f"{layer_id}{suffix}.geojson",
            mime="application/geo+json",
            on_click="ignore",
        )
    with cols[1]:
        st.download_button(
            "All layers as GeoPackage",
            partial(downloads.geopackage, layers),
            file_name="kupiansk-map.gpkg",
            mime="application/geopackage+sqlite3",
            on_click="ignore",
        )
    with cols[2]:
        st.download_button(
            "Figures as CSV",
            partial(downloads.figures_csv, figures),
            file_name=f"kupiansk-map-figures-{figures.date}.csv",
            mime="text/csv",
            on_click="ignore",
        )


COMPARE_COLUMNS = ("title", "area_date_1_km2", "area_date_2_km2", "gained_km2", "lost_km2", "net_change_km2")
BAND_COLUMNS = {
    "band": ("Distance from the front line", ""),
    "area_km2": ("Area of the band", "km²"),
    "city_km2": ("Kupiansk outline in the band", "km²"),
    "city_share_pct": ("Share of the Kupiansk outline", "%"),
}


def show_table(rows: list[dict], columns: dict[str, tuple[str, str]]) -> None:
    """``rows`` as a table of the given columns, headed by their labels and units.

    A static table rather than a data grid: its headers wrap instead of being cut short, it fits its column at
    any width, and a screen reader reads it as a table."""
    frame = pd.DataFrame(rows)[list(columns)].rename(
        columns={key: f"{label} ({unit})" if unit else label for key, (label, unit) in columns.items()}
    )
    st.table(frame.style.format(precision=2, thousands=","), hide_index=True)


def show_analysis(data_dir: str, state: ViewState) -> None:
    """Analyst tools: compare dates, distance bands, the area series, and bringing your own layers."""
    st.header("Analyst tools")
    dates = list(timeline_dates())
    tabs = st.tabs(["Compare dates", "Distance bands", "Area over time", "Your own layers", "Snapshot archives"])
    with tabs[0]:
        st.session_state.setdefault("cmp_d1", dt.date(2024, 9, 15))
        st.session_state.setdefault("cmp_d2", dt.date(2024, 11, 13))
        cols = st.columns(2)
        cols[0].selectbox("From", dates, key="cmp_d1", format_func=format_date)
        cols[1].selectbox("To", dates, key="cmp_d2", format_func=format_date)
        st.toggle("Show the change on the map", key="cmp_on")
        d1, d2 = sorted((st.session_state["cmp_d1"], st.session_state["cmp_d2"]))
        rows, _ = cached_comparison(data_dir, d1, d2)
        st.markdown(f"**{format_date(d1)} to {format_date(d2)}**")
        show_table(rows, {key: compare.ROW_LABELS[key] for key in COMPARE_COLUMNS})
        st.caption(
            "Gained: held on the later date but not the earlier one, by the side each layer names; lost: "
            "the reverse. Overlays in UTM, areas geodesic."
        )
    with tabs[1]:
        st.text_input("Distances from the front line (km)", value="2.5, 5, 10, 20", key="bands_km")
        st.toggle("Show the bands on the map", key="bands_on")
        distances, problem = parse_distances(st.session_state["bands_km"])
        if problem:
            st.error(summary.markdown_literal(problem))
        else:
            rows, _ = cached_bands(data_dir, state.date, distances)
            if rows:
                show_table(rows, BAND_COLUMNS)
                st.caption(
                    "Each band is the ring between two distances from the front line on the chosen date; "
                    "the city columns give how much of the Kupiansk outline lies in it."
                )
            else:
                st.info("No front line is mapped on this date.")
    with tabs[2]:
        rows = cached_series(data_dir)
        frame = pd.DataFrame(rows)
        value_columns = [c for c in frame.columns if c.endswith("_km2")]
        long = frame.melt(id_vars=["date"], value_vars=value_columns, var_name="figure", value_name="km2")
        long["figure"] = long["figure"].map(series.figure_name)
        # The legend goes under the chart, one name a line and never cut short: the names are long.
        st.vega_lite_chart(
            long.dropna(),
            {
                "mark": {"type": "line", "interpolate": "step-after", "point": True},
                "encoding": {
                    "x": {"field": "date", "type": "temporal", "title": "Date"},
                    "y": {"field": "km2", "type": "quantitative", "title": "Area (km²)"},
                    "color": {
                        "field": "figure",
                        "type": "nominal",
                        "legend": {"title": None, "orient": "bottom", "direction": "vertical", "labelLimit": 0},
                    },
                },
            },
            width="stretch",
        )
        st.download_button(
            "Area series as CSV", series.series_csv(rows), file_name="kupiansk-map-series.csv", mime="text/csv"
        )
    with tabs[3]:
        st.file_uploader(
            "GeoJSON, GeoPackage, KML/KMZ or a zipped Shapefile",
            accept_multiple_files=True,
            type=["geojson", "json", "gpkg", "kml", "kmz", "zip"],
            key="uploads",
            help=f"Up to {uploads.MAX_FILE_BYTES // 2**20} MB each. Uploads stay in your session.",
        )
        for result in upload_results().values():
            st.markdown(
                f"**{summary.markdown_literal(result.name)}**: {result.feature_count} feature(s) drawn"
                + (", following the timeline" if result.dated else "")
            )
            for problem in result.problems[:20]:
                st.warning(summary.markdown_literal(str(problem)))
            if len(result.problems) > 20:
                st.warning(f"... and {len(result.problems) - 20} more problems.")
    with tabs[4]:
        show_snapshot_import()


def import_archive(data: bytes, name: str, aoi: str) -> None:
    """Import an uploaded zip of daily snapshots into this session, with a progress bar."""
    with tempfile.TemporaryDirectory(prefix="kupiansk-import-") as folder:
        src, out = Path(folder) / "days", Path(folder) / "out"
        src.mkdir()
        problems = uploads.extract_zip(data, name=name, target=src)
        if problems:
            st.session_state["_import_messages"] = [str(p) for p in problems]
            return
        bar = st.progress(0.0, text="Importing...")

        def progress(done: int, total: int, current: str) -> None:
            bar.progress(done / max(total, 1), text=f"{done} / {total}: {current}")

        try:
            report = snapshots.import_snapshots(src, aoi=aoi, out_dir=out, progress=progress)
        except ValueError as exc:
            st.session_state["_import_messages"] = [f"{name}: {exc}"]
            return
        loaded = {layer_id: read_layer(out / f"{layer_id}.geojson")[0] for layer_id in ("occupied", "front_line")}
        st.session_state["_imported"] = {
            "name": name,
            "layers": {k: v for k, v in loaded.items() if v},
            "dates": sorted({f["properties"]["valid_from"] for v in loaded.values() if v for f in v["features"]}),
        }
        st.session_state["_import_messages"] = [
            f"{name}: {report.days_imported} day(s) imported into {report.states} state(s)"
        ] + report.problems


def show_snapshot_import() -> None:
    st.caption(
        "A zip of daily files (the date in each name, YYYYMMDD or YYYY-MM-DD), each a FeatureCollection "
        "of the occupied area that day, such as a DeepStateMap archive. The import stays in your session."
    )
    archive = st.file_uploader("Snapshot archive (.zip)", type=["zip"], key="archive")
    aoi = st.selectbox(
        "Area of interest",
        ["kupiansk", "kursk"],
        key="archive_aoi",
        format_func={"kupiansk": "30 km around Kupiansk", "kursk": "60 km around Sudzha"}.get,
    )
    if archive is not None and st.button("Import", key="archive_import"):
        import_archive(archive.getvalue(), archive.name, aoi)
    for message in st.session_state.get("_import_messages", [])[:30]:
        st.info(summary.markdown_literal(message))
    if st.session_state.get("_imported"):
        st.radio(
            "Show the imported set",
            ["off", "beside", "instead"],
            key="imported_mode",
            horizontal=True,
            format_func={
                "off": "Not on the map",
                "beside": "Beside the built-in layers",
                "instead": "In place of the built-in front",
            }.get,
        )
        dates = st.session_state["_imported"]["dates"]
        if dates:
            first, last = (format_date(dt.date.fromisoformat(d)) for d in (dates[0], dates[-1]))
            st.caption(f"Imported states from {first} to {last}; their dates join the timeline.")


def show_caveats() -> None:
    with st.expander("Sources and caveats", expanded=False):
        st.markdown(
            "- **Sources.** The account of 13 November 2024 comes from a Reuters report of 14 November 2024, "
            "which quotes Ukrainian officials, a Moscow-installed official and a Finnish analyst. The river and the "
            "state border come from the GSHHG database; place coordinates from Wikipedia and GeoNames.\n"
            "- **Claims.** Each side's account is shown as a claim, in its own colour and with a dashed outline. "
            "Neither was independently verified.\n"
            "- **Schematic shapes.** Front lines, occupied areas, the Kursk outlines, the city outline, the "
            "industrial zone and the railways are drawn approximately. Their popups say so. Kursk outlines are "
            "sized to the reported areas, but their shapes are not reported.\n"
            "- **Time.** The map covers February 2022 to 14 November 2024; changes in the Kupiansk sector during "
            "2023 and 2024 are not mapped."
        )
        st.markdown("**What each status means**")
        st.markdown("\n".join(f"- `{status}`: {label}." for status, label in STATUS_LABELS.items()))


def go_to(control: str, count: int) -> None:
    page = st.session_state[STATE_KEY]
    st.session_state[STATE_KEY] = replace(page, chapter=presenter.step(page.chapter, control, count=count))


def presenter_page(data_dir: str, story: Story) -> None:
    """The story on a projector: large type, the map as tall as the screen, and controls for keyboards and
    clickers. The sidebar (presenter switch, language) starts collapsed, so the chapter fills the screen."""
    st.set_page_config(initial_sidebar_state="collapsed")
    with st.sidebar:
        st.toggle("Presenter mode", key="present")
        st.radio(
            "Language / Мова",
            LANGUAGES,
            key="lang",
            horizontal=True,
            format_func={"en": "English", "uk": "Українська"}.get,
        )
    page = sync_state()
    shown = presenter.PresenterState(page.chapter, page.lang)
    chapter, lang, count = story.chapter(shown.chapter), shown.lang, len(story.chapters)
    st.query_params.from_dict(session.to_query_params(page))
    st.html(f"<style>{static_text('presenter-page.css')}</style>")
    labels = {key: story.label(key, lang=lang) for key in ("previous", "next", "chapter", "sources", "keys_help")}
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
        st.button("clicker back", key="clicker_previous", on_click=go_to, args=("previous", count), shortcut="pageup")
        st.button("clicker forward", key="clicker_next", on_click=go_to, args=("next", count), shortcut="pagedown")
        map_col, text_col = st.columns([11, 9])
        with map_col, st.container(key="km_presenter_map"):
            center, zoom = presenter.chapter_view(chapter)
            base = render.base_map(
                basemap=page.view.basemap, offline=OFFLINE, presenter=True, fallback=fallback_scripts(data_dir)
            )
            PresenterControls().add_to(base)
            groups = render.groups_from_scripts(
                {
                    layer_id: cached_layer_script(
                        data_dir, layer_id, chapter.date, zoom, timeline.FRONT_BUFFER_KM, chapter.highlight, lang
                    )
                    for layer_id in chapter.layers
                    if layer_id in cached_layers(data_dir).layers
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


def show_link_problems(problems: list[str]) -> None:
    """One short warning naming every value of the link that was replaced, however many there were."""
    if not problems:
        return
    lead = (
        "A default replaced this value from the link:"
        if len(problems) == 1
        else f"Defaults replaced these {len(problems)} values from the link:"
    )
    st.warning(f"{lead} " + " · ".join(summary.markdown_literal(problem) for problem in problems), icon="⚠️")


def main() -> None:
    data_dir = str(layers_dir())  # $KUPIANSK_MAP_DATA_DIR: tests point the app at other (say, broken) layers
    story = cached_story()
    problems = init_state(story)
    if st.session_state[STATE_KEY].present:
        show_link_problems(problems)
        presenter_page(data_dir, story)
        return
    loaded = cached_layers(data_dir)
    # The map is sent to the browser first, so that its frame starts loading while the rest of the page is drawn;
    # the heading above it and the top of the sidebar are slots filled afterwards. (Every value the map needs is
    # in the session state already, so no widget has to be drawn before it.)
    heading, modes = st.container(), st.sidebar.container()
    dated_page(data_dir)
    with heading:
        st.title("Kupiansk, 13 November 2024")
        st.markdown(
            "Russian forces attacked Kupiansk in four waves and briefly got into its industrial zone and "
            "suburbs before being pushed back, according to Ukrainian officials. Meanwhile the area Ukraine "
            "held in Russia's Kursk region was shrinking. Pick a date and a view in the sidebar."
        )
        show_link_problems(problems)
        for layer_id, error in loaded.errors.items():
            st.error(summary.markdown_literal(f"Layer '{layer_id}' could not be shown: {error}"))
        if OFFLINE:
            st.info("Offline mode: no map tiles; the river, railways, border and places serve as the basemap.")
    sidebar_modes(modes)
    sidebar_layers()
    show_caveats()
    if not st.session_state[STATE_KEY].settled:
        st.session_state[STATE_KEY] = replace(st.session_state[STATE_KEY], settled=True)


@st.fragment
def dated_page(data_dir: str) -> None:
    """Everything that depends on the date. A date change reruns only this, not the sidebar or the caveats.

    The map comes first (see ``main``); the date slider is drawn after it, into the sidebar."""
    state = state_from_session()
    layers = layers_for(data_dir, state.buffer_km)
    # The map takes the full width and the figures follow it at once; the summary in words comes next, at
    # full width too, where it reads in a few lines (beside the map it was a narrow column thousands of px tall).
    show_map(data_dir, layers, state)
    date_control()
    st.query_params.from_dict(session.to_query_params(st.session_state[STATE_KEY]))
    if not st.session_state[STATE_KEY].settled:
        # A session's first run sends the map and little else, so the browser draws the map without competing with
        # the figures, summary, chart and downloads; they follow a moment later, in the fragment rerun that the
        # map's first report of its view causes (or at the first interaction). Measured with python -m bench.
        st.caption("Loading the figures for this date…")
        return
    figures = cached_figures(data_dir, state.date, state.buffer_km)
    st.html(panels.figures_html(figures))
    with st.container(key="km_summary"):
        st.subheader(f"The situation on {format_date(state.date)}")
        st.markdown(
            "\n".join(f"- {summary.markdown_literal(line)}" for line in summary.situation_summary(figures, layers))
        )
        st.caption(
            "Share this view: copy the page address; it holds the date, view, layers, zone, basemap and the "
            "map's zoom and centre."
        )
    show_chart(data_dir, state.date)
    show_downloads(layers, state, figures)
    if st.session_state.get("analyst"):
        show_analysis(data_dir, state)


main()
