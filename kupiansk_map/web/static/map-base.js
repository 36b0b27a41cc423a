// The parts of the base map that live in the browser: the legend control (rows come and go with the layers
// drawn), the accessible name of the map, and the fallback when map tiles cannot be loaded.
// Python calls it as (setUpBaseMap)(map, options); options come from render.base_map.
/* exported setUpBaseMap */
function setUpBaseMap(map, options) {
  var container = map.getContainer();
  container.setAttribute("aria-label", options.mapName);
  container.setAttribute("role", "region");
  if (options.presenter) { container.classList.add("km-presenter"); }
  if (options.noTiles) { container.classList.add("km-no-tiles"); }  // no tile layer: our own background
  // Kilometres and metres only: the map measures in metric units, in both languages.
  L.control.scale({position: "bottomleft", imperial: false}).addTo(map);

  // --- the offline basemap (sea, lakes, borders, rivers, cities): in panes of its own between the tiles and the
  // layers, which map-base.css shows only while the map has no tiles (km-no-tiles).
  map.createPane("kmBasemap").style.zIndex = 250;
  map.createPane("kmBasemapLabels").style.zIndex = 450;
  if (options.basemap) {
    var basemap = L.featureGroup();
    options.basemap(basemap);
    basemap.addTo(map);
  }

  // --- legend: rows keyed by meaning, counted, so two groups drawing one meaning give one row.
  var shown = {}, listeners = [], rowsBox = null, box = null;
  function render() {
    if (!rowsBox) { return; }
    var keys = Object.keys(shown).sort(function (a, b) {
      return (shown[a].row.order - shown[b].row.order) || (a < b ? -1 : 1);
    });
    while (rowsBox.firstChild) { rowsBox.removeChild(rowsBox.firstChild); }
    keys.forEach(function (key) {
      var row = shown[key].row, div = L.DomUtil.create("div", "km-row", rowsBox);
      div.setAttribute("data-key", key);
      var swatch = L.DomUtil.create("span", "km-swatch", div);
      swatch.innerHTML = row.swatch;  // SVG made in Python from our own styles, no user text
      L.DomUtil.create("span", "km-row-label", div).textContent = row.label;
    });
    box.hidden = keys.length === 0;
  }
  function changed() { render(); listeners.forEach(function (fn) { fn(); }); }
  map.kmLegend = {
    add: function (rows) {
      rows.forEach(function (row) {
        var entry = shown[row.key] || (shown[row.key] = {row: row, count: 0});
        entry.count += 1;
      });
      changed();
    },
    remove: function (rows) {
      rows.forEach(function (row) {
        var entry = shown[row.key];
        if (entry && --entry.count <= 0) { delete shown[row.key]; }
      });
      changed();
    },
    count: function (key) { return shown[key] ? shown[key].count : 0; },
    keys: function () { return Object.keys(shown); },
    onChange: function (fn) { listeners.push(fn); }
  };
  var control = L.control({position: "topright"});
  control.onAdd = function () {
    box = L.DomUtil.create("details", "km-legend");
    L.DomUtil.create("summary", "", box).textContent = options.legendTitle;
    rowsBox = L.DomUtil.create("div", "km-legend-rows", box);
    L.DomUtil.create("div", "km-legend-note", box).textContent = options.legendNote;
    // Open by default where the map has room for it; a tap opens it on phones.
    if (map.getSize().x >= 900) { box.open = true; }
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    render();
    return box;
  };
  control.addTo(map);

  // --- tiles: when they fail, say so and draw our own context layers instead (the no-tiles background).
  var fallback = (options.fallback || []).map(function (item) {
    var group = L.featureGroup();
    item.draw(group);
    return {key: item.key, group: group};
  });
  var failed = false;
  function syncFallback() {
    if (!failed) { return; }
    fallback.forEach(function (item) {
      var mine = map.hasLayer(item.group) ? 1 : 0;
      // Draw our copy only while no other group draws the same layer.
      if (!mine && map.kmLegend.count(item.key) === 0) { item.group.addTo(map); }
      else if (mine && map.kmLegend.count(item.key) > 1) { map.removeLayer(item.group); }
    });
  }
  map.kmLegend.onChange(syncFallback);
  function tilesFailed() {
    if (failed) { return; }
    failed = true;
    container.classList.add("km-no-tiles", "km-tiles-failed");
    var notice = L.control({position: "bottomleft"});
    notice.onAdd = function () {
      var div = L.DomUtil.create("div", "km-notice");
      div.setAttribute("role", "status");
      div.textContent = options.tilesFailed;
      return div;
    };
    notice.addTo(map);
    syncFallback();
  }
  map.eachLayer(function (layer) {
    if (layer instanceof L.TileLayer) { layer.on("tileerror", tilesFailed); }
  });
}
