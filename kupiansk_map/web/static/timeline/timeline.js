// The date scale and playback: a Streamlit custom component written against the component protocol by hand
// (no npm package). Python (kupiansk_map/app/timeline.py) sends the range, the chosen date, the key dates and
// every text; this sends back {date, seq, playing} and Python puts the date into the session.
//
// Dates are whole days since 1970-01-01 (UTC) inside; ISO strings at the boundary.
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var PAD = 12; // px kept free at each end, so that the thumb at the range's ends is whole
  var LABEL_GAP = 6; // px between two labels in a row
  var LEADER_GAP = 3; // px a label keeps from another label's leader line
  var MAX_LABEL_PX = 170;
  var RESEND_MS = 4000;

  var root = document.getElementById("km-timeline");
  var controls = document.getElementById("km-tl-controls");
  var playButton = document.getElementById("km-tl-play");
  var speedSelect = document.getElementById("km-tl-speed");
  var fromInput = document.getElementById("km-tl-from");
  var toInput = document.getElementById("km-tl-to");
  var current = document.getElementById("km-tl-current");
  var scale = document.getElementById("km-tl-scale");
  var years = document.getElementById("km-tl-years");
  var track = document.getElementById("km-tl-track");
  var loopBand = document.getElementById("km-tl-loop");
  var thumb = document.getElementById("km-tl-thumb");
  var labels = document.getElementById("km-tl-labels");

  var args = null; // the last render's args
  var first = 0;
  var last = 0;
  var day = 0; // the date shown here: the server's, or the one just picked and not yet acknowledged
  var loopFrom = 0;
  var loopTo = 0;
  var seq = 0;
  var sent = null; // {day, seq, playing, acked}
  var pending = null; // {day, playing}: picked while the last value was not yet acknowledged
  var playing = false;
  var lastPlaySend = 0;
  var timer = null;
  var resendTimer = null;
  var dragging = false;
  var frameHeight = -1;
  var layoutKey = "";

  // --- dates

  function parseIso(text) {
    var match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!match) {
      return null;
    }
    return Math.round(Date.UTC(+match[1], +match[2] - 1, +match[3]) / DAY_MS);
  }

  function iso(value) {
    return new Date(value * DAY_MS).toISOString().slice(0, 10);
  }

  function clamp(value) {
    return Math.max(first, Math.min(last, value));
  }

  // Whole months on, on the same day of the month where it exists, else on the month's last day (as step_date).
  function addMonths(value, months) {
    var date = new Date(value * DAY_MS);
    var index = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
    var year = Math.floor(index / 12);
    var month = index - year * 12;
    var lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    return Math.round(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)) / DAY_MS);
  }

  function longDate(value) {
    var texts = args.long_dates || [];
    return texts[value - first] || iso(value);
  }

  // --- the protocol

  function post(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    Object.keys(data || {}).forEach(function (key) {
      message[key] = data[key];
    });
    window.parent.postMessage(message, "*");
  }

  function fitFrame() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== frameHeight) {
      frameHeight = height;
      post("streamlit:setFrameHeight", { height: height });
    }
  }

  function awaiting() {
    return sent !== null && !sent.acked;
  }

  function postValue() {
    post("streamlit:setComponentValue", {
      value: { date: iso(sent.day), seq: sent.seq, playing: sent.playing },
      dataType: "json",
    });
    clearTimeout(resendTimer);
    resendTimer = setTimeout(resend, RESEND_MS);
  }

  // A value that no rerun has acknowledged for a while (Streamlit can drop a fragment's rerun request that comes
  // during another run) is sent again, under a new number, so that playback and drags never stall.
  function resend() {
    if (awaiting()) {
      seq += 1;
      sent.seq = seq;
      postValue();
    }
  }

  // Paced by acknowledgement: one value in flight at a time, so that a slow server is never flooded.
  function flush() {
    if (pending === null || awaiting()) {
      return;
    }
    seq += 1;
    sent = { day: pending.day, seq: seq, playing: pending.playing, acked: false };
    pending = null;
    postValue();
  }

  // ``force``: send even an unchanged date (a pause tells the page that playback has stopped).
  function pick(value, fromPlayback, force) {
    value = clamp(value);
    if (!force && !fromPlayback && value === day && !awaiting() && pending === null) {
      return;
    }
    day = value;
    pending = { day: value, playing: Boolean(fromPlayback) };
    drawDate();
    flush();
  }

  // --- playback

  function speed() {
    return Number(speedSelect.value) || 1;
  }

  function schedule() {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (!playing || awaiting()) {
      return; // the acknowledgement calls this again
    }
    var wait = lastPlaySend + 1000 / speed() - performance.now();
    timer = setTimeout(step, Math.max(0, wait));
  }

  function step() {
    timer = null;
    if (!playing || awaiting()) {
      return;
    }
    var next = day + 1;
    if (next > loopTo || next < loopFrom) {
      next = loopFrom; // after "to", back to "from"
    }
    lastPlaySend = performance.now();
    pick(next, true);
    schedule();
  }

  function setPlaying(on) {
    var stopped = playing && !on;
    playing = on;
    playButton.textContent = on ? args.texts.pause : args.texts.play;
    playButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) {
      lastPlaySend = performance.now() - 1000 / speed(); // the first step goes at once
      if (day < loopFrom || day > loopTo) {
        day = loopTo; // so that the first step is "from"
      }
    }
    schedule();
    if (stopped) {
      // Playback draws only the map; the figures, the summary and the charts come back with this value.
      pick(day, false, true);
    }
  }

  function stop() {
    if (playing) {
      setPlaying(false);
    }
  }

  // Any input outside the play controls stops playback: on the page, in the other same-origin frames (the map is
  // one) and here. Capture phase, so that nothing a frame does with the event can hide it.
  var watched = typeof WeakSet === "function" ? new WeakSet() : null;
  var STOP_EVENTS = ["keydown", "pointerdown", "wheel"];

  function watch(doc) {
    if (!doc || (watched && watched.has(doc))) {
      return;
    }
    if (watched) {
      watched.add(doc);
    }
    STOP_EVENTS.forEach(function (type) {
      doc.addEventListener(type, stop, { capture: true, passive: true });
    });
  }

  function watchFrames() {
    var parentDoc;
    try {
      parentDoc = window.parent.document;
    } catch {
      return; // a cross-origin parent: only this frame's own input can stop playback
    }
    watch(parentDoc);
    Array.prototype.forEach.call(parentDoc.querySelectorAll("iframe"), function (frame) {
      if (frame === window.frameElement) {
        return;
      }
      if (!frame.dataset.kmTimelineWatched) {
        frame.dataset.kmTimelineWatched = "1";
        frame.addEventListener("load", watchFrames); // a new document in the frame
      }
      try {
        watch(frame.contentDocument);
      } catch {
        // a cross-origin frame: its input cannot be seen from here
      }
    });
  }

  function watchPage() {
    watchFrames();
    try {
      new MutationObserver(function () {
        watchFrames();
      }).observe(window.parent.document.body, { childList: true, subtree: true });
    } catch {
      // no access to the parent: watchFrames said so already
    }
    STOP_EVENTS.forEach(function (type) {
      document.addEventListener(
        type,
        function (event) {
          if (!controls.contains(event.target)) {
            stop();
          }
        },
        { capture: true, passive: true }
      );
    });
  }

  // --- drawing

  function width() {
    return root.clientWidth;
  }

  function xOf(value) {
    var span = last - first;
    var inner = width() - 2 * PAD;
    return PAD + (span > 0 ? ((value - first) / span) * inner : inner / 2);
  }

  function dayAt(clientX) {
    var rect = scale.getBoundingClientRect();
    var inner = rect.width - 2 * PAD;
    var fraction = inner > 0 ? (clientX - rect.left - PAD) / inner : 0;
    return clamp(first + Math.round(Math.max(0, Math.min(1, fraction)) * (last - first)));
  }

  function drawDate() {
    var x = xOf(day);
    thumb.style.left = x - PAD + "px";
    scale.setAttribute("aria-valuenow", String(day - first));
    scale.setAttribute("aria-valuetext", longDate(day));
    current.textContent = longDate(day);
  }

  function drawLoop() {
    loopBand.style.left = xOf(loopFrom) - PAD + "px";
    loopBand.style.width = Math.max(2, xOf(loopTo) - xOf(loopFrom)) + "px";
  }

  function overlaps(a, b, gap) {
    return a.left < b.right + gap && b.left < a.right + gap;
  }

  function within(x, box, gap) {
    return x > box.left - gap && x < box.right + gap;
  }

  // Rows of labels under the scale, nearest row first; each label hangs from a leader line at its tick. A label
  // goes in the nearest row where it overlaps no label and neither crosses another label's leader nor has its
  // own leader crossed (right of its tick, or left of it near the right edge); failing that, the nearest row
  // where it overlaps nothing (the leader then runs behind a label's opaque box).
  function placeLabels(items, full) {
    var placed = [];
    var order = items.slice().sort(function (a, b) {
      return b.x - a.x;
    });
    order.forEach(function (item) {
      var spans = [];
      if (item.x + item.w <= full) {
        spans.push({ left: item.x, right: item.x + item.w, side: "left" });
      }
      if (item.x - item.w >= 0) {
        spans.push({ left: item.x - item.w, right: item.x, side: "right" });
      }
      if (!spans.length) {
        var left = Math.max(0, Math.min(full - item.w, item.x - item.w / 2));
        spans.push({ left: left, right: left + item.w, side: "left" });
      }
      var choice = null;
      var fallback = null;
      for (var row = 0; row <= placed.length && choice === null; row += 1) {
        for (var s = 0; s < spans.length && choice === null; s += 1) {
          var span = spans[s];
          var free = placed.every(function (other) {
            return other.row !== row || !overlaps(span, other, LABEL_GAP);
          });
          if (!free) {
            continue;
          }
          if (fallback === null) {
            fallback = { span: span, row: row };
          }
          var clear = placed.every(function (other) {
            if (other.row < row && within(item.x, other, LEADER_GAP)) {
              return false; // my leader would cross it
            }
            return !(other.row > row && within(other.x, span, LEADER_GAP)); // its leader would cross me
          });
          if (clear) {
            choice = { span: span, row: row };
          }
        }
      }
      choice = choice || fallback;
      placed.push({
        item: item,
        x: item.x,
        row: choice.row,
        left: choice.span.left,
        right: choice.span.right,
        side: choice.span.side,
      });
    });
    return placed;
  }

  function drawYears(full) {
    years.textContent = "";
    Array.prototype.forEach.call(scale.querySelectorAll(".km-tl-year-tick"), function (tick) {
      tick.remove();
    });
    var startYear = new Date(first * DAY_MS).getUTCFullYear();
    var endYear = new Date(last * DAY_MS).getUTCFullYear();
    var marks = [{ day: first, year: startYear, tick: false }];
    for (var year = startYear + 1; year <= endYear; year += 1) {
      marks.push({ day: Math.round(Date.UTC(year, 0, 1) / DAY_MS), year: year, tick: true });
    }
    var shownRight = -Infinity;
    marks.forEach(function (mark) {
      var x = xOf(mark.day);
      if (mark.tick) {
        var tick = document.createElement("div");
        tick.className = "km-tl-year-tick";
        tick.style.left = x + "px";
        scale.insertBefore(tick, track);
      }
      var label = document.createElement("span");
      label.className = "km-tl-year";
      label.textContent = String(mark.year);
      years.appendChild(label);
      var w = label.offsetWidth;
      var left = mark.tick ? x + 3 : Math.max(0, x - PAD);
      if (left + w > full) {
        left = x - 3 - w; // right of the last year tick there is no room: left of it
      }
      if (left < shownRight + 8 || left < 0) {
        label.remove(); // thinned: the year would touch the one before
        return;
      }
      label.style.left = left + "px";
      shownRight = left + w;
    });
  }

  // A wrapped label's box is as wide as its max-width; its lines are often narrower. The box is fitted to them,
  // so that the labels beside it can come closer.
  function tightWidth(button) {
    var range = document.createRange();
    range.selectNodeContents(button);
    var text = range.getBoundingClientRect().width;
    var style = window.getComputedStyle(button);
    var frame = ["paddingLeft", "paddingRight", "borderLeftWidth", "borderRightWidth"].reduce(function (sum, name) {
      return sum + (parseFloat(style[name]) || 0);
    }, 0);
    return Math.min(Math.ceil(button.getBoundingClientRect().width), Math.ceil(text + frame) + 1);
  }

  function drawKeyDates(full) {
    labels.textContent = "";
    Array.prototype.forEach.call(scale.querySelectorAll(".km-tl-kd-tick"), function (tick) {
      tick.remove();
    });
    var maxWidth = Math.max(60, Math.min(MAX_LABEL_PX, Math.floor(full / 3)));
    var items = (args.key_dates || []).map(function (entry) {
      var value = parseIso(entry.date);
      var x = xOf(value);
      var tick = document.createElement("div");
      tick.className = "km-tl-kd-tick";
      tick.style.left = x + "px";
      scale.appendChild(tick);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "km-tl-label";
      button.title = args.texts.pick.replace("{date}", longDate(value));
      var when = document.createElement("span");
      when.className = "km-tl-label-date";
      when.textContent = longDate(value);
      button.appendChild(when);
      button.appendChild(document.createTextNode(entry.label));
      button.dataset.date = entry.date;
      button.style.maxWidth = maxWidth + "px";
      button.addEventListener("click", function () {
        stop();
        pick(value, false);
      });
      labels.appendChild(button);
      return { x: x, w: tightWidth(button), button: button };
    });
    var rowHeight = 0;
    items.forEach(function (item) {
      rowHeight = Math.max(rowHeight, Math.ceil(item.button.getBoundingClientRect().height));
    });
    rowHeight += 6;
    var rows = 0;
    placeLabels(items, full).forEach(function (place) {
      var button = place.item.button;
      var top = place.row * rowHeight + 4;
      button.style.left = place.left + "px";
      button.style.width = place.right - place.left + "px";
      button.style.top = top + "px";
      button.classList.toggle("km-tl-right", place.side === "right");
      var leader = document.createElement("div");
      leader.className = "km-tl-leader";
      leader.style.left = place.x - 0.5 + "px";
      leader.style.height = top + "px";
      labels.insertBefore(leader, labels.firstChild);
      rows = Math.max(rows, place.row + 1);
    });
    labels.style.height = rows * rowHeight + 4 + "px";
  }

  function layout() {
    if (args === null) {
      return;
    }
    var full = width();
    track.style.left = PAD + "px";
    track.style.width = Math.max(0, full - 2 * PAD) + "px";
    drawYears(full);
    drawKeyDates(full);
    drawLoop();
    drawDate();
    fitFrame();
  }

  // --- input

  function keyStep(event) {
    var week = event.shiftKey ? 7 : 1;
    switch (event.key) {
      case "ArrowLeft":
      case "ArrowDown":
        return day - week;
      case "ArrowRight":
      case "ArrowUp":
        return day + week;
      case "PageUp":
        return addMonths(day, 1);
      case "PageDown":
        return addMonths(day, -1);
      case "Home":
        return first;
      case "End":
        return last;
      default:
        return null;
    }
  }

  scale.addEventListener("keydown", function (event) {
    if (args === null) {
      return;
    }
    var next = keyStep(event);
    if (next !== null) {
      event.preventDefault();
      pick(next, false);
    }
  });

  scale.addEventListener("pointerdown", function (event) {
    if (args === null || event.button !== 0) {
      return;
    }
    dragging = true;
    scale.setPointerCapture(event.pointerId);
    scale.focus();
    pick(dayAt(event.clientX), false);
  });

  scale.addEventListener("pointermove", function (event) {
    if (dragging) {
      pick(dayAt(event.clientX), false);
    }
  });

  function endDrag(event) {
    if (dragging) {
      dragging = false;
      if (scale.hasPointerCapture(event.pointerId)) {
        scale.releasePointerCapture(event.pointerId);
      }
    }
  }

  scale.addEventListener("pointerup", endDrag);
  scale.addEventListener("pointercancel", endDrag);

  playButton.addEventListener("click", function () {
    setPlaying(!playing);
  });

  speedSelect.addEventListener("change", schedule);

  function readLoop() {
    var from = parseIso(fromInput.value);
    var to = parseIso(toInput.value);
    loopFrom = from === null ? first : clamp(from);
    loopTo = to === null ? last : clamp(to);
    if (loopFrom > loopTo) {
      // the visitor moved one end past the other: the other follows
      if (this === fromInput) {
        loopTo = loopFrom;
      } else {
        loopFrom = loopTo;
      }
    }
    fromInput.value = iso(loopFrom);
    toInput.value = iso(loopTo);
    drawLoop();
  }

  fromInput.addEventListener("change", readLoop);
  toInput.addEventListener("change", readLoop);

  // --- rendering

  var setUpKey = "";

  // The texts, the speeds and the loop inputs' bounds; only when they change, so that an open speed list is not
  // rebuilt under the pointer by every render of playback.
  function setUp() {
    var key = JSON.stringify([args.texts, args.speeds, args.first, args.last]);
    if (key === setUpKey) {
      return;
    }
    setUpKey = key;
    var texts = args.texts;
    playButton.textContent = playing ? texts.pause : texts.play;
    controls.setAttribute("aria-label", texts.controls);
    labels.setAttribute("aria-label", texts.key_dates);
    scale.setAttribute("aria-label", texts.scale);
    document.getElementById("km-tl-speed-label").textContent = texts.speed;
    document.getElementById("km-tl-from-label").textContent = texts.loop_from;
    document.getElementById("km-tl-to-label").textContent = texts.loop_to;
    var chosen = speedSelect.value || String(args.speeds[Math.min(1, args.speeds.length - 1)]);
    speedSelect.textContent = "";
    args.speeds.forEach(function (value) {
      var option = document.createElement("option");
      option.value = String(value);
      option.textContent = texts.speeds[String(value)];
      speedSelect.appendChild(option);
    });
    speedSelect.value = chosen;
    // As wide as the longest date, so that the row does not wrap anew (moving the scale under a dragging pointer)
    // when a longer date is shown.
    var longest = (args.long_dates || []).reduce(function (a, b) {
      return b.length > a.length ? b : a;
    }, "");
    current.style.minWidth = "";
    current.textContent = longest;
    current.style.minWidth = Math.ceil(current.getBoundingClientRect().width) + 2 + "px";
    [fromInput, toInput].forEach(function (input) {
      input.min = iso(first);
      input.max = iso(last);
    });
  }

  function onRender(newArgs) {
    var firstRender = args === null;
    var rangeChanged = firstRender || newArgs.first !== args.first || newArgs.last !== args.last;
    args = newArgs;
    first = parseIso(args.first);
    last = parseIso(args.last);
    var serverDay = parseIso(args.date);
    if (firstRender) {
      seq = Number(args.seq) || 0;
    }
    if (rangeChanged) {
      loopFrom = first;
      loopTo = last;
      fromInput.value = iso(first);
      toInput.value = iso(last);
    }
    if (sent !== null && !sent.acked && Number(args.seq) >= sent.seq) {
      sent.acked = true;
      clearTimeout(resendTimer);
      if (playing && serverDay !== sent.day) {
        day = serverDay; // something else moved the date meanwhile: keep it, and stop
        stop();
      }
    }
    if (!awaiting() && pending === null && !dragging) {
      day = serverDay;
    }
    setUp();
    var key = [args.first, args.last, JSON.stringify(args.key_dates), width()].join("|");
    if (key !== layoutKey) {
      layoutKey = key;
      layout();
    } else {
      drawDate();
      fitFrame();
    }
    flush();
    schedule();
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (data && data.type === "streamlit:render") {
      onRender(data.args);
    }
  });

  window.addEventListener("resize", function () {
    layoutKey = "";
    layout();
  });

  watchPage();
  post("streamlit:componentReady", { apiVersion: 1 });
})();
