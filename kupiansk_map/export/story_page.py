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

import json
from collections.abc import Mapping
from html import escape
from typing import Any

from shapely.geometry import box, shape

from kupiansk_map.export.single_map import standalone_html
from kupiansk_map.model import STATUSES
from kupiansk_map.story.chapters import LANGUAGES, Chapter, Story, format_date
from kupiansk_map.web import assets
from kupiansk_map.web.popups import claim_label
from kupiansk_map.web.render import DRAW_ORDER, layer_data
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
_OSM = (
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)


# ---------------------------------------------------------------------------------------------------------------
# data


def _chapter_zoom(chapter: Chapter) -> int:
    return View(chapter.id, chapter.id, chapter.bounds).zoom(width_px=_MAP_SIZE_PX[0], height_px=_MAP_SIZE_PX[1])


def _emphasised(style: Mapping[str, Any], geometry_type: str) -> dict[str, Any]:
    """The style of a highlighted feature: heavier lines, stronger fill, bigger points."""
    strong = dict(style)
    strong["weight"] = max(float(style.get("weight", 2)), 2.0) + 2
    strong["opacity"] = 1.0
    if "fillOpacity" in style and geometry_type.endswith("Polygon"):
        strong["fillOpacity"] = min(0.7, float(style["fillOpacity"]) + 0.15)
    if geometry_type.endswith("Point"):
        strong["radius"] = float(style.get("radius", 6)) + 4
    return strong


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
    """A permanent map label (plain text, not HTML) and the zoom it appears from, or None.

    ``props`` are the feature's own properties (from the layer file), not ``layer_data``'s.
    """
    if layer_id == "places":
        name = story.place_name(str(props.get("id")), str(props.get("name", "")), lang=lang)
        return name, _LABEL_MIN_ZOOM.get(str(props.get("kind")), 9)
    if layer_id == "events" and props.get("status") in _CLAIMED:
        # What is claimed, by whom, unverified (the same words as the app's map, render._label_for).
        return story.place_name(str(props.get("id")), claim_label(props), lang=lang), 0
    return None


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
        for layer_id in sorted((l for l in chapter.layers if l in layers), key=DRAW_ORDER.index):
            originals = {str(f["properties"].get("id")): f["properties"] for f in layers[layer_id]["features"]}
            data = layer_data(layers[layer_id], layer_id, chapter.date, zoom=zoom)
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
                    "strong": _emphasised(style, geometry_type),
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
    legend = [{**entry.as_dict(), "label": story.legend_label(entry.label, lang=lang)} for entry in LEGEND_ENTRIES]
    return {
        "lang": lang,
        "title": story.title[lang],
        "labels": dict(story.labels[lang]),
        "features": features,
        "chapters": chapters,
        "legend": legend,
        "tiles": {"url": _OSM[0], "attribution": _OSM[1]},
    }


