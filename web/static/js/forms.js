// Impatience guard: once a form is sent, its submit buttons are disabled so a second click does not send it
// again (the server also refuses a repeated form key: web/forms_once.py). Runs after confirm.js, at the
// document, so a submission cancelled in the "are you sure?" dialog leaves the buttons usable.
(function () {
  "use strict";
  var LABEL_BUSY = document.documentElement.lang === "en" ? "Sending…" : "Đang gửi…";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) { return; }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") { return; }
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    // Disabled after this turn of the event loop: a disabled button's name/value (e.g. "decision") would
    // otherwise be missing from what is sent.
    window.setTimeout(function () {
      Array.prototype.forEach.call(buttons, function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
        b.dataset.label = b.textContent;
        if (b.tagName === "BUTTON") { b.textContent = LABEL_BUSY; }
      });
    }, 0);
  });
  // Back to a page kept in the browser's memory: the buttons must work again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[aria-busy=true]"), function (b) {
      b.disabled = false;
      b.removeAttribute("aria-busy");
      if (b.dataset.label) { b.textContent = b.dataset.label; }
    });
  });
})();
