// Drop-downs marked data-autosubmit submit their form on change (the calendar's commune picker). A file,
// not an onchange attribute: the Content-Security-Policy allows no inline script. Without JavaScript the
// form's own button still works.
(function () {
  "use strict";
  var fields = document.querySelectorAll("[data-autosubmit]");
  Array.prototype.forEach.call(fields, function (field) {
    field.addEventListener("change", function () { if (field.form) { field.form.submit(); } });
  });
})();
