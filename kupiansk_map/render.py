"""The map builder: pure functions from layers and a view state to folium objects.

Offers:
- ``DRAW_ORDER``: the order layers are stacked in, bottom to top.
- ``layer_data``: one layer's features valid on a date, reduced to what the browser needs, with escaped
  tooltip and popup HTML, optionally simplified for a zoom level (a plain dict, cheap to cache).
- ``simplify_for_zoom``: a lon/lat geometry simplified in Web Mercator by a tolerance no one can see at a zoom.
- ``layer_script``: the Leaflet code that draws one prepared layer (cacheable: a string).
- ``groups_from_data`` / ``groups_from_scripts``: feature groups from prepared layer data or scripts.
- ``base_map``: the part of the map that never changes with the date: basemap, scale bar, legend, styles.
- ``situation_groups``: one ``folium.FeatureGroup`` per visible layer, for streamlit-folium's
  ``feature_group_to_add`` (the iframe stays, zoom and centre are kept).
- ``build_map``: the whole map in one ``folium.Map`` (for tests and standalone HTML).
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from typing import Any, Callable, Mapping

import folium
import folium.plugins
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from . import _template_cache
from .crs import to_lonlat, to_metric
from .model import features_on, layer_spec
from .popups import popup_html, tooltip_html
from .style import LEGEND, PALETTE, feature_style
from .views import VIEWS, ViewState

_template_cache.install()

DRAW_ORDER: tuple[str, ...] = (
    "occupied", "front_buffer", "kursk_salient", "kupiansk", "industrial_zone", "oskil", "railways",
    "state_border", "front_overview", "front_line", "places", "events",
)
# Properties the browser needs for styling; everything else travels inside the escaped popup.
_KEPT_PROPERTIES = ("id", "status", "kind", "area_status")

TILES: dict[str, tuple[str, str]] = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            "&copy; <a href='https://www.openstreetmap.org/copyright'>OpenStreetMap</a> contributors"),
    "satellite": ("https://server.arcgisonline.com/ArcGIS/rest/services/World_Imagery/MapServer/tile/{z}/{y}/{x}",
                  "Imagery &copy; Esri, Maxar, Earthstar Geographics"),
    "terrain": ("https://tile.opentopomap.org/{z}/{x}/{y}.png",
                "&copy; OpenStreetMap contributors, SRTM; style &copy; OpenTopoMap (CC-BY-SA)"),
}

_CSS = f"""
<style>
.km-popup {{ font: 13px/1.4 system-ui, sans-serif; max-width: 320px; }}
.km-popup h4 {{ margin: 2px 0 6px; font-size: 15px; }}
.km-popup .km-layer {{ color: #555; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }}
.km-popup table {{ border-collapse: collapse; margin: 4px 0; }}
.km-popup th {{ text-align: left; padding: 1px 8px 1px 0; vertical-align: top; color: #333; }}
.km-popup .km-warn {{ background: #FFF4D6; border-left: 3px solid {PALETTE['orange']}; padding: 3px 6px; }}
.km-label {{ font: 600 12px system-ui, sans-serif; color: #111; white-space: nowrap; width: max-content;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 3px #fff; }}
.km-label.km-claim {{ font-style: italic; font-weight: 500; }}
.leaflet-tooltip.km-label {{ background: none; border: none; box-shadow: none; padding: 0 2px; }}
.leaflet-tooltip.km-label::before {{ display: none; }}
.km-legend {{ background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 4px; max-height: 60vh;
  max-width: 260px; overflow-y: auto; font: 11px/1.35 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.km-legend summary {{ font-weight: 600; cursor: pointer; }}
.km-legend .km-row {{ display: flex; align-items: center; gap: 6px; }}
.km-legend svg {{ flex: none; }}
.leaflet-container.km-no-tiles {{ background: #F3F1EA; }}
.km-zoom-small .km-village, .km-zoom-small .km-claim {{ display: none; }}
</style>
"""


def _swatch(kind: str, style: Mapping[str, Any]) -> str:
    color = style.get("color", "#000")
    fill = style.get("fillColor", color)
    dash = f" stroke-dasharray='{style['dashArray']}'" if style.get("dashArray") else ""
    if kind == "fill":
        return (f"<svg width='22' height='14'><rect x='1' y='1' width='20' height='12' fill='{fill}' "
                f"fill-opacity='{style.get('fillOpacity', 0.3)}' stroke='{color}' stroke-width='1.5'{dash}/></svg>")
    if kind == "line":
        return (f"<svg width='22' height='14'><line x1='1' y1='7' x2='21' y2='7' stroke='{color}' "
                f"stroke-width='{min(style.get('weight', 2), 4)}'{dash}/></svg>")
    return (f"<svg width='22' height='14'><circle cx='11' cy='7' r='5' fill='{fill}' stroke='{color}' "
            f"stroke-width='2'{dash}/></svg>")


def legend_html() -> str:
    """The legend as HTML: a swatch and a label per entry, collapsible."""
    rows = "".join(f"<div class='km-row'>{_swatch(kind, style)}<span>{escape(label)}</span></div>"
                   for label, kind, style in LEGEND)
    return (f"<details class='km-legend'><summary>Legend</summary>{rows}"
            "<div style='margin-top:4px;color:#444'>Schematic shapes are approximate. Claims are unverified.</div>"
            "</details>")


class _Legend(MacroElement):
    """A Leaflet control in the top-right corner holding the legend (collapsed on narrow maps)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div");
            div.innerHTML = {{ this.html | tojson }};
            // Open by default where the map has room for it; a tap opens it on phones.
            if (map.getSize().x >= 900) { div.firstChild.open = true; }
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


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


def _emphasised(style: Mapping[str, Any]) -> dict[str, Any]:
    """A highlighted feature: a heavier outline, fully opaque, points a little larger."""
    out = {**style, "weight": style.get("weight", 2) + 3, "opacity": 1.0}
    if "radius" in style:
        out["radius"] = style["radius"] + 4
    return out


def layer_data(collection: Mapping[str, Any], layer_id: str, day: dt.date | str | None, *,
               zoom: int | None = None, highlight: frozenset[str] = frozenset(),
               labels: Mapping[str, str] | None = None, title: str | None = None,
               style: Callable[[Mapping[str, Any]], dict[str, Any]] | None = None) -> dict[str, Any]:
    """The features of a layer valid on ``day`` (all when None), with escaped ``_tooltip``/``_popup``.

    With ``zoom``, geometries are simplified by a tolerance invisible at that zoom (see ``simplify_for_zoom``);
    features whose id is in ``highlight`` are drawn emphasised. ``labels`` replaces map label texts (by feature
    id, or ``claimed-ua``/``claimed-ru`` for claims), for other languages. ``title`` and ``style`` serve layers
    that are not published layers (uploads, comparisons): the popup heading and a style per feature.
    """
    title = title if title is not None else layer_spec(layer_id).title
    features = []
    chosen = collection.get("features", []) if day is None else features_on(collection.get("features", []), day)
    for feat in chosen:
        props = feat.get("properties") or {}
        kept = {k: props[k] for k in _KEPT_PROPERTIES if k in props}
        kept["_tooltip"] = tooltip_html(props)
        kept["_popup"] = popup_html(props, layer_title=title)
        base_style = style(props) if style is not None else feature_style(layer_id, props)
        kept["_style"] = _emphasised(base_style) if props.get("id") in highlight else base_style
        label = _label_for(layer_id, feat, labels or {})
        if label:
            kept["_label"], kept["_label_css"] = label
        geometry = feat["geometry"]
        if zoom is not None:
            geometry = mapping(simplify_for_zoom(shape(geometry), zoom))
        features.append({"type": "Feature", "properties": kept, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


class _DeclutterLabels(MacroElement):
    """At small scales, hide village names and claim labels so that the towns and the front stay readable."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            function declutter() {
                map.getContainer().classList.toggle("km-zoom-small", map.getZoom() < {{ this.min_zoom }});
            }
            map.on("zoomend", declutter);
            declutter();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, min_zoom: int = 9) -> None:
        super().__init__()
        self._name = "DeclutterLabels"
        self.min_zoom = min_zoom


class _FlyBetweenViews(MacroElement):
    """Presenter maps fly to a new view instead of jumping (streamlit-folium moves the map with setView)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var jump = map.setView;
            map.setView = function (center, zoom, options) {
                if (map._loaded && !map._kmFlying && !(options && options.animate === false)) {
                    map._kmFlying = true;
                    map.once("moveend", function () { map._kmFlying = false; });
                    return map.flyTo(center, zoom, {duration: 0.9});
                }
                return jump.call(map, center, zoom, options);
            };
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)


def base_map(*, basemap: str = "osm", offline: bool = False, view: str = "kupiansk",
             presenter: bool = False, measure: bool = False) -> folium.Map:
    """The static part of the map. With ``offline`` or ``basemap='none'`` no tile server is contacted.

    ``presenter`` adds a fullscreen control and makes view changes fly; ``measure`` adds distance and area
    measurement (geodesic, in km and km²) and a readout of the cursor's coordinates.
    """
    preset = VIEWS[view]
    fmap = folium.Map(location=preset.center, zoom_start=preset.zoom(), tiles=None, control_scale=True,
                      prefer_canvas=False, max_bounds=False)
    # Nothing drawn here needs jQuery, Bootstrap or Font Awesome: load Leaflet alone.
    fmap.default_js = [(name, url) for name, url in fmap.default_js if name == "leaflet"]
    fmap.default_css = [(name, url) for name, url in fmap.default_css if name == "leaflet_css"]
    if basemap != "none" and not offline:
        url, attribution = TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=18).add_to(fmap)
    else:
        fmap.get_root().html.add_child(Element(
            f"<script>document.addEventListener('DOMContentLoaded',function(){{"
            f"var c=document.querySelector('.leaflet-container');if(c)c.classList.add('km-no-tiles');}});</script>"))
    fmap.get_root().header.add_child(Element(_CSS))
    _Legend(legend_html()).add_to(fmap)
    _DeclutterLabels().add_to(fmap)
    if measure:
        folium.plugins.MeasureControl(position="topleft", primary_length_unit="kilometers",
                                      secondary_length_unit="meters", primary_area_unit="sqkilometers",
                                      secondary_area_unit="hectares").add_to(fmap)
        folium.plugins.MousePosition(position="bottomright", separator=" N, ", num_digits=5,
                                     lng_first=False, prefix="Cursor:").add_to(fmap)
    if presenter:
        folium.plugins.Fullscreen(position="topleft", title="Fullscreen", title_cancel="Exit fullscreen").add_to(fmap)
        _FlyBetweenViews().add_to(fmap)
    return fmap


def _label_for(layer_id: str, feat: Mapping[str, Any], labels: Mapping[str, str]) -> tuple[str, str] | None:
    """The permanent label of a point, escaped, with its CSS class: place names, and claims by claimant."""
    if feat["geometry"]["type"] != "Point":
        return None
    props = feat["properties"]
    if layer_id == "places":
        kind = str(props.get("kind", "place"))
        return escape(labels.get(str(props.get("id")), str(props.get("name", "")))), f"km-label km-{escape(kind)}"
    status = str(props.get("status", ""))
    if layer_id == "events" and status.startswith("claimed-"):
        side = "Ukraine" if status == "claimed-ua" else "Russia"
        return escape(labels.get(status, f"{side} claims (unverified)")), "km-label km-claim"
    return None


# Draws one prepared layer into a Leaflet group. All text arrives escaped from Python (popups.py); styles come
# from style.py per feature, so this code knows nothing about the data.
_LAYER_JS = """function (group) {
  var data = %s;
  var layer = L.geoJSON(data, {
    style: function (f) { return f.properties._style; },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties._style); },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindTooltip(p._tooltip, {sticky: true});
      l.bindPopup(p._popup, {maxWidth: 340});
      l.on("mouseover", function () { if (l.setStyle) { l.setStyle({weight: (p._style.weight || 2) + 2}); } });
      l.on("mouseout", function () { layer.resetStyle(l); });
      if (p._label) {
        group.addLayer(L.tooltip({permanent: true, direction: "right", offset: [6, 0], interactive: false,
                                  className: p._label_css}).setLatLng(l.getLatLng()).setContent(p._label));
      }
    }
  });
  group.addLayer(layer);
}"""


def layer_script(data: Mapping[str, Any]) -> str:
    """Leaflet code (a JS function of one argument, the group) that draws ``layer_data`` output.

    The data is embedded as JSON with ``</`` escaped, so no text can close the surrounding script element.
    """
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("</", "<\\/")
    return _LAYER_JS % payload


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
    return [group_from_script(layer_spec(layer_id).title, layer_script(data_by_layer[layer_id]))
            for layer_id in DRAW_ORDER if layer_id in data_by_layer and data_by_layer[layer_id]["features"]]


def groups_from_scripts(scripts_by_layer: Mapping[str, str | None]) -> list[folium.FeatureGroup]:
    """Like ``groups_from_data``, from scripts already made by ``layer_script`` (None: nothing to draw)."""
    return [group_from_script(layer_spec(layer_id).title, scripts_by_layer[layer_id]) for layer_id in DRAW_ORDER
            if scripts_by_layer.get(layer_id)]


def situation_groups(layers: Mapping[str, Mapping[str, Any]], state: ViewState, *,
                     zoom: int | None = None) -> list[folium.FeatureGroup]:
    """One feature group per visible layer that has features on ``state.date``, bottom to top."""
    return groups_from_data({layer_id: layer_data(layers[layer_id], layer_id, state.date, zoom=zoom)
                             for layer_id in state.layers if layer_id in layers})


def build_map(layers: Mapping[str, Mapping[str, Any]], state: ViewState, *, offline: bool = False) -> folium.Map:
    """The complete map for ``state``: the base map with every visible layer added, fitted to the view."""
    fmap = base_map(basemap=state.basemap, offline=offline, view=state.view)
    for group in situation_groups(layers, state):
        group.add_to(fmap)
    return fmap
