"""The map builder: pure functions from layers and a view state to folium objects.

Offers:
- ``DRAW_ORDER``: the order layers are stacked in, bottom to top.
- ``layer_data``: one layer's features valid on a date, reduced to what the browser needs, with escaped
  tooltip and popup HTML (a plain dict, cheap to cache).
- ``base_map``: the part of the map that never changes with the date: basemap, scale bar, legend, styles.
- ``situation_groups``: one ``folium.FeatureGroup`` per visible layer, for streamlit-folium's
  ``feature_group_to_add`` (the iframe stays, zoom and centre are kept).
- ``build_map``: the whole map in one ``folium.Map`` (for tests and standalone HTML).
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any, Mapping

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from .model import features_on, layer_spec
from .popups import popup_html, tooltip_html
from .style import LEGEND, PALETTE, feature_style
from .views import VIEWS, ViewState

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
.km-legend {{ background: rgba(255,255,255,.92); padding: 4px 8px; border-radius: 4px; max-height: 60vh;
  max-width: 260px; overflow-y: auto; font: 11px/1.35 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }}
.km-legend summary {{ font-weight: 600; cursor: pointer; }}
.km-legend .km-row {{ display: flex; align-items: center; gap: 6px; }}
.km-legend svg {{ flex: none; }}
.leaflet-container.km-no-tiles {{ background: #F3F1EA; }}
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


def layer_data(collection: Mapping[str, Any], layer_id: str, day: dt.date | str) -> dict[str, Any]:
    """The features of a layer valid on ``day``, with escaped ``_tooltip``/``_popup`` and little else."""
    title = layer_spec(layer_id).title
    features = []
    for feat in features_on(collection.get("features", []), day):
        props = feat["properties"]
        kept = {k: props[k] for k in _KEPT_PROPERTIES if k in props}
        kept["_name"] = str(props.get("name", ""))
        kept["_tooltip"] = tooltip_html(props)
        kept["_popup"] = popup_html(props, layer_title=title)
        features.append({"type": "Feature", "properties": kept, "geometry": feat["geometry"]})
    return {"type": "FeatureCollection", "features": features}


def base_map(*, basemap: str = "osm", offline: bool = False, view: str = "kupiansk") -> folium.Map:
    """The static part of the map. With ``offline`` or ``basemap='none'`` no tile server is contacted."""
    preset = VIEWS[view]
    fmap = folium.Map(location=preset.center, zoom_start=preset.zoom(), tiles=None, control_scale=True,
                      prefer_canvas=False, max_bounds=False)
    if basemap != "none" and not offline:
        url, attribution = TILES[basemap]
        folium.TileLayer(url, attr=attribution, name=basemap, max_zoom=18).add_to(fmap)
    else:
        fmap.get_root().html.add_child(Element(
            f"<script>document.addEventListener('DOMContentLoaded',function(){{"
            f"var c=document.querySelector('.leaflet-container');if(c)c.classList.add('km-no-tiles');}});</script>"))
    fmap.get_root().header.add_child(Element(_CSS))
    _Legend(legend_html()).add_to(fmap)
    return fmap


def _label(point: list[float], text: str, *, claim: bool = False) -> folium.Marker:
    css = "km-label km-claim" if claim else "km-label"
    return folium.Marker(location=(point[1], point[0]), icon=folium.DivIcon(
        html=f"<div class='{css}'>{escape(text)}</div>", icon_size=(0, 0), icon_anchor=(-8, 8)))


def _group(layer_id: str, data: Mapping[str, Any]) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=layer_spec(layer_id).title, show=True)
    folium.GeoJson(
        data,
        name=layer_spec(layer_id).title,
        style_function=lambda feat, layer_id=layer_id: feature_style(layer_id, feat["properties"]),
        marker=folium.CircleMarker(radius=7 if layer_id == "events" else 5),
        tooltip=folium.GeoJsonTooltip(fields=["_tooltip"], labels=False, sticky=True),
        popup=folium.GeoJsonPopup(fields=["_popup"], labels=False, max_width=340),
        highlight_function=lambda feat: {"weight": 4},
        zoom_on_click=False,
    ).add_to(group)
    for feat in data["features"]:
        geometry, props = feat["geometry"], feat["properties"]
        if geometry["type"] != "Point":
            continue
        if layer_id == "places":
            _label(geometry["coordinates"], props["_name"]).add_to(group)
        elif layer_id == "events" and str(props.get("status", "")).startswith("claimed-"):
            side = "Ukraine" if props["status"] == "claimed-ua" else "Russia"
            _label(geometry["coordinates"], f"{side} claims (unverified)", claim=True).add_to(group)
    return group


def situation_groups(layers: Mapping[str, Mapping[str, Any]], state: ViewState) -> list[folium.FeatureGroup]:
    """One feature group per visible layer that has features on ``state.date``, bottom to top."""
    groups = []
    for layer_id in DRAW_ORDER:
        if layer_id not in state.layers or layer_id not in layers:
            continue
        data = layer_data(layers[layer_id], layer_id, state.date)
        if data["features"]:
            groups.append(_group(layer_id, data))
    return groups


def build_map(layers: Mapping[str, Mapping[str, Any]], state: ViewState, *, offline: bool = False) -> folium.Map:
    """The complete map for ``state``: the base map with every visible layer added, fitted to the view."""
    fmap = base_map(basemap=state.basemap, offline=offline, view=state.view)
    for group in situation_groups(layers, state):
        group.add_to(fmap)
    return fmap