def _json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script type="application/json">`` element (no ``<``, ``>`` or ``&``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# ---------------------------------------------------------------------------------------------------------------
# page

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: https://tile.openstreetmap.org; font-src data:; connect-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

_HEAD = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="{vendor}leaflet/leaflet.css">
<script src="{vendor}leaflet/leaflet.js"></script>
"""

_CSS = """<style>
:root { --ink: #111; --muted: #3a3a3a; --accent: #0B3C73; --accent-ink: #fff; --warn: #E69F00;
  --panel: #fff; --line: #d0d0d0; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  color: var(--ink); background: var(--panel); }
.km-app { display: grid; grid-template-columns: minmax(380px, 35%) 1fr; height: 100vh; }
.km-panel { display: flex; flex-direction: column; padding: clamp(16px, 2.2vw, 40px) clamp(18px, 2.4vw, 44px) 0;
  overflow-y: auto; border-right: 3px solid var(--ink); background: var(--panel); }
.km-panel > * { flex-shrink: 0; }
.km-top { display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
  font-size: clamp(15px, 1.05vw, 20px); color: var(--muted); font-weight: 600; }
.km-progress { font-variant-numeric: tabular-nums; font-size: clamp(18px, 1.3vw, 24px); color: var(--ink);
  white-space: nowrap; }
.km-bar { height: 6px; background: #e4e4e4; border-radius: 3px; margin: 10px 0 clamp(14px, 2vh, 28px); }
.km-bar > div { height: 100%; background: var(--accent); border-radius: 3px; }
.km-date { margin: 0; font-size: clamp(20px, 1.6vw, 30px); font-weight: 700; color: var(--accent); }
.km-title { margin: .15em 0 .4em; font-size: clamp(26px, 2.3vw, 46px); line-height: 1.12; font-weight: 800; }
.km-narration { margin: 0 0 .8em; font-size: clamp(18px, 1.35vw, 27px); line-height: 1.42; }
.km-claims { margin: 0 0 1em; padding: .5em .8em; background: #FFF4D6; border-left: 6px solid var(--warn);
  font-size: clamp(16px, 1.1vw, 21px); line-height: 1.35; font-weight: 600; }
.km-sources-label { margin: .2em 0 .25em; font-size: clamp(15px, 1vw, 19px); text-transform: uppercase;
  letter-spacing: .05em; color: var(--muted); }
.km-sources { margin: 0 0 1em; padding-left: 1.1em; font-size: clamp(15px, 1vw, 19px); line-height: 1.35;
  color: var(--muted); }
.km-nav { position: sticky; bottom: 0; margin-top: auto; display: flex; flex-wrap: wrap; align-items: center;
  gap: 10px; padding: 12px 0 10px; background: var(--panel); border-top: 1px solid var(--line); }
.km-nav button { font: inherit; font-size: clamp(18px, 1.25vw, 24px); font-weight: 700; padding: .4em .9em;
  border-radius: 8px; border: 2px solid var(--accent); background: var(--accent); color: var(--accent-ink);
  cursor: pointer; }
.km-nav button.km-secondary { background: #fff; color: var(--accent); margin-left: auto; font-size: clamp(15px, 1vw, 19px); }
.km-nav button:disabled { opacity: .35; cursor: default; }
.km-nav button:focus-visible { outline: 4px solid var(--warn); outline-offset: 2px; }
.km-keys { flex-basis: 100%; margin: 0; font-size: 13px; color: var(--muted); }
.km-mapwrap { position: relative; min-height: 0; }
#km-map { position: absolute; inset: 0; background: #F3F1EA; }
.km-map-date { position: absolute; z-index: 800; left: 14px; top: 12px; padding: 6px 14px; border-radius: 6px;
  background: rgba(255,255,255,.94); border: 2px solid var(--ink); font-size: clamp(20px, 1.6vw, 30px);
  font-weight: 800; pointer-events: none; }
.km-legend { position: absolute; z-index: 800; right: 12px; bottom: 24px; max-width: min(340px, 42%);
  max-height: 58%; overflow-y: auto; background: rgba(255,255,255,.96); border: 2px solid var(--ink);
  border-radius: 6px; padding: 8px 12px; font-size: clamp(14px, .95vw, 18px); line-height: 1.3; }
.km-legend summary { font-weight: 800; cursor: pointer; }
.km-legend .km-row { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
.km-legend svg { flex: none; }
.km-legend .km-note { margin: 6px 0 0; color: var(--muted); font-size: .9em; }
.km-label { font: 700 15px/1.1 system-ui, sans-serif; color: #000; white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 4px #fff, 0 0 4px #fff; }
.km-label.km-claim { font-style: italic; }
.km-label.km-strong { font-size: 18px; }
.leaflet-tooltip.km-label { background: none; border: none; box-shadow: none; padding: 0 2px; }
.leaflet-tooltip.km-label::before { display: none; }
.km-popup { font: 14px/1.4 system-ui, sans-serif; max-width: 340px; }
.km-popup h4 { margin: 2px 0 6px; font-size: 16px; }
.km-popup .km-layer { color: #555; font-size: 11px; text-transform: uppercase; letter-spacing: .04em; }
.km-popup table { border-collapse: collapse; margin: 4px 0; }
.km-popup th { text-align: left; padding: 1px 8px 1px 0; vertical-align: top; color: #333; }
.km-popup .km-warn { background: #FFF4D6; border-left: 3px solid #E69F00; padding: 3px 6px; }
.leaflet-container { font-size: 14px; }
.leaflet-control-scale-line { font-size: 14px; border-width: 2px; }
@media (max-width: 820px) {
  .km-app { grid-template-columns: 1fr; grid-template-rows: 55vh auto; height: auto; }
  .km-mapwrap { grid-row: 1; height: 55vh; }
  .km-panel { grid-row: 2; border-right: none; border-top: 3px solid var(--ink); overflow: visible; }
  .km-legend { max-width: 70%; max-height: 45%; }
}
@media print { .km-nav, .leaflet-control-zoom { display: none; } }
.km-handout .km-nav, .km-handout .leaflet-control-zoom { display: none; }
</style>
</head>
"""

_BODY = """<body>
<main class="km-app">
  <section class="km-panel" id="km-panel" aria-live="polite">
    <div class="km-top"><span id="km-story-title"></span><span class="km-progress" id="km-progress"></span></div>
    <div class="km-bar" aria-hidden="true"><div id="km-bar-fill"></div></div>
    <p class="km-date"><time id="km-date"></time></p>
    <h1 class="km-title" id="km-title"></h1>
    <p class="km-narration" id="km-narration"></p>
    <p class="km-claims" id="km-claims" hidden></p>
    <h2 class="km-sources-label" id="km-sources-label"></h2>
    <ul class="km-sources" id="km-sources"></ul>
    <nav class="km-nav" id="km-nav">
      <button type="button" id="km-prev"></button>
      <button type="button" id="km-next"></button>
      <button type="button" class="km-secondary" id="km-fullscreen"></button>
      <p class="km-keys" id="km-keys"></p>
    </nav>
  </section>
  <div class="km-mapwrap">
    <div id="km-map" role="region"></div>
    <div class="km-map-date" id="km-map-date" aria-hidden="true"></div>
    <details class="km-legend" id="km-legend" open>
      <summary id="km-legend-label"></summary>
      <div id="km-legend-rows"></div>
      <p class="km-note" id="km-legend-note"></p>
      <p class="km-note" id="km-offline-note" hidden></p>
    </details>
  </div>
</main>
<script type="application/json" id="km-story">{payload}</script>
"""

_SCRIPT = """<script>
(function () {
  "use strict";
  var S = JSON.parse(document.getElementById("km-story").textContent);
  var L_ = S.labels;
  var $ = function (id) { return document.getElementById(id); };
  var total = S.chapters.length;
  var current = 0;
  var moveSeq = 0;
  var started = false;
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function text(id, value) { $(id).textContent = value; }

  // Static labels, as text.
  text("km-story-title", S.title);
  text("km-prev", "\\u2190 " + L_.previous);
  text("km-next", L_.next + " \\u2192");
  text("km-sources-label", L_.sources);
  text("km-legend-label", L_.legend);
  text("km-legend-note", L_.schematic_note);
  text("km-keys", L_.keys_help);
  $("km-map").setAttribute("aria-label", L_.map);

  var map = L.map("km-map", {zoomControl: false, keyboard: false, zoomSnap: 0.25, zoomDelta: 0.5,
                             attributionControl: true, worldCopyJump: false});
  L.control.zoom({position: "topright"}).addTo(map);
  L.control.scale({position: "bottomleft", imperial: false, maxWidth: 160}).addTo(map);
  map.createPane("kmHalo").style.zIndex = 390;
  if (map.getSize().x < 600) $("km-legend").open = false;  // phones: a tap opens it
  if (navigator.onLine) {
    L.tileLayer(S.tiles.url, {maxZoom: 18, attribution: S.tiles.attribution}).addTo(map);
  } else {
    map.getContainer().classList.add("km-no-tiles");
    text("km-offline-note", L_.no_tiles);
    $("km-offline-note").hidden = false;
  }

  // One Leaflet layer per feature, made when first needed.
  var made = {};
  function style(f, strong) { return strong ? f.strong : f.style; }
  function build(i) {
    if (made[i]) return made[i];
    var f = S.features[i];
    var feature = {type: "Feature", properties: {}, geometry: f.geometry};
    var layer = L.geoJSON(feature, {
      style: function () { return f.style; },
      pointToLayer: function (_, latlng) { return L.circleMarker(latlng, f.style); }
    });
    layer.bindPopup(f.popup, {maxWidth: 360});   // HTML escaped by the exporter
    layer.bindTooltip(f.tooltip, {sticky: true}); // HTML escaped by the exporter
    var halo = L.geoJSON(feature, {
      pane: "kmHalo", interactive: false,
      style: function () { return L.extend({pane: "kmHalo", interactive: false}, f.halo); },
      pointToLayer: function (_, latlng) {
        return L.circleMarker(latlng, L.extend({pane: "kmHalo", interactive: false}, f.halo));
      }
    });
    var label = null;
    if (f.label !== null) {
      var el = document.createElement("span");
      el.textContent = f.label;
      var first = null;
      layer.eachLayer(function (l) { if (!first) first = l; });
      var where = first.getLatLng ? first.getLatLng() : first.getBounds().getCenter();
      label = L.tooltip({permanent: true, direction: "right", offset: [8, 0], interactive: false,
                         className: "km-label" + (f.layer === "events" ? " km-claim" : "")})
        .setLatLng(where).setContent(el);
    }
    // The railway's white ladder: a second, non-interactive line on top.
    var inner = f.inner ? L.geoJSON(feature, {interactive: false, style: function () { return f.inner; }}) : null;
    made[i] = {f: f, layer: layer, halo: halo, label: label, inner: inner};
    return made[i];
  }

  var onMap = [];
  function clear() {
    onMap.forEach(function (l) { map.removeLayer(l); });
    onMap = [];
  }
  function add(l) { l.addTo(map); onMap.push(l); }

  function tag(item, strong) {
    item.layer.eachLayer(function (l) {
      var el = l.getElement && l.getElement();
      if (!el) return;
      el.setAttribute("data-layer", item.f.layer);
      el.setAttribute("data-id", item.f.id);
      el.classList.toggle("km-hl", strong);
    });
  }

  var labels = [];
  function updateLabels() {
    var z = map.getZoom();
    labels.forEach(function (entry) {
      var el = entry.label.getElement();
      if (el) el.style.display = (entry.strong || z >= entry.f.labelZoom) ? "" : "none";
    });
  }
  map.on("zoomend", updateLabels);

  function draw(ch) {
    clear();
    labels = [];
    var strong = {};
    ch.highlight.forEach(function (i) { strong[i] = true; });
    ch.highlight.forEach(function (i) { add(build(i).halo); });
    ch.features.forEach(function (i) {
      var item = build(i);
      item.layer.setStyle(style(item.f, !!strong[i]));
      add(item.layer);
      if (item.inner) add(item.inner);
      tag(item, !!strong[i]);
    });
    ch.features.forEach(function (i) {
      var item = made[i];
      if (item.label) {
        add(item.label);
        var el = item.label.getElement();
        if (el) el.classList.toggle("km-strong", !!strong[i]);
        labels.push({label: item.label, f: item.f, strong: !!strong[i]});
      }
    });
    updateLabels();
  }

  function swatch(row) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "30"); svg.setAttribute("height", "18"); svg.setAttribute("aria-hidden", "true");
    var s = row.style, shape;
    if (row.kind === "fill") {
      shape = document.createElementNS(ns, "rect");
      shape.setAttribute("x", "2"); shape.setAttribute("y", "2");
      shape.setAttribute("width", "26"); shape.setAttribute("height", "14");
      shape.setAttribute("fill", s.fillColor || s.color);
      shape.setAttribute("fill-opacity", String(s.fillOpacity === undefined ? 0.3 : s.fillOpacity));
      shape.setAttribute("stroke-width", "2");
    } else if (row.kind === "line" || row.kind === "rail") {
      shape = document.createElementNS(ns, "line");
      shape.setAttribute("x1", "1"); shape.setAttribute("y1", "9");
      shape.setAttribute("x2", "29"); shape.setAttribute("y2", "9");
      shape.setAttribute("stroke-width", String(Math.min(s.weight || 2, 5)));
    } else {
      shape = document.createElementNS(ns, "circle");
      shape.setAttribute("cx", "15"); shape.setAttribute("cy", "9"); shape.setAttribute("r", "6");
      shape.setAttribute("fill", s.fillColor || s.color);
      shape.setAttribute("stroke-width", "2");
    }
    shape.setAttribute("stroke", s.color || "#000");
    if (s.dashArray) shape.setAttribute("stroke-dasharray", s.dashArray);
    svg.appendChild(shape);
    if (row.kind === "rail" && row.inner) {
      var ladder = shape.cloneNode();
      ladder.setAttribute("stroke", row.inner.color);
      ladder.setAttribute("stroke-width", String(row.inner.weight));
      ladder.setAttribute("stroke-dasharray", row.inner.dashArray);
      svg.appendChild(ladder);
    }
    return svg;
  }

  function legend(ch) {
    var box = $("km-legend-rows");
    while (box.firstChild) box.removeChild(box.firstChild);
    ch.legend.forEach(function (r) {
      var row = S.legend[r];
      var div = document.createElement("div");
      div.className = "km-row";
      div.appendChild(swatch(row));
      var span = document.createElement("span");
      span.textContent = row.label;
      div.appendChild(span);
      box.appendChild(div);
    });
    $("km-legend").hidden = ch.legend.length === 0;
  }

  function panel(ch) {
    text("km-progress", ch.number + " / " + total);
    $("km-progress").setAttribute("aria-label", L_.chapter + " " + ch.number + " / " + total);
    $("km-bar-fill").style.width = (100 * ch.number / total) + "%";
    text("km-date", ch.dateText);
    $("km-date").setAttribute("datetime", ch.date);
    text("km-map-date", ch.dateText);
    text("km-title", ch.title);
    text("km-narration", ch.narration);
    var claims = $("km-claims");
    claims.hidden = !ch.claims;
    claims.textContent = ch.claims ? L_.claims_unverified : "";
    var list = $("km-sources");
    while (list.firstChild) list.removeChild(list.firstChild);
    ch.sources.forEach(function (s) {
      var li = document.createElement("li");
      li.textContent = s;
      list.appendChild(li);
    });
    $("km-keys").hidden = ch.number !== 1;  // the hint once, on the first chapter
    $("km-prev").disabled = ch.number === 1;
    $("km-next").disabled = ch.number === total;
    document.title = ch.title + " \\u2013 " + S.title;
  }

  function bounds(ch) { return L.latLngBounds(ch.bounds[0], ch.bounds[1]); }

  function ready(n) { document.body.setAttribute("data-ready", String(n)); }

  // Keep the chapter's bounds clear of the date badge (top left) and, on wide maps, of the legend (right).
  function padding() {
    var size = map.getSize();
    var box = $("km-legend");
    var right = 24;
    if (!box.hidden && box.open && box.offsetWidth * 2.2 < size.x) right = box.offsetWidth + 24;
    return {paddingTopLeft: [24, 64], paddingBottomRight: [right, 24]};
  }

  function fly(ch, animate) {
    var seq = ++moveSeq;
    document.body.removeAttribute("data-ready");
    var opts = padding();
    var done = function () { if (seq === moveSeq) ready(ch.number); };
    if (!animate || reduceMotion) {
      map.fitBounds(bounds(ch), L.extend({animate: false}, opts));
      done();
      return;
    }
    map.once("moveend", done);
    map.flyToBounds(bounds(ch), L.extend({duration: 1.2}, opts));
    setTimeout(done, 2500);  // in case the fly ends without a moveend
  }

  function setHash(n) {
    var hash = "#chapter=" + n;
    if (location.hash === hash) return;
    try { history.replaceState(null, "", hash); } catch (e) { location.replace(hash); }
  }

  function go(n, animate) {
    n = Math.max(1, Math.min(total, n));
    if (n === current) return;
    current = n;
    var ch = S.chapters[n - 1];
    document.body.setAttribute("data-chapter", String(n));
    panel(ch);
    legend(ch);
    // Leaflet creates a layer's elements only once the map has a view: give it one before the first draw.
    if (!started) map.fitBounds(bounds(ch), L.extend({animate: false}, padding()));
    started = true;
    draw(ch);
    setHash(n);
    fly(ch, animate);
  }

  function fromHash() {
    var m = /^#chapter=(\\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 1;
  }

  var fsButton = $("km-fullscreen");
  function fsLabel() { fsButton.textContent = document.fullscreenElement ? L_.exit_fullscreen : L_.fullscreen; }
  function toggleFullscreen() {
    try {
      var p = document.fullscreenElement ? document.exitFullscreen()
                                          : document.documentElement.requestFullscreen();
      if (p && p.catch) p.catch(function () {});
    } catch (e) { /* not allowed here */ }
  }
  fsLabel();
  if (!document.fullscreenEnabled) fsButton.hidden = true;
  document.addEventListener("fullscreenchange", function () { fsLabel(); map.invalidateSize(); });
  fsButton.addEventListener("click", toggleFullscreen);
  $("km-prev").addEventListener("click", function () { go(current - 1, true); });
  $("km-next").addEventListener("click", function () { go(current + 1, true); });

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    var target = null;
    switch (e.key) {
      case "ArrowRight": case "PageDown": target = current + 1; break;
      case "ArrowLeft": case "PageUp": target = current - 1; break;
      case "Home": target = 1; break;
      case "End": target = total; break;
      case "f": case "F": toggleFullscreen(); e.preventDefault(); return;
      default: return;
    }
    e.preventDefault();
    go(target, true);
  });
  window.addEventListener("hashchange", function () { go(fromHash(), true); });

  go(fromHash(), false);
})();
</script>
</body>
</html>
"""


def story_html(layers: Mapping[str, Mapping[str, Any]], story: Story, *, lang: str = "en") -> str:
    """The story as one self-contained HTML page in ``lang`` (Leaflet, styles and data inlined; no network)."""
    payload = story_payload(layers, story, lang=lang)
    head = _HEAD.format(lang=escape(lang), csp=escape(_CSP), title=escape(story.title[lang]), vendor=assets.INLINE_URL)
    head = assets.inline_html(head)
    return head + _CSS + _BODY.format(payload=_json_for_script(payload)) + _SCRIPT


def map_html(layers: Mapping[str, Mapping[str, Any]], state: ViewState) -> str:
    """One map state as a self-contained page that makes no request (the context layers are the basemap)."""
    return standalone_html(layers, state, offline=True)
