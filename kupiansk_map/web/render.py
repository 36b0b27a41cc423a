"""The map builder: pure functions from layers and a view state to folium objects.

Offers:
- ``DRAW_ORDER``: the order layers are stacked in, bottom to top.
- ``layer_data``: one layer's features valid on a date, reduced to what the browser needs, with escaped
  tooltip and popup HTML, optionally simplified for a zoom level (a plain dict, cheap to cache).
- ``TILES``: the basemaps' tile URLs and attributions (HTML), by name.
- ``emphasised``: the style of a highlighted feature.
- ``label_text``: the permanent map label of a feature (place names, claims), as plain text.
- ``simplify_for_zoom``: a lon/lat geometry simplified in Web Mercator by a tolerance no one can see at a zoom.
- ``layer_script``: the Leaflet code that draws one prepared layer (cacheable: a string).
- ``groups_from_data`` / ``groups_from_scripts``: feature groups from prepared layer data or scripts.
- ``legend_rows``: legend entries as the browser's legend control takes them (with an SVG swatch each).
- ``base_map``: the part of the map that never changes with the date: basemap, scale bar, legend control,
  styles, the fallback drawn when tiles cannot be loaded, and the offline basemap.
- ``basemap_collection``: the offline basemap's undated or dated features, without the levels of detail finer than
  a zoom; ``APP_BASEMAP_ZOOM``: the finest level the app sends; ``basemap_attribution``: its sources in a language.
- ``situation_groups``: one ``folium.FeatureGroup`` per visible layer, for streamlit-folium's
  ``feature_group_to_add`` (the iframe stays, zoom and centre are kept).
- ``build_map``: the whole map in one ``folium.Map`` (for tests and standalone HTML).
- ``map_figure``: the branca ``Figure`` a map renders in (its page: head, body and scripts).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import folium
import folium.plugins
import shapely
from branca.element import Element, Figure, MacroElement
from jinja2 import Template
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from kupiansk_map.geo.crs import to_lonlat, to_metric
from kupiansk_map.i18n import N_, translator
from kupiansk_map.model import BASEMAP_LAYER_ID, features_on, layer_spec
from kupiansk_map.web import _template_cache, script_json, static_text
from kupiansk_map.web.popups import claim_label, popup_html, status_badge, tooltip_html
from kupiansk_map.web.style import (
    BASEMAP_STYLES,
    INNER_STYLES,
    LAYER_STYLES,
    LEGEND_ENTRIES,
    LegendEntry,
    feature_style,
    legend_key,
)
from kupiansk_map.web.views import VIEWS, ViewState

_template_cache.install()

DRAW_ORDER: tuple[str, ...] = (
    "basemap",
    "front_area",
    "occupied",
    "front_buffer",
    "kursk_salient",
    "kupiansk",
    "industrial_zone",
    "oskil",
    "railways",
    "state_border",
    "front_overview",
    "front_line",
    "places",
    "events",
)
# Properties the browser needs for styling; everything else travels inside the escaped popup.
_KEPT_PROPERTIES = ("id", "status", "kind", "area_status")

TILES: dict[str, tuple[str, str]] = {
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors",
    ),
    "satellite": (
        "https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
        "Imagery &copy; Esri, Maxar, Earthstar Geographics",
    ),
    "terrain": (
        "https://tile.opentopomap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors, SRTM; style &copy; OpenTopoMap (CC-BY-SA)",
    ),
}

# The map's own texts, translated where the map is built (``base_map(lang=...)``).
LEGEND_TITLE = N_("Legend")
LEGEND_NOTE = N_("Schematic shapes are approximate. Claims are unverified.")
MAP_NAME = N_("Map. Arrow keys pan, plus and minus zoom; Tab reaches each shape, Enter opens its details.")
TILES_FAILED = N_(
    "Map tiles could not be loaded (no network?). Showing the offline basemap and the project's own river, railways, "
    "border and places instead."
)
FULLSCREEN = N_("Fullscreen")
EXIT_FULLSCREEN = N_("Exit fullscreen")
CURSOR = N_("Cursor:")
CURSOR_OUTSIDE = N_("Unavailable")
_ENTRY_ORDER = {entry.key: i for i, entry in enumerate(LEGEND_ENTRIES)}
BASEMAP_ATTRIBUTION = N_("Offline basemap: {shorelines}; cities: {cities}")
_BASEMAP_SOURCES = {"shorelines": "GSHHG 2.3.7 (LGPL)", "cities": "GeoNames (CC BY 4.0)"}


def basemap_attribution(*, lang: str = "en") -> str:
    """The offline basemap's sources in ``lang``, for the map's attribution line."""
    return translator(lang).gettext(BASEMAP_ATTRIBUTION).format(**_BASEMAP_SOURCES)


# The app's base map carries the basemap's levels up to this zoom's (the finest level, ~150 m, stays in the files
# and the exports): it keeps the default view's payload small.
APP_BASEMAP_ZOOM = 8


def _swatch(kind: str, style: Mapping[str, Any], inner: Mapping[str, Any] | None = None) -> str:
    color = style.get("color", "#000")
    fill = style.get("fillColor", color)
    dash = f" stroke-dasharray='{style['dashArray']}'" if style.get("dashArray") else ""
    if kind == "fill":
        return (
            f"<svg width='22' height='14'><rect x='1' y='1' width='20' height='12' fill='{fill}' "
            f"fill-opacity='{style.get('fillOpacity', 0.3)}' stroke='{color}' stroke-width='1.5'{dash}/></svg>"
        )
    if kind == "rail" and inner:
        return (
            f"<svg width='22' height='14'><line x1='1' y1='7' x2='21' y2='7' stroke='{color}' "
            f"stroke-width='{style.get('weight', 5)}'/><line x1='1' y1='7' x2='21' y2='7' "
            f"stroke='{inner.get('color', '#fff')}' stroke-width='{inner.get('weight', 2)}' "
            f"stroke-dasharray='{inner.get('dashArray', '4 4')}'/></svg>"
        )
    if kind in ("line", "rail"):
        return (
            f"<svg width='22' height='14'><line x1='1' y1='7' x2='21' y2='7' stroke='{color}' "
            f"stroke-width='{min(style.get('weight', 2), 4)}'{dash}/></svg>"
        )
    return (
        f"<svg width='22' height='14'><circle cx='11' cy='7' r='5' fill='{fill}' stroke='{color}' "
        f"stroke-width='2'{dash}/></svg>"
    )


def legend_rows(entries: Sequence[LegendEntry], *, lang: str = "en", order: int | None = None) -> list[dict[str, Any]]:
    """``entries`` as the legend control takes them: key, label (in ``lang``, from the catalogue; a label it does
    not hold, such as an upload's file name, as given), the SVG swatch and a sort order (the published layers in
    ``LEGEND_ENTRIES`` order, then overlays from ``order``, default 1000, in the order given)."""
    gettext = translator(lang).gettext
    rows = []
    for i, entry in enumerate(entries):
        rank = _ENTRY_ORDER.get(entry.key)
        rows.append(
            {
                "key": entry.key,
                "label": gettext(entry.label),
                "swatch": _swatch(entry.kind, entry.style, entry.inner),
                "order": rank if rank is not None else (1000 if order is None else order) + i,
            }
        )
    return rows


class _BaseMapScript(MacroElement):
    """The browser side of the base map (web/static/map-base.js): the legend control, whose rows each layer
    group adds while it is drawn, the map's accessible name, and the tile-failure notice and fallback."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        window.kmDrawLayer = window.kmDrawLayer || ({{ this.draw_layer }});
        ({{ this.code }})({{ this._parent.get_name() }}, {
            legendTitle: {{ this.title | tojson }}, legendNote: {{ this.note | tojson }},
            mapName: {{ this.map_name | tojson }}, tilesFailed: {{ this.tiles_failed | tojson }},
            presenter: {{ this.presenter | tojson }}, noTiles: {{ this.no_tiles | tojson }},
            basemap: {{ this.basemap or "null" }},
            fallback: [{% for key, script in this.fallback %}{key: {{ key | tojson }}, draw: {{ script }}},{% endfor %}]
        });
        {% endmacro %}
    """)

    def __init__(
        self,
        *,
        presenter: bool,
        no_tiles: bool,
        fallback: Sequence[tuple[str, str]],
        basemap: str | None,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.basemap = basemap
        self._name = "BaseMapScript"
        self.code = static_text("map-base.js")
        self.draw_layer = static_text("layer.js").strip()
        _ = translator(lang).gettext
        self.title, self.note = _(LEGEND_TITLE), _(LEGEND_NOTE)
        self.map_name, self.tiles_failed = _(MAP_NAME), _(TILES_FAILED)
        self.presenter, self.no_tiles = presenter, no_tiles
        self.fallback = list(fallback)


WEB_MERCATOR = 3857
_METRES_PER_PIXEL_AT_ZOOM_0 = 156_543.034  # Web Mercator metres per 256-px tile pixel at zoom 0
# Simplify for two zoom levels closer than the view's own, so zooming in a little shows no corners.
_ZOOM_HEADROOM = 2


def simplify_for_zoom(geometry: BaseGeometry, zoom: int) -> BaseGeometry:
    """Simplify in Web Mercator (the display CRS) by half a pixel at ``zoom`` + 2; points pass through."""
    if geometry.geom_type == "Point":
        return geometry
    tolerance_m = 0.5 * _METRES_PER_PIXEL_AT_ZOOM_0 / 2 ** (zoom + _ZOOM_HEADROOM)
    simplified = to_metric(geometry, WEB_MERCATOR).simplify(tolerance_m, preserve_topology=True)
    return shapely.set_precision(to_lonlat(simplified, WEB_MERCATOR), 1e-6)


def emphasised(style: Mapping[str, Any]) -> dict[str, Any]:
    """The style of a highlighted feature: a heavier outline, fully opaque, points a little larger."""
    out = {**style, "weight": style.get("weight", 2) + 3, "opacity": 1.0}
    if "radius" in style:
        out["radius"] = style["radius"] + 4
    return out


def layer_data(
    collection: Mapping[str, Any],
    layer_id: str,
    day: dt.date | None,
    *,
    zoom: int | None = None,
    highlight: frozenset[str] = frozenset(),
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
    notes: Mapping[str, str] | None = None,
    title: str | None = None,
    style: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None,
    legend: Sequence[LegendEntry] | None = None,
) -> dict[str, Any]:
    """The features of a layer valid on ``day`` (a ``date``; all when None), with escaped ``_tooltip``/``_popup``,
    a plain ``_name`` (the accessible name of the shape), and ``_legend``: the legend rows the layer is drawn as.

    With ``zoom``, geometries are simplified by a tolerance invisible at that zoom (see ``simplify_for_zoom``);
    features whose id is in ``highlight`` are drawn emphasised. ``lang`` is the language of the popups, tooltips,
    claim labels and legend; ``labels`` and ``notes`` give feature names and notes in that language by feature
    id (the data's own, English, where they give none).
    ``title``, ``style`` and ``legend`` serve layers that are not published layers (uploads, comparisons): the
    popup heading, a style per feature and the legend entries (published layers find theirs by ``legend_key``).
    A feature with ``map_label`` (text) and ``map_label_at`` ([lon, lat]) properties gets that permanent label.
    """
    title = title if title is not None else translator(lang).gettext(layer_spec(layer_id).title)
    labels = labels or {}
    legend_keys: list[str] = []
    features = []
    chosen = collection.get("features", []) if day is None else features_on(collection.get("features", []), day)
    basemap = layer_id == BASEMAP_LAYER_ID
    for feat in chosen:
        props = feat.get("properties") or {}
        kept = {k: props[k] for k in _KEPT_PROPERTIES if k in props}
        if basemap:  # the basemap is scenery: no popups, no tab stops; its sources are in the attribution
            kept["_min_zoom"] = props.get("min_zoom", 0)
            if props.get("max_zoom") is not None:  # none: every greater zoom
                kept["_max_zoom"] = props["max_zoom"]
        else:
            name = labels.get(str(props.get("id")))
            kept["_tooltip"] = tooltip_html(props, lang=lang, name=name)
            note = (notes or {}).get(str(props.get("id")))
            kept["_popup"] = popup_html(props, layer_title=title, lang=lang, name=name, note=note)
            kept["_name"] = _accessible_name(props, lang=lang, name=name)
        base_style = style(props) if style is not None else feature_style(layer_id, props)
        if basemap:  # one style per kind, in out["_styles"], not one per feature
            kept.pop("status", None)
        else:
            kept["_style"] = emphasised(base_style) if props.get("id") in highlight else base_style
        if style is None:
            if layer_id in INNER_STYLES:
                kept["_inner"] = dict(INNER_STYLES[layer_id])
            key = legend_key(layer_id, props)
            if key not in legend_keys:
                legend_keys.append(key)
        label = _label_for(layer_id, feat, labels, lang)
        if label:
            kept["_label"], kept["_label_css"] = label
            if basemap:  # all alike: out["_labelCss"]
                del kept["_label_css"]
        if props.get("map_label") and props.get("map_label_at"):
            kept["_label"], kept["_label_css"] = escape(str(props["map_label"])), "km-label km-band-label"
            kept["_label_at"] = [float(v) for v in props["map_label_at"]]
        geometry = feat["geometry"]
        if zoom is not None and not basemap:  # the basemap comes simplified, one level per zoom range
            geometry = mapping(simplify_for_zoom(shape(geometry), zoom))
        features.append({"type": "Feature", "properties": kept, "geometry": geometry})
    if legend is None:
        by_key = {entry.key: entry for entry in LEGEND_ENTRIES}
        legend = [by_key[key] for key in legend_keys if key in by_key]
    rows = legend_rows(legend, lang=lang) if features else []
    out: dict[str, Any] = {"type": "FeatureCollection", "features": features, "_legend": rows}
    if basemap:
        out["_pane"], out["_labelPane"], out["_labelCss"] = "kmBasemap", "kmBasemapLabels", "km-label km-basemap-city"
        out["_styles"] = {**BASEMAP_STYLES, "city": LAYER_STYLES[BASEMAP_LAYER_ID]}
    return out


def _accessible_name(properties: Mapping[str, Any], *, lang: str, name: str | None) -> str:
    """Plain text naming a shape for screen readers: its name and status (``popups.status_badge``)."""
    name = str(properties.get("name", "") if name is None else name).strip()
    badge = status_badge(properties, lang=lang)
    return f"{name} ({badge})" if name and badge else name or badge


class _Attribution(MacroElement):
    """An attribution line for the offline basemap's sources (GeoNames asks to be credited)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text | tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = escape(text)


def basemap_collection(collection: Mapping[str, Any], *, dated: bool, finest_zoom: int | None = None) -> dict[str, Any]:
    """The offline basemap's features that carry dates (``dated``) or carry none, without the levels of detail
    that start beyond ``finest_zoom``; the finest level kept is then drawn at every greater zoom."""
    kept, cut_from = [], None
    for feat in collection.get("features", []):
        props = feat["properties"]
        if (props.get("valid_from") is not None or props.get("valid_to") is not None) != dated:
            continue
        if finest_zoom is not None and props.get("min_zoom", 0) > finest_zoom:
            cut_from = min(cut_from or props["min_zoom"], props["min_zoom"])
            continue
        kept.append(feat)
    if cut_from is not None:
        kept = [
            {**f, "properties": {**f["properties"], "max_zoom": None}}
            if f["properties"].get("max_zoom") == cut_from - 1
            else f
            for f in kept
        ]
    return {"type": "FeatureCollection", "features": kept}


class _DeclutterLabels(MacroElement):
    """At small scales, hide village names and claim labels (web/static/declutter-labels.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        ({{ this.code }})({{ this._parent.get_name() }}, {{ this.min_zoom | tojson }});
        {% endmacro %}
    """)

    def __init__(self, min_zoom: int = 9) -> None:
        super().__init__()
        self._name = "DeclutterLabels"
        self.code = static_text("declutter-labels.js")
        self.min_zoom = min_zoom


