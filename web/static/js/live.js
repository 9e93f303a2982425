// Live loudspeaker status: listens to /live/stream (Server-Sent Events) and copies the server's already
// formatted, already translated text into the page. The page is complete without it; this only keeps it
// fresh. EventSource reconnects by itself when the server closes the stream (every 10 minutes).
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.EventSource) { return; }
  var bulletinUrl = root.getAttribute("data-bulletin-url") || "";
  var dots = document.querySelectorAll(".live-dot");
  // A connected loudspeaker that is on air says "playing" (the server's word, from data-playing-label).
  var playingLabel = root.getAttribute("data-playing-label") || "";
  var connected = {};  // node id -> {online, text} from its last "node" event
  var onAir = {};      // node id -> true while it plays

  function showStatus(scope, id) {
    var status = field(scope, "status");
    var state = connected[id];
    if (!status || !state) { return; }
    var playing = state.online && onAir[id] && playingLabel;
    status.textContent = playing ? playingLabel : state.text;
    status.classList.toggle("ok", state.online);
    status.classList.toggle("bad", !state.online);
    status.classList.toggle("playing", !!playing);
  }

  function setDots(on) {
    Array.prototype.forEach.call(dots, function (d) { d.hidden = !on; });
  }
  function field(scope, name) { return scope.querySelector('[data-field="' + name + '"]'); }
  function setText(scope, name, text) {
    var el = field(scope, name);
    if (el && text !== undefined && text !== null) { el.textContent = text; }
  }
  function linkTo(id, title) {
    var a = document.createElement("a");
    a.href = bulletinUrl.replace(/0$/, String(id));
    a.textContent = title;
    return a;
  }

  function onNode(event) {
    var n = JSON.parse(event.data);
    var scopes = document.querySelectorAll('[data-node-id="' + n.id + '"]');
    connected[n.id] = {online: n.online, text: n.status};
    Array.prototype.forEach.call(scopes, function (scope) {
      showStatus(scope, n.id);
      ["since", "last_seen", "heartbeat", "volume", "clock_offset", "outbox", "version", "cache_text"]
        .forEach(function (name) { setText(scope, name, n[name]); });
      var clock = field(scope, "clock_offset");
      if (clock) { clock.classList.toggle("warn", n.clock_warn); }
      var warn = field(scope, "clock_warn");
      if (warn) { warn.hidden = !n.clock_warn; }
      var bar = field(scope, "cache_bar");
      if (bar && n.cache_pct !== null) { bar.style.width = n.cache_pct + "%"; }
      // Telemetry: each fact on the loudspeaker's page, the summary on the list; warnings keep their colour.
      (n.facts || []).forEach(function (f) {
        var el = field(scope, f.field);
        if (el) { el.textContent = f.text; el.classList.toggle("warn-text", f.warn); }
      });
      var device = field(scope, "device");
      if (device && n.device !== undefined) {
        device.textContent = n.device;
        device.classList.toggle("warn-text", !!n.device_warn);
      }
    });
  }

  function onPlaying(event) {
    var items = JSON.parse(event.data);
    var list = document.querySelector('#now-playing [data-field="playing"]');
    if (list) {
      list.textContent = "";
      items.forEach(function (p) {
        var li = document.createElement("li");
        li.className = "priority-" + p.priority;
        li.appendChild(document.createTextNode(p.node + ": "));
        li.appendChild(linkTo(p.bulletin_id, p.title));
        list.appendChild(li);
      });
      if (!items.length) {
        var empty = document.createElement("li");
        empty.className = "hint";
        empty.textContent = document.getElementById("now-playing").getAttribute("data-empty");
        list.appendChild(empty);
      }
    }
    onAir = {};
    items.forEach(function (p) { onAir[p.node_id] = true; });
    var nodeScopes = document.querySelectorAll("[data-node-id]");
    Array.prototype.forEach.call(nodeScopes, function (scope) {
      showStatus(scope, scope.getAttribute("data-node-id"));
      var current = field(scope, "current");
      if (!current) { return; }
      var id = scope.getAttribute("data-node-id");
      var playing = items.filter(function (p) { return p.node_id === id; })[0];
      current.textContent = playing ? "" : "—";
      if (playing) { current.appendChild(linkTo(playing.bulletin_id, playing.title)); }
    });
  }

  var source = new EventSource(root.getAttribute("data-live-url"));
  source.addEventListener("open", function () { setDots(true); });
  source.addEventListener("error", function () { setDots(false); });
  source.addEventListener("node", onNode);
  source.addEventListener("playing", onPlaying);
  window.radioLive = source;  // lets a test (or a curious technician) see the connection state
})();
