// A last "are you sure?" before forms marked data-confirm="question" (emergency broadcast, stop, cancel,
// delete). Loaded on every page (base.html): the Content-Security-Policy allows no onsubmit attributes.
// The server still requires the emergency confirmation checkbox: this dialog is a second guard only.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-confirm]");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
