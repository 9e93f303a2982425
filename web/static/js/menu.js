// Phone menu: on a narrow screen the long navigation folds behind one button. Without this script the
// navigation simply stays open (the button is hidden by default), so nothing depends on JavaScript.
(function () {
  "use strict";
  var button = document.getElementById("menu-toggle");
  var nav = document.getElementById("main-nav");
  if (!button || !nav) { return; }
  button.hidden = false;
  document.documentElement.classList.add("js-menu");
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