class _FlyBetweenViews(MacroElement):
    """Presenter maps fly to a new view instead of jumping (web/static/fly-between-views.js)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        ({{ this.code }})({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "FlyBetweenViews"
        self.code = static_text("fly-between-views.js")


# leaflet-measure 2.1.7 knows no square kilometres and names its units in words: our own definitions.
MEASURE_UNITS: dict[str, dict[str, Any]] = {
    "kilometers": {"factor": 1e-3, "display": "km", "decimals": 2},
    "meters": {"factor": 1.0, "display": "m", "decimals": 0},
    "sqkilometers": {"factor": 1e-6, "display": "km²", "decimals": 2},
    "hectares": {"factor": 1e-4, "display": "ha", "decimals": 1},
}


def base_map(
    *,
    basemap: str = "osm",
    offline: bool = False,
    view: str = "kupiansk",
    presenter: bool = False,
    measure: bool = False,
    fallback: Mapping[str, str] | None = None,
    lang: str = "en",
    offline_basemap: str | None = None,
) -> folium.Map:
    """The static part of the map. With ``offline`` or ``basemap='none'`` no tile server is contacted.

    ``presenter`` adds a fullscreen control, makes view changes fly and sets map labels and the legend in 16 px
    type; ``measure`` adds distance and area measurement (geodesic, in km/m and km²/ha) and a readout of the
    cursor's coordinates. ``fallback`` maps layer ids to ``layer_script`` code drawn only if the tiles fail to
    load (and only while no other group draws that layer); a notice on the map then says why. ``lang`` is the
    language of the legend, the notices and the controls' titles. ``offline_basemap``
    is the ``layer_script`` of the offline basemap (``basemap_collection``), drawn in panes that show only while
    the map has no tiles (off, offline, or failed to load).
    """
    _ = translator(lang).gettext
    preset = VIEWS[view]
    fmap = folium.Map(
        location=preset.center,
        zoom_start=preset.zoom(),
        tiles=None,
        control_scale=False,  # map-base.js adds a metric-only scale (folium's shows miles too)
        prefer_canvas=False,
        max_bounds=False,
    )
    # Nothing drawn here needs jQuery, Bootstrap or Font Awesome: load Leaflet alone.
    fmap.default_js = [(name, url) for name, url in fmap.default_js if name == "leaflet"]
    fmap.default_css = [(name, url) for name, url in fmap.default_css if name == "leaflet_css"]
    if basemap != "none" and not offline:
        url, attribution = TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=18).add_to(fmap)
    # Without tiles, map-base.js gives the map the km-no-tiles background.
    map_figure(fmap).header.add_child(Element(f"<style>{static_text('popup.css')}</style>"))
    map_figure(fmap).header.add_child(Element(f"<style>{static_text('map-base.css')}</style>"))
    no_tiles = basemap == "none" or offline
    _BaseMapScript(
        presenter=presenter,
        no_tiles=no_tiles,
        fallback=[] if no_tiles else list((fallback or {}).items()),
        lang=lang,
        basemap=offline_basemap,
    ).add_to(fmap)
    if offline_basemap:
        _Attribution(basemap_attribution(lang=lang)).add_to(fmap)
    _DeclutterLabels().add_to(fmap)
    if measure:
        folium.plugins.MeasureControl(
            position="topleft",
            primary_length_unit="kilometers",
            secondary_length_unit="meters",
            primary_area_unit="sqkilometers",
            secondary_area_unit="hectares",
            units=MEASURE_UNITS,
        ).add_to(fmap)
        folium.plugins.MousePosition(
            position="bottomright",
            separator=" N, ",
            num_digits=5,
            lng_first=False,
            prefix=_(CURSOR),
            empty_string=_(CURSOR_OUTSIDE),
        ).add_to(fmap)
    if presenter:
        folium.plugins.Fullscreen(position="topleft", title=_(FULLSCREEN), title_cancel=_(EXIT_FULLSCREEN)).add_to(fmap)
        _FlyBetweenViews().add_to(fmap)
    return fmap


def label_text(
    layer_id: str, props: Mapping[str, Any], labels: Mapping[str, str], lang: str = "en"
) -> tuple[str, str] | None:
    """The permanent map label of a feature as plain text, and what it labels (the place's ``kind``, or
    ``claim``), or None: place names, and claims by claimant. ``labels`` replaces texts by feature id, in
    ``lang``; a claim with none there is labelled by its claimant only (its ``claim`` text is English data)."""
    if layer_id == "places":
        return labels.get(str(props.get("id")), str(props.get("name", ""))), str(props.get("kind", "place"))
    if layer_id == BASEMAP_LAYER_ID and props.get("kind") == "city":
        return labels.get(str(props.get("id")), str(props.get("name", ""))), "basemap-city"
    status = str(props.get("status", ""))
    if layer_id == "events" and status.startswith("claimed-"):
        if str(props.get("id")) in labels:
            return labels[str(props.get("id"))], "claim"
        return claim_label(props if lang == "en" else {"status": status}, lang=lang), "claim"
    return None


def _label_for(layer_id: str, feat: Mapping[str, Any], labels: Mapping[str, str], lang: str) -> tuple[str, str] | None:
    """The permanent label of a point, escaped, with its CSS class (``label_text``)."""
    if feat["geometry"]["type"] != "Point":
        return None
    found = label_text(layer_id, feat["properties"], labels, lang)
    if found is None:
        return None
    text, kind = found
    return escape(text), f"km-label km-{escape(kind)}"


def layer_script(data: Mapping[str, Any]) -> str:
    """Leaflet code (a JS function of one argument, the group) that draws ``layer_data`` output.

    The data is embedded as ``script_json``: no text can close the surrounding script element.
    The drawing code (web/static/layer.js) is defined once per map, by the base map, as ``kmDrawLayer``.
    """
    return f"function (group) {{ kmDrawLayer(group, {script_json(data)}); }}"


class _PrebuiltLayer(MacroElement):
    """A layer whose Leaflet code was generated once by ``layer_script``; rendering it is a string copy."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        ({{ this.script }})({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, script: str) -> None:
        super().__init__()
        self._name = "PrebuiltLayer"
        self.script = script


