"""Caches shared by every session of one server: layers, scripts, figures, overlays (each keyed by its inputs).

Offers:
- ``cached_layers``
- ``cached_buffer``
- ``cached_figures``
- ``cached_layer_script``
- ``cached_story``
- ``map_labels``
- ``map_notes``
- ``layers_for``
- ``comparable_layers``
- ``cached_comparison``
- ``bands_refusal``
- ``cached_bands``
- ``cached_series``
- ``FALLBACK_LAYERS``
- ``FALLBACK_ZOOM``
- ``fallback_scripts``
- ``cached_basemap_script``
- ``SourceInfo``, ``source_catalogue``: the sources the sidebar offers (the built-in explainer and the store's
  archives), each with its first and last day; re-read when the store file changes.
- ``cached_archive``: one archive's index (``ingest.sources.ArchiveSource``), once per server.
- ``source_layers``: the layers a date is drawn and measured from, for a source.
- ``script_day``: the day a layer script is cached under (an archive state's first day: one entry per state).
- ``cached_history``: a source's figures over time (``analysis.history``), once per source per server.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass

import streamlit as st
from shapely.geometry import shape

from kupiansk_map.analysis import bands, compare, coverage, history, series, stats
from kupiansk_map.i18n import format_measure, format_number, translator
from kupiansk_map.ingest import archive_store, sources
from kupiansk_map.layers.builders import build_front_buffer
from kupiansk_map.layers.definitions import cities, timeline
from kupiansk_map.layers.store import LoadedLayers, load_layers
from kupiansk_map.model import BASEMAP_LAYER_ID, features_on
from kupiansk_map.story.chapters import Story, load_story
from kupiansk_map.web import render
from kupiansk_map.web.style import BAND_STYLE, CHANGE_STYLES, OVERLAY_LEGEND, fixed_style
from kupiansk_map.web.views import VIEWS


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


@st.cache_data(show_spinner=False, max_entries=1024)
def cached_figures(
    data_dir: str, day: dt.date, distance_km: float, source: tuple[str, ...] = (sources.BUILTIN,)
) -> stats.SituationFigures:
    """The figures for ``day`` from ``source`` (``SourceInfo.key``).

    For an archive they are measured on its states clipped to ``sources.NEAR_KUPIANSK``: the same numbers (the
    20 km circle lies well inside) at a fraction of the work on the whole front, unless the front is not in the
    box or is nearly as far as its edge; then they are measured on the whole states."""
    archive = archive_of(source)
    if archive is None:
        return stats.figures_on(layers_for(data_dir, distance_km), day)
    layers = source_layers(data_dir, source, day, distance_km)
    near = {**layers, **archive.situation_layers(day, near=sources.NEAR_KUPIANSK)}
    figures = stats.figures_on(near, day)
    front = archive.state_on("front_line", day)
    if front is not None and (figures.city_to_front_km is None or figures.city_to_front_km > _NEAR_MARGIN_KM):
        figures = stats.figures_on(layers, day)
    return figures


# The box reaches at least this far from the city outline on every side (1° of latitude, 1.5° of longitude).
_NEAR_MARGIN_KM = 90.0


@st.cache_data(show_spinner=False, max_entries=512)
def cached_layer_script(
    data_dir: str,
    layer_id: str,
    day: dt.date | None,
    zoom: int,
    distance_km: float,
    highlight: tuple[str, ...] = (),
    lang: str = "en",
    source: tuple[str, ...] = (sources.BUILTIN,),
) -> str | None:
    """The Leaflet code for one layer on a date, simplified for the view's zoom, with escaped popups.

    For an archive's layers, ``day`` should be ``script_day``'s: every date of one state shares the entry."""
    layers = layers_for(data_dir, distance_km) if day is None else source_layers(data_dir, source, day, distance_km)
    if layer_id not in layers:
        return None
    return render.drawn_layer_script(
        layers[layer_id],
        layer_id,
        day,
        zoom=zoom,
        highlight=frozenset(highlight),
        labels=map_labels(lang),
        notes=map_notes(lang),
        lang=lang,
    )


@st.cache_resource(show_spinner=False)
def cached_story() -> Story:
    """The presentation story (definitions/story.json), read once per server."""
    return load_story()


def map_labels(lang: str) -> dict[str, str]:
    """Feature names in ``lang`` by feature id (places, cities, claims), from the story's ``names`` (English uses the
    data's names). Everything else on the map is translated by the catalogue."""
    return {**cities.city_labels(lang), **cached_story().names.get(lang, {})}


