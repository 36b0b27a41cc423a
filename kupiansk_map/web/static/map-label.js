// The box that names an exported map's date and view (export.py). A function of the Leaflet map and
// {iso, date, view}; the texts are set as textContent, never parsed as HTML.
/* exported addMapLabel */
function addMapLabel(map, label) {
  var box = L.control({position: "topleft"});
  box.onAdd = function () {
    var div = L.DomUtil.create("div", "km-map-label");
    var date = L.DomUtil.create("time", "km-map-label-date", div);
    date.dateTime = label.iso;
    date.textContent = label.date;
    L.DomUtil.create("div", "km-map-label-view", div).textContent = label.view;
    return div;
  };
  box.addTo(map);
  // First in its corner, above the zoom buttons: it is the first thing a reader should see.
  var corner = box.getContainer().parentNode;
  corner.insertBefore(box.getContainer(), corner.firstChild);
}
