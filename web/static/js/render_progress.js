// "Tạo âm thanh" runs in the background (web/render_worker.py): poll its progress once a second and reload
// the editor with the result when it ends. Without JavaScript the page offers a reload link instead.
(function () {
  "use strict";
  var box = document.getElementById("render-progress");
  if (!box) { return; }
  var bar = document.getElementById("render-bar");
  var label = document.getElementById("render-label");
  var url = box.getAttribute("data-status-url");
  var polls = 0;
  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        label.textContent = p.label;
        if (p.finished) { window.location.assign(p.done_url); }
        else if (polls < 600) { window.setTimeout(poll, 1000); }
      })
      .catch(function () { if (polls < 600) { window.setTimeout(poll, 3000); } });
  }
  window.setTimeout(poll, 500);
})();