def map_notes(lang: str) -> dict[str, str]:
    """Feature notes in ``lang`` by feature id, from the story's ``notes`` (English uses the data's notes)."""
    return dict(cached_story().notes.get(lang, {}))


@dataclass(frozen=True)
class SourceInfo:
    """A source the sidebar offers: its name (``sources.BUILTIN`` or an archive's), first and last day, and the
    attribution; ``key`` names it in caches (an archive's includes its store and last update)."""

    name: str
    first_day: dt.date
    last_day: dt.date
    attribution: str | None = None
    key: tuple[str, ...] = (sources.BUILTIN,)

    @property
    def is_builtin(self) -> bool:
        return self.name == sources.BUILTIN

    def default_date(self) -> dt.date:
        """The assault's date when the source covers it, else its last day."""
        return timeline.ASSAULT if self.first_day <= timeline.ASSAULT <= self.last_day else self.last_day

    def holds(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


@st.cache_data(show_spinner=False, max_entries=8)
def _store_archives(store: str, stamp: tuple[int, int]) -> list[dict]:
    """The store's archives, re-read when the file's size or time changes (``stamp``, part of the key)."""
    return archive_store.list_archives(store)


def source_catalogue(data_dir: str, store: str) -> dict[str, SourceInfo]:
    """The built-in source and every archive of ``store`` that holds a day, by name (built-in first)."""
    first, last = sources.builtin_range(cached_layers(data_dir).layers)
    out = {sources.BUILTIN: SourceInfo(sources.BUILTIN, first, last)}
    try:
        info = os.stat(store)
    except OSError:
        return out
    for row in _store_archives(store, (info.st_mtime_ns, info.st_size)):
        if row.get("first_day") and row.get("last_day"):
            out[row["name"]] = SourceInfo(
                row["name"],
                dt.date.fromisoformat(row["first_day"]),
                dt.date.fromisoformat(row["last_day"]),
                row.get("attribution"),
                key=(store, row["name"], str(row.get("updated_at"))),
            )
    return out


@st.cache_resource(show_spinner=False, max_entries=8)
def cached_archive(store: str, name: str, updated_at: str) -> sources.ArchiveSource:
    """Archive ``name``'s index, read once per server and shared by every session (``updated_at``: a re-import
    is read anew)."""
    archive = sources.ArchiveSource(store, name)
    print(f"kupiansk-map: indexed archive {name!r} of {store}", file=sys.stderr, flush=True)
    return archive


def archive_of(source: tuple[str, ...]) -> sources.ArchiveSource | None:
    """The archive a ``SourceInfo.key`` names, or None for the built-in source."""
    if len(source) != 3:
        return None
    store, name, updated_at = source
    return cached_archive(store, name, updated_at)


@st.cache_data(show_spinner=False, max_entries=128)
def _archive_buffer(source: tuple[str, ...], front_from: dt.date, distance_km: float) -> dict:
    """The zone near the archive's front line that starts on ``front_from``."""
    archive = archive_of(source)
    if archive is None:
        raise ValueError(f"{source!r} names no archive")
    # Along the Kupiansk sector's front only, as the built-in zone: a zone along the whole front would cost as
    # much to draw as the front itself, and the figures use only the part near the city.
    front = archive.situation_layers(front_from, near=sources.NEAR_KUPIANSK)["front_line"]
    front = {**front, "features": [f for f in front["features"] if not shape(f["geometry"]).is_empty]}
    return {**build_front_buffer(front, distance_km=distance_km), "valid_spans": front["valid_spans"]}


def script_day(source: tuple[str, ...], layer_id: str, day: dt.date) -> dt.date:
    """The day a layer script is cached under: for an archive's layers, the first day of the state on ``day``
    (the previous Kursk state is not drawn, so all dates of one state draw the same)."""
    archive = archive_of(source)
    if archive is None or layer_id not in sources.REPLACED_LAYERS:
        return day
    layer = sources.ARCHIVE_LAYERS.get(layer_id, "front_line")
    state = archive.state_on(layer, day)
    return day if state is None else state.valid_from


def source_layers(data_dir: str, source: tuple[str, ...], day: dt.date, distance_km: float) -> dict:
    """The layers ``day`` is drawn and measured from: the built-in ones, with an archive's states on ``day``
    instead of the built-in situation when ``source`` names an archive. (Shared with every other caller, as the
    built-in layers are: read them, never change them.)"""
    if archive_of(source) is None:
        return layers_for(data_dir, distance_km)
    return dict(_archive_day_layers(data_dir, source, day, distance_km))


# Shared, not copied: a day's layers of a whole-front archive are megabytes of GeoJSON, read by the day's map
# scripts (one miss each) and figures within a run or two of each other. A few days are enough for that.
@st.cache_resource(show_spinner=False, max_entries=8)
def _archive_day_layers(data_dir: str, source: tuple[str, ...], day: dt.date, distance_km: float) -> dict:
    archive = archive_of(source)
    if archive is None:
        raise ValueError(f"{source!r} names no archive")
    layers = {k: v for k, v in cached_layers(data_dir).layers.items() if k not in sources.HIDDEN_LAYERS}
    layers.update(archive.situation_layers(day))
    front = archive.state_on("front_line", day)
    layers["front_buffer"] = (
        _archive_buffer(source, front.valid_from, distance_km)
        if front is not None
        else {"type": "FeatureCollection", "features": [], "valid_spans": layers["front_line"]["valid_spans"]}
    )
    return layers


@st.cache_data(show_spinner=False, max_entries=16)
def cached_history(data_dir: str, source: tuple[str, ...] = (sources.BUILTIN,)) -> history.History:
    """The figures over time of ``source`` (``SourceInfo.key``), computed once per source per server, so a date
    step only moves the charts' rule. (No figure of the history depends on the zone width: not in the key.)"""
    layers = cached_layers(data_dir).layers
    archive = archive_of(source)
    return history.history_of(layers) if archive is None else history.archive_history(archive, layers)


def layers_for(data_dir: str, distance_km: float) -> dict:
    """The layers, with the buffer rebuilt when the user picked another distance."""
    layers = dict(cached_layers(data_dir).layers)
    if "front_line" in layers and distance_km != timeline.FRONT_BUFFER_KM:
        layers["front_buffer"] = cached_buffer(data_dir, distance_km)
    return layers


def dated_layers(data_dir: str, source: tuple[str, ...], days: tuple[dt.date, ...]) -> dict:
    """The layers that hold every state of ``days`` (for comparisons): the built-in ones, or with an archive as
    the source its states on each of ``days`` together (each collection keeps its ``valid_spans``)."""
    if archive_of(source) is None:
        return dict(cached_layers(data_dir).layers)
    merged: dict = {}
    for day in days:
        for layer_id, collection in source_layers(data_dir, source, day, timeline.FRONT_BUFFER_KM).items():
            if layer_id not in merged:
                merged[layer_id] = {**collection, "features": list(collection.get("features", []))}
                continue
            seen = {f["properties"].get("id") for f in merged[layer_id]["features"]}
            merged[layer_id]["features"] += [
                f for f in collection.get("features", []) if f["properties"].get("id") not in seen
            ]
    return merged


def comparable_layers(
    data_dir: str, d1: dt.date, d2: dt.date, lang: str = "en", source: tuple[str, ...] = (sources.BUILTIN,)
) -> tuple[tuple[str, ...], list[str]]:
    """The compared layers whose sector is mapped on both dates, and the not-mapped messages for the others."""
    layers = dated_layers(data_dir, source, (d1, d2))
    kept: list[str] = []
    refused: list[str] = []
    for layer_id in compare.DEFAULT_LAYER_IDS:
        sector = coverage.sector_of(layer_id)
        try:
            for day in (d1, d2):
                if sector is not None:
                    coverage.require_mapped(layers, sector, day)
        except coverage.NotMapped as exc:
            refused.append(coverage.not_mapped_message(exc.sector, exc.day, exc.ranges, lang=lang))
            continue
        kept.append(layer_id)
    return tuple(kept), refused


@st.cache_data(show_spinner=False, max_entries=64)
def cached_comparison(
    data_dir: str,
    d1: dt.date,
    d2: dt.date,
    layer_ids: tuple[str, ...] = compare.DEFAULT_LAYER_IDS,
    lang: str = "en",
    source: tuple[str, ...] = (sources.BUILTIN,),
) -> tuple[list[dict], dict[str, str]]:
    """The change table and the gained/lost overlays between two dates (gained/lost per layer); no layer, no rows."""
    if not layer_ids:
        return [], {}
    result = compare.compare_dates(dated_layers(data_dir, source, (d1, d2)), d1, d2, layer_ids=layer_ids)
    overlays = {}
    for key, collection in compare.comparison_layers(result).items():
        # Each layer's gains and losses are their own meaning (Russian near Kupiansk, Ukrainian in Kursk).
        script = render.drawn_layer_script(
            collection,
            "occupied",
            None,
            title=translator(lang).gettext("Change {start} to {end}").format(start=d1.isoformat(), end=d2.isoformat()),
            style=fixed_style(CHANGE_STYLES[key]),
            legend=[OVERLAY_LEGEND[key]],
            lang=lang,
        )
        if script:
            overlays[key] = script
    return compare.as_rows(result), overlays


def bands_refusal(
    data_dir: str, day: dt.date, lang: str = "en", source: tuple[str, ...] = (sources.BUILTIN,)
) -> str | None:
    """Why no bands can be measured on ``day`` (the not-mapped message, in ``lang``), or None when they can."""
    layers = source_layers(data_dir, source, day, timeline.FRONT_BUFFER_KM)
    return coverage.describe_not_mapped(layers, "kupiansk", day, lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_bands(
    data_dir: str,
    day: dt.date,
    distances: tuple[float, ...],
    lang: str = "en",
    source: tuple[str, ...] = (sources.BUILTIN,),
) -> tuple[list[dict], str | None]:
    """Distance bands from the front line on ``day``: a table and an overlay (none on an unmapped date)."""
    layers = source_layers(data_dir, source, day, timeline.FRONT_BUFFER_KM)
    if bands_refusal(data_dir, day, lang, source) or not features_on(
        layers.get("front_line", {}).get("features", []), day
    ):
        return [], None
    found = bands.distance_bands(layers, day, distances_km=distances)
    rows = [
        {
            "band": f"{format_number(b.inner_km, lang=lang, digits=-1)}-"
            + format_measure(b.outer_km, "km", lang=lang, digits=-1),
            "area_km2": round(b.area_km2, 1),
            "city_km2": round(b.city_area_km2, 2),
            "city_share_pct": round(b.city_share_pct, 1),
        }
        for b in found
    ]
    # Band labels at the city's latitude, where the Kupiansk view looks.
    collection = bands.bands_collection(found, label_latitude=VIEWS["kupiansk"].center[0])
    return rows, render.drawn_layer_script(
        collection,
        "front_buffer",
        None,
        title=translator(lang).gettext("Distance bands"),
        style=fixed_style(BAND_STYLE),
        legend=[OVERLAY_LEGEND["bands"]],
        lang=lang,
    )


@st.cache_data(show_spinner=False, max_entries=16)
def cached_series(data_dir: str) -> list[dict]:
    return series.area_series(cached_layers(data_dir).layers)


# Drawn by the base map only when the tiles fail to load (render.base_map): undated, at one zoom, so the base
# map, and with it the iframe, stays the same across dates and views.
FALLBACK_LAYERS = ("oskil", "railways", "state_border", "places")


FALLBACK_ZOOM = 10


def fallback_scripts(data_dir: str, lang: str = "en") -> dict[str, str]:
    """The context layers the map draws itself when the tile server cannot be reached."""
    layers = cached_layers(data_dir).layers
    scripts = {
        layer_id: cached_layer_script(data_dir, layer_id, None, FALLBACK_ZOOM, timeline.FRONT_BUFFER_KM, lang=lang)
        for layer_id in FALLBACK_LAYERS
        if layer_id in layers
    }
    return {layer_id: script for layer_id, script in scripts.items() if script}


@st.cache_data(show_spinner=False, max_entries=64)
def cached_basemap_script(data_dir: str, day: dt.date | None = None, lang: str = "en") -> str | None:
    """The offline basemap's Leaflet code: its undated features for the base map (``day`` None), or its features
    dated and valid on ``day`` (the Kakhovka reservoir) for the dated groups; levels up to ``APP_BASEMAP_ZOOM``."""
    layers = cached_layers(data_dir).layers
    if BASEMAP_LAYER_ID not in layers:
        return None
    part = render.basemap_collection(
        layers[BASEMAP_LAYER_ID], dated=day is not None, finest_zoom=render.APP_BASEMAP_ZOOM
    )
    return render.drawn_layer_script(part, BASEMAP_LAYER_ID, day, labels=map_labels(lang))
