"""Self-contained HTML exports: the chaptered story for a classroom projector, and single maps.

The story page is one HTML file with Leaflet (vendored, inlined through ``assets``) and every feature its chapters
show. It needs no server and no network: opened from ``file://`` with no connection, the project's own context
layers (Oskil, railways, border, places) are the basemap; when the browser reports that it is online
(``navigator.onLine``) OpenStreetMap tiles are added underneath. A Content-Security-Policy allows no other request.

The page: a chapter panel (date, title, narration, sources, "3 / 10"), Previous/Next and Fullscreen buttons, keys
(→/← and Page Down/Page Up as sent by presentation clickers, Home/End, F), the chapter in the URL hash
(``#chapter=3``), a fly to each chapter's bounds, highlighted features drawn emphasised over a yellow halo, and a
legend of what the chapter shows. All story text is inserted with ``textContent``; only the popup and tooltip
HTML that ``render.layer_data`` has already escaped is given to Leaflet as HTML.

Offers:
- ``MAX_BYTES``: the size the story page must stay under (3 MB).
- ``HIGHLIGHT_HALO``: the style of the halo drawn under highlighted features.
- ``story_payload(layers, story, *, lang)``: the data the page carries (features, chapters, legend, labels).
- ``story_html(layers, story, *, lang="en")``: the story as one self-contained HTML page.
- ``map_html(layers, state)``: one map state as a self-contained page (``export.standalone_html``, no tiles).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from string import Template
from typing import Any

from shapely.geometry import box, shape

from kupiansk_map.export.single_map import standalone_html
from kupiansk_map.i18n import translator
from kupiansk_map.layers.definitions import cities
from kupiansk_map.model import BASEMAP_LAYER_ID, STATUSES
from kupiansk_map.story.chapters import LANGUAGES, Chapter, Story, format_date, ui_labels
from kupiansk_map.web import assets, script_json, static_text
from kupiansk_map.web.render import (
    DRAW_ORDER,
    TILES,
    basemap_attribution,
    basemap_collection,
    emphasised,
    label_text,
    layer_data,
)
from kupiansk_map.web.style import INNER_STYLES, LEGEND_ENTRIES, PALETTE, feature_style, legend_key
from kupiansk_map.web.views import View, ViewState

MAX_BYTES = 3_000_000
HIGHLIGHT_HALO: dict[str, Any] = {
    "color": PALETTE["yellow"],
    "opacity": 0.95,
    "fill": False,
    "lineCap": "round",
    "lineJoin": "round",
}
# The map takes the right part of a 1600 x 1000 projector screen; simplify for the zoom that frames a chapter there.
_MAP_SIZE_PX = (1000, 900)
_CLAIMED = tuple(status for status in STATUSES if status.startswith("claimed-"))
# Place labels appear from these zooms on (highlighted places are always labelled).
_LABEL_MIN_ZOOM = {"city": 0, "town": 7, "village": 10}


# ---------------------------------------------------------------------------------------------------------------
# data


def _chapter_zoom(chapter: Chapter) -> int:
    return View(chapter.id, chapter.id, chapter.bounds).zoom(width_px=_MAP_SIZE_PX[0], height_px=_MAP_SIZE_PX[1])


def _halo(style: Mapping[str, Any], geometry_type: str) -> dict[str, Any]:
    halo = dict(HIGHLIGHT_HALO)
    if geometry_type.endswith("Point"):
        halo.update(
            {
                "radius": float(style.get("radius", 6)) + 10,
                "weight": 0,
                "fill": True,
                "fillColor": PALETTE["yellow"],
                "fillOpacity": 0.85,
            }
        )
    else:
        halo["weight"] = max(float(style.get("weight", 2)), 2.0) + 12
    return halo


def _label(layer_id: str, props: Mapping[str, Any], story: Story, lang: str) -> tuple[str, int] | None:
    """A permanent map label (plain text, not HTML) and the zoom it appears from, or None: the app's label
    (``render.label_text``) in ``lang``; highlighted places are labelled at any zoom.

    ``props`` are the feature's own properties (from the layer file), not ``layer_data``'s.
    """
    found = label_text(layer_id, props, story.names.get(lang, {}), lang)
    if found is None:
        return None
    text, kind = found
    return text, 0 if kind == "claim" else _LABEL_MIN_ZOOM.get(kind, 9)


def story_payload(layers: Mapping[str, Mapping[str, Any]], story: Story, *, lang: str = "en") -> dict[str, Any]:
    """Everything the story page needs, as plain JSON-ready data.

    ``features``: each feature any chapter shows, once (keyed by layer and id, simplified for the closest zoom
    that shows it), with its style, emphasised style, halo, escaped ``popup``/``tooltip`` HTML and plain-text
    ``label``. ``chapters``: per chapter the indices of its features (in draw order) and highlights, its texts in
    ``lang``, bounds, date, whether it shows claims, and its legend rows. Layers missing from ``layers`` are left
    out.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGUAGES)}")
    features: list[dict[str, Any]] = []
    index: dict[tuple[str, str], int] = {}
    zooms: dict[tuple[str, str], int] = {}
    chapters = []
    for chapter in story.chapters:
        zoom = _chapter_zoom(chapter)
        (south, west), (north, east) = chapter.bounds
        frame = box(west, south, east, north)
        shown: list[int] = []
        highlighted: list[int] = []
        keys_shown: set[str] = set()
        has_claims = False
        for layer_id in sorted((name for name in chapter.layers if name in layers), key=DRAW_ORDER.index):
            originals = {str(f["properties"].get("id")): f["properties"] for f in layers[layer_id]["features"]}
            data = layer_data(
                layers[layer_id],
                layer_id,
                chapter.date,
                zoom=zoom,
                lang=lang,
                labels=story.names.get(lang, {}),
                notes=story.notes.get(lang, {}),
            )
            for feat in data["features"]:
                key = (layer_id, str(feat["properties"].get("id")))
                props = originals[key[1]]
                style = feature_style(layer_id, props)
                geometry_type = feat["geometry"]["type"]
                entry = {
                    "layer": layer_id,
                    "id": key[1],
                    "geometry": feat["geometry"],
                    "style": style,
                    "strong": emphasised(style),
                    "halo": _halo(style, geometry_type),
                    "inner": INNER_STYLES.get(layer_id),
                    "popup": feat["properties"]["_popup"],
                    "tooltip": feat["properties"]["_tooltip"],
                    "label": None,
                    "labelZoom": 0,
                }
                found = _label(layer_id, props, story, lang)
                if found is not None:
                    entry["label"], entry["labelZoom"] = found
                if key not in index:
                    index[key] = len(features)
                    features.append(entry)
                    zooms[key] = zoom
                elif zoom > zooms[key]:  # keep the finest geometry any chapter needs
                    features[index[key]] = entry
                    zooms[key] = zoom
                shown.append(index[key])
                if key[1] in chapter.highlight:
                    highlighted.append(index[key])
                if shape(feat["geometry"]).intersects(frame):  # the legend and the claims note describe the view
                    keys_shown.add(legend_key(layer_id, props))
                    has_claims = has_claims or props.get("status") in _CLAIMED or props.get("area_status") in _CLAIMED
        legend_rows = [row for row, entry in enumerate(LEGEND_ENTRIES) if entry.key in keys_shown]
        chapters.append(
            {
                "number": chapter.number,
                "id": chapter.id,
                "title": chapter.title[lang],
                "narration": chapter.narration[lang],
                "date": chapter.date.isoformat(),
                "dateText": format_date(chapter.date, lang=lang),
                "bounds": [list(p) for p in chapter.bounds],
                "features": shown,
                "highlight": highlighted,
                "sources": list(chapter.sources),
                "claims": has_claims,
                "legend": legend_rows,
            }
        )
    gettext = translator(lang).gettext
    legend = [{**entry.as_dict(), "label": gettext(entry.label)} for entry in LEGEND_ENTRIES]
    basemap = _basemap_payload(layers, lang)
    return {
        **basemap,
        "lang": lang,
        "title": story.title[lang],
        "labels": ui_labels(lang),
        "features": features,
        "chapters": chapters,
        "legend": legend,
        "tiles": {"url": TILES["osm"][0], "attribution": TILES["osm"][1]},
    }


