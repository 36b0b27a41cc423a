// One chapter's narration, for the presenter map's fullscreen box (presenter-map.js). A function of the feature
// group that carries the chapter and of {date, title, text, counter}; every text is set as textContent.
/* exported narrateChapter */
function narrateChapter(group, chapter) {
  group.on("add", function () {
    var box = group._map && group._map.kmNarration;
    if (!box) {
      return;
    }
    box.textContent = "";
    var head = L.DomUtil.create("p", "km-narration-head", box);
    head.textContent = chapter.counter + " · " + chapter.date;
    L.DomUtil.create("h2", "km-narration-title", box).textContent = chapter.title;
    L.DomUtil.create("p", "km-narration-text", box).textContent = chapter.text;
  });
}
