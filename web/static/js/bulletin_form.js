// Only hides what does not apply; the server checks everything again and never relies on this.
(function () {
  "use strict";
  var form = document.getElementById("bulletin-form");
  if (!form) { return; }
  function checked(name) { var el = form.querySelector('input[name="' + name + '"]:checked'); return el ? el.value : ""; }
  function show(id, on) { document.getElementById(id).hidden = !on; }
  function update() {
    var emergency = checked("priority") === "emergency";
    var inProgramme = !emergency && checked("placement") === "programme";
    show("emergency-block", emergency);
    show("placement-block", !emergency);
    show("time-block", !inProgramme);
    show("programme-block", inProgramme);
    show("targets-block", !inProgramme);
  }
  form.addEventListener("change", update);
  update();
})();