def _basemap_payload(layers: Mapping[str, Mapping[str, Any]], lang: str) -> dict[str, Any]:
    """The offline basemap at every level of detail, with city names in ``lang``: ``basemap`` (undated) and
    ``basemapDated`` (features carrying ``_valid_from``/``_valid_to``, chosen by each chapter's date)."""
    collection = layers.get(BASEMAP_LAYER_ID)
    if collection is None:
        return {"basemap": None, "basemapDated": None, "basemapAttribution": basemap_attribution(lang=lang)}
    labels = cities.city_labels(lang)
    dated_source = basemap_collection(collection, dated=True)
    dated = layer_data(dated_source, BASEMAP_LAYER_ID, None, labels=labels)
    for feat, original in zip(dated["features"], dated_source["features"], strict=True):
        feat["properties"]["_valid_from"] = original["properties"]["valid_from"]
        feat["properties"]["_valid_to"] = original["properties"]["valid_to"]
    return {
        "basemap": layer_data(basemap_collection(collection, dated=False), BASEMAP_LAYER_ID, None, labels=labels),
        "basemapDated": dated,
        "basemapAttribution": basemap_attribution(lang=lang),
    }


# ---------------------------------------------------------------------------------------------------------------
# page

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: https://tile.openstreetmap.org; font-src data:; connect-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def story_html(layers: Mapping[str, Mapping[str, Any]], story: Story, *, lang: str = "en") -> str:
    """The story as one self-contained HTML page in ``lang`` (Leaflet, styles and data inlined; no network)."""
    payload = story_payload(layers, story, lang=lang)
    page = Template(static_text("story-page.html")).substitute(
        lang=escape(lang),
        csp=escape(_CSP),
        title=escape(story.title[lang]),
        vendor=assets.INLINE_URL,
        css=static_text("story-page.css") + static_text("popup.css"),
        payload=script_json(payload),
        script=static_text("layer.js") + static_text("story-page.js"),
    )
    # Leaflet is inlined last: the other parts can hold no tag (the payload's "<" are escaped).
    return assets.inline_html(page)


def map_html(layers: Mapping[str, Mapping[str, Any]], state: ViewState, *, lang: str = "en") -> str:
    """One map state in ``lang`` as a self-contained page that makes no request (the context layers are the
    basemap)."""
    return standalone_html(layers, state, offline=True, lang=lang)
