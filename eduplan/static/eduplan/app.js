// The pages' only script, loaded from the app itself: the Content-Security-Policy allows no
// inline script or style attribute, so what needed one is done here.
(function () {
  "use strict";

  function ready() {
    // Progress bars: the width comes from data-width (a percentage) instead of a style attribute.
    document.querySelectorAll("[data-width]").forEach(function (element) {
      var width = parseFloat(element.getAttribute("data-width"));
      if (!isNaN(width)) {
        element.style.width = Math.max(0, Math.min(100, width)) + "%";
      }
    });

    // "Select all" on the bulk assignment page.
    var all = document.getElementById("check-all");
    if (all) {
      all.addEventListener("change", function () {
        document.querySelectorAll('input[name="tasks"]').forEach(function (box) { box.checked = all.checked; });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