def group_from_script(name: str, script: str) -> folium.FeatureGroup:
    """A feature group called ``name`` holding one layer drawn by ``script`` (from ``layer_script``)."""
    group = folium.FeatureGroup(name=name, show=True)
    _PrebuiltLayer(script).add_to(group)
    return group


def groups_from_data(data_by_layer: Mapping[str, Mapping[str, Any]]) -> list[folium.FeatureGroup]:
    """One feature group per layer with features, in ``DRAW_ORDER``, from ``layer_data`` results."""
    return [
        group_from_script(layer_spec(layer_id).title, layer_script(data_by_layer[layer_id]))
        for layer_id in DRAW_ORDER
        if layer_id in data_by_layer and data_by_layer[layer_id]["features"]
    ]


def groups_from_scripts(scripts_by_layer: Mapping[str, str | None]) -> list[folium.FeatureGroup]:
    """Like ``groups_from_data``, from scripts already made by ``layer_script`` (None: nothing to draw)."""
    return [
        group_from_script(layer_spec(layer_id).title, script)
        for layer_id in DRAW_ORDER
        if (script := scripts_by_layer.get(layer_id))
    ]


def situation_groups(
    layers: Mapping[str, Mapping[str, Any]],
    state: ViewState,
    *,
    zoom: int | None = None,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> list[folium.FeatureGroup]:
    """One feature group per visible layer that has features on ``state.date``, bottom to top."""
    return groups_from_data(
        {
            layer_id: layer_data(
                layers[layer_id], layer_id, state.date, zoom=zoom, lang=lang, labels=labels, notes=notes
            )
            for layer_id in state.layers
            if layer_id in layers
        }
    )


def build_map(
    layers: Mapping[str, Mapping[str, Any]],
    state: ViewState,
    *,
    offline: bool = False,
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    notes: Mapping[str, str] | None = None,
) -> folium.Map:
    """The complete map for ``state`` in ``lang`` (``labels``, ``notes``: names and notes by feature id in that
    language): the base map (with the offline basemap at every level of detail, when ``layers`` has it) and every
    visible layer added, fitted to the view."""
    basemap = layers.get(BASEMAP_LAYER_ID)
    offline_basemap = dated_basemap = None
    if basemap is not None:
        offline_basemap = drawn_layer_script(
            basemap_collection(basemap, dated=False), BASEMAP_LAYER_ID, None, labels=labels, lang=lang
        )
        dated_basemap = drawn_layer_script(
            basemap_collection(basemap, dated=True), BASEMAP_LAYER_ID, state.date, labels=labels, lang=lang
        )
    fmap = base_map(basemap=state.basemap, offline=offline, view=state.view, lang=lang, offline_basemap=offline_basemap)
    if dated_basemap:
        group_from_script(translator(lang).gettext(layer_spec(BASEMAP_LAYER_ID).title), dated_basemap).add_to(fmap)
    for group in situation_groups(layers, state, lang=lang, labels=labels, notes=notes):
        group.add_to(fmap)
    return fmap


def map_figure(fmap: folium.Map) -> Figure:
    """The ``Figure`` that ``fmap`` renders in; branca types ``get_root`` as a plain ``Element``."""
    root = fmap.get_root()
    if not isinstance(root, Figure):
        raise TypeError(f"the map is not inside a branca Figure (its root is a {type(root).__name__})")
    return root


def drawn_layer_script(collection: Mapping[str, Any], layer_id: str, day: dt.date | None, **options: Any) -> str | None:
    """``layer_script(layer_data(collection, layer_id, day, **options))``, or None when nothing is valid on ``day``
    (so that no empty group is sent to the browser). ``options`` are ``layer_data``'s keyword options."""
    data = layer_data(collection, layer_id, day, **options)
    return layer_script(data) if data["features"] else None
