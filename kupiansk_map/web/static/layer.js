// Draws one prepared layer (render.layer_data) into a Leaflet group. All text arrives escaped from Python
// (popups.py); styles come from style.py per feature, so this code knows nothing about the data.
// data._legend: the legend rows this layer stands for, shown while the group is on the map (see map-base.js).
// data._pane / data._labelPane: the panes of the offline basemap (shown only without tiles, see map-base.css).
// data._styles: styles by feature kind, for features without a _style of their own (the basemap).
// A feature with _min_zoom/_max_zoom is one level of detail: drawn only at those zooms.
/* exported drawLayer */
function drawLayer(group, data) {
  var pane = data._pane, labelPane = data._labelPane;
  function named(l, name) {
    // Leaflet 1.9 makes every shape with a tooltip a tab stop: give each one a name and a key to open it.
    var el = l.getElement && l.getElement();
    if (!el || !name) { return; }
    el.setAttribute("aria-label", name);
    el.setAttribute("role", "button");
    if (!el._kmKeys) {
      el._kmKeys = true;
      L.DomEvent.on(el, "keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { L.DomEvent.preventDefault(e); l.openPopup(); }
      });
    }
  }
  var styles = data._styles || {};
  function styleOf(p) { return p._style || styles[p.kind] || {}; }
  function withPane(style) { return pane ? L.extend({}, style, {pane: pane, interactive: false}) : style; }
  function draw(features, into) {
    var layer = L.geoJSON({type: "FeatureCollection", features: features}, {
      pane: pane || "overlayPane",
      interactive: !pane,
      style: function (f) { return withPane(styleOf(f.properties)); },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, withPane(styleOf(f.properties))); },
      onEachFeature: function (f, l) {
        var p = f.properties;
        if (p._popup) {
          l.bindTooltip(p._tooltip, {sticky: true});
          l.bindPopup(p._popup, {maxWidth: 340});
          l.on("add", function () { named(l, p._name); });
          l.on("mouseover", function () { if (l.setStyle) { l.setStyle({weight: (p._style.weight || 2) + 2}); } });
          l.on("mouseout", function () { layer.resetStyle(l); });
        }
        if (p._label) {
          var at = p._label_at ? L.latLng(p._label_at[1], p._label_at[0]) : l.getLatLng();
          var options = {permanent: true, direction: "right", offset: [6, 0], interactive: false,
                         className: p._label_css || data._labelCss};
          if (labelPane) { options.pane = labelPane; }
          into.addLayer(L.tooltip(options).setLatLng(at).setContent(p._label));
        }
      }
    });
    into.addLayer(layer);
    // A second line on top (the railway's white ladder), not interactive: the click reaches the line below.
    var inner = features.filter(function (f) { return f.properties._inner; });
    if (inner.length) {
      into.addLayer(L.geoJSON({type: "FeatureCollection", features: inner}, {
        interactive: false, style: function (f) { return f.properties._inner; }
      }));
    }
  }
  // Levels of detail: one sub-group per zoom range, on the map only within its range.
  var levels = {}, plain = [];
  data.features.forEach(function (f) {
    var p = f.properties;
    if (p._min_zoom === undefined) { plain.push(f); return; }
    var max = p._max_zoom === undefined ? null : p._max_zoom;
    var key = p._min_zoom + ":" + (max === null ? "" : max);
    (levels[key] = levels[key] || {min: p._min_zoom, max: max, features: []}).features.push(f);
  });
  if (plain.length) { draw(plain, group); }
  var ranges = Object.keys(levels).map(function (key) {
    var level = levels[key], sub = L.layerGroup();
    draw(level.features, sub);
    return {min: level.min, max: level.max, layer: sub};
  });
  function fitZoom() {
    var map = group._map;
    if (!map) { return; }
    var z = Math.floor(map.getZoom());  // fractional zooms (the story page) use the coarser level
    ranges.forEach(function (r) {
      var wanted = z >= r.min && (r.max === null || z <= r.max);
      if (wanted && !group.hasLayer(r.layer)) { group.addLayer(r.layer); }
      else if (!wanted && group.hasLayer(r.layer)) { group.removeLayer(r.layer); }
    });
  }
  var rows = data._legend || [], shownOn = null;
  function show() {
    shownOn = group._map;
    if (ranges.length) { shownOn.on("zoomend", fitZoom); fitZoom(); }
    if (shownOn && shownOn.kmLegend) { shownOn.kmLegend.add(rows); }
  }
  group.on("add", show);
  group.on("remove", function () {
    if (shownOn && ranges.length) { shownOn.off("zoomend", fitZoom); }
    if (shownOn && shownOn.kmLegend) { shownOn.kmLegend.remove(rows); }
    shownOn = null;
  });
  if (group._map) { show(); }
}
