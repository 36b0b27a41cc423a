// Presenter maps fly to a new view instead of jumping (render.base_map): streamlit-folium moves the map with
// setView, so setView flies unless the caller asks for no animation.
/* exported flyBetweenViews */
function flyBetweenViews(map) {
  var jump = map.setView;
  map.setView = function (center, zoom, options) {
    if (map._loaded && !map._kmFlying && !(options && options.animate === false)) {
      map._kmFlying = true;
      map.once("moveend", function () { map._kmFlying = false; });
      return map.flyTo(center, zoom, {duration: 0.9});
    }
    return jump.call(map, center, zoom, options);
  };
}
