/* Progressive enhancements; every page works without this file. */
(function () {
  "use strict";
  // Warn before leaving a form with changes that were not saved.
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    // Shown again with errors, the form holds typed input the server has not saved (unless it keeps
    // it as a draft, as declaration sections do): leaving then warns too.
    var dirty = !form.hasAttribute("data-kept-as-draft") &&
      form.querySelector(".is-invalid, .errorlist, .invalid-feedback") !== null;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
