// At small scales (below minZoom), hide village names and claim labels so that the towns and the front stay
// readable (render.base_map; the CSS is in map-base.css).
/* exported declutterLabels */
function declutterLabels(map, minZoom) {
  function declutter() {
    map.getContainer().classList.toggle("km-zoom-small", map.getZoom() < minZoom);
  }
  map.on("zoomend", declutter);
  declutter();
}
