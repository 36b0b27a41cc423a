// Leaflet finds its default marker icon through leaflet.css; streamlit-folium runs the map script before that
// stylesheet applies, and Leaflet 1.9.3's fallback then asks for ".../leafletmarker-icon.png" (404). Loaded right
// after leaflet.js, this points Leaflet at the images folder next to the script (a no-op when inlined).
(function () {
  var script = document.currentScript;
  if (window.L && script && script.src) {
    L.Icon.Default.imagePath = script.src.replace(/[^/]*$/, "") + "images/";
  }
})();
