// A last "are you sure?" before forms that act at once (emergency broadcast). The server still requires
// the confirmation checkbox, so this dialog is a second guard, not the only one.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-confirm]");
  Array.prototype.forEach.call(forms, function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
