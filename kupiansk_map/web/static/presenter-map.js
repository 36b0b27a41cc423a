// The presenter map inside the app (web/presenter_map.py): a function of the Leaflet map.
// - Chapter keys (arrows, clicker Page keys, Home/End) go to the page around the map whatever has focus, so a
//   click on the map never takes them away; the map itself does not pan with them.
// - It fills the frame it is in, so the page can size the frame to the screen.
// - In fullscreen it shows the chapter's narration, which each chapter sets with kmNarrate (narration.js).
/* exported setUpPresenterMap */
function setUpPresenterMap(map, texts) {
  var CHAPTER_KEYS = {ArrowLeft: 1, ArrowRight: 1, PageUp: 1, PageDown: 1, Home: 1, End: 1};
  var page = window.parent !== window ? window.parent.document : null;

  function forward(event) {
    if (!page || !CHAPTER_KEYS[event.key] || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    // Capture phase, before Leaflet's own keyboard handler on the map container. Both halves of the key press
    // go to the page: its shortcut handler tracks which keys are held.
    event.preventDefault();
    event.stopPropagation();
    page.dispatchEvent(new KeyboardEvent(event.type, {
      key: event.key, code: event.code, keyCode: event.keyCode, which: event.which, bubbles: true, cancelable: true
    }));
  }
  document.addEventListener("keydown", forward, true);
  document.addEventListener("keyup", forward, true);

  var container = map.getContainer();
  function fill() {
    container.style.height = window.innerHeight + "px";
    map.invalidateSize({pan: false});
  }
  window.addEventListener("resize", fill);
  fill();

  var narration = L.control({position: "topright"});
  narration.onAdd = function () {
    var box = L.DomUtil.create("section", "km-narration");
    box.setAttribute("aria-live", "polite");
    box.title = texts.foldNarration;
    // A click folds it to its heading line, to see the ground it covers.
    box.addEventListener("click", function () { box.classList.toggle("km-folded"); });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    return box;
  };
  narration.addTo(map);
  map.kmNarration = narration.getContainer();
  map.on("enterFullscreen", function () { container.classList.add("km-fullscreen"); });
  map.on("exitFullscreen", function () { container.classList.remove("km-fullscreen"); });
}
