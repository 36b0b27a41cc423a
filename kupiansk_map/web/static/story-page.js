// The story page (export/story_page.py): chapters, keys, the map and its legend, from the JSON payload in
// #km-story. Story text is set with textContent; only the exporter's escaped popup and tooltip HTML is HTML.
// The offline basemap (S.basemap, S.basemapDated) is drawn by drawLayer (layer.js, inlined before this file)
// whenever there are no tiles: offline, or once a tile fails to load.
/* global drawLayer */
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
  text("km-prev", "\u2190 " + L_.previous);
  text("km-next", L_.next + " \u2192");
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
  map.createPane("kmBasemap").style.zIndex = 250;
  map.createPane("kmBasemapLabels").style.zIndex = 450;
  if (map.getSize().x < 600) $("km-legend").open = false;  // phones: a tap opens it

  // The offline basemap: its undated part once, its dated part (the Kakhovka reservoir) for each chapter's date.
  var basemapShown = false, datedBasemap = null;
  function syncDatedBasemap() {
    if (!basemapShown || !S.basemapDated || !current) return;
    if (datedBasemap) map.removeLayer(datedBasemap);
    var day = S.chapters[current - 1].date;
    var valid = S.basemapDated.features.filter(function (f) {
      var p = f.properties;
      return (!p._valid_from || p._valid_from <= day) && (!p._valid_to || day < p._valid_to);
    });
    datedBasemap = L.featureGroup();
    drawLayer(datedBasemap, L.extend({}, S.basemapDated, {features: valid}));
    datedBasemap.addTo(map);
  }
  function showBasemap() {
    if (basemapShown) return;
    basemapShown = true;
    map.getContainer().classList.add("km-no-tiles");
    if (S.basemap) {
      var group = L.featureGroup();
      drawLayer(group, S.basemap);
      group.addTo(map);
      map.attributionControl.addAttribution(S.basemapAttribution);
    }
    syncDatedBasemap();
  }
  if (navigator.onLine) {
    var tiles = L.tileLayer(S.tiles.url, {maxZoom: 18, attribution: S.tiles.attribution}).addTo(map);
    tiles.on("tileerror", function () {
      map.getContainer().classList.add("km-tiles-failed");  // story-page.css hides the broken tiles
      showBasemap();
    });
  } else {
    showBasemap();
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
    document.title = ch.title + " \u2013 " + S.title;
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
    try { history.replaceState(null, "", hash); } catch { location.replace(hash); }
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
    syncDatedBasemap();
    setHash(n);
    fly(ch, animate);
  }

  function fromHash() {
    var m = /^#chapter=(\d+)$/.exec(location.hash);
    return m ? parseInt(m[1], 10) : 1;
  }

  var fsButton = $("km-fullscreen");
  function fsLabel() { fsButton.textContent = document.fullscreenElement ? L_.exit_fullscreen : L_.fullscreen; }
  function toggleFullscreen() {
    try {
      var p = document.fullscreenElement ? document.exitFullscreen()
                                          : document.documentElement.requestFullscreen();
      if (p && p.catch) p.catch(function () {});
    } catch { /* not allowed here */ }
  }
  fsLabel();
  if (!document.fullscreenEnabled) fsButton.hidden = true;
  document.addEventListener("fullscreenchange", function () { fsLabel(); map.invalidateSize(); });
  fsButton.addEventListener("click", toggleFullscreen);
  $("km-prev").addEventListener("click", function () { go(current - 1, true); });
  $("km-next").addEventListener("click", function () { go(current + 1, true); });

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    var target;
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
