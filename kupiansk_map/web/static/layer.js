// Draws one prepared layer (render.layer_data) into a Leaflet group. All text arrives escaped from Python
// (popups.py); styles come from style.py per feature, so this code knows nothing about the data.
// data._legend: the legend rows this layer stands for, shown while the group is on the map (see map-base.js).
/* exported drawLayer */
function drawLayer(group, data) {
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
  var layer = L.geoJSON(data, {
    style: function (f) { return f.properties._style; },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties._style); },
    onEachFeature: function (f, l) {
      var p = f.properties;
      l.bindTooltip(p._tooltip, {sticky: true});
      l.bindPopup(p._popup, {maxWidth: 340});
      l.on("add", function () { named(l, p._name); });
      l.on("mouseover", function () { if (l.setStyle) { l.setStyle({weight: (p._style.weight || 2) + 2}); } });
      l.on("mouseout", function () { layer.resetStyle(l); });
      if (p._label) {
        var at = p._label_at ? L.latLng(p._label_at[1], p._label_at[0]) : l.getLatLng();
        group.addLayer(L.tooltip({permanent: true, direction: "right", offset: [6, 0], interactive: false,
                                  className: p._label_css}).setLatLng(at).setContent(p._label));
      }
    }
  });
  group.addLayer(layer);
  // A second line on top (the railway's white ladder), not interactive: the click reaches the line below.
  var inner = data.features.filter(function (f) { return f.properties._inner; });
  if (inner.length) {
    group.addLayer(L.geoJSON({type: "FeatureCollection", features: inner}, {
      interactive: false, style: function (f) { return f.properties._inner; }
    }));
  }
  var rows = data._legend || [], shownOn = null;
  function show() {
    shownOn = group._map;
    if (shownOn && shownOn.kmLegend) { shownOn.kmLegend.add(rows); }
  }
  group.on("add", show);
  group.on("remove", function () {
    if (shownOn && shownOn.kmLegend) { shownOn.kmLegend.remove(rows); }
    shownOn = null;
  });
  if (group._map) { show(); }
}
