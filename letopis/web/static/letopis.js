// letopis: the small script of the web page. Everything works without it; it adds
// layer switches on the article page, linked highlighting of a quote's pieces, and a
// "processing" state on the paste form. No inline script anywhere (CSP: script-src 'self').
(function () {
  "use strict";

  function layerSwitches() {
    var text = document.getElementById("article-text");
    if (!text) return;
    document.querySelectorAll(".layers input[data-layer]").forEach(function (box) {
      box.addEventListener("change", function () {
        text.classList.toggle("hide-" + box.dataset.layer, !box.checked);
      });
    });
  }

  function quoteHover() {
    var text = document.getElementById("article-text");
    if (!text) return;
    function mark(id, on) {
      document.querySelectorAll('[data-quote="' + CSS.escape(id) + '"]').forEach(function (el) {
        el.classList.toggle("active", on);
      });
    }
    document.addEventListener("mouseover", function (event) {
      var el = event.target.closest && event.target.closest("[data-quote]");
      if (el) mark(el.dataset.quote, true);
    });
    document.addEventListener("mouseout", function (event) {
      var el = event.target.closest && event.target.closest("[data-quote]");
      if (el) mark(el.dataset.quote, false);
    });
  }

  function pasteBusy() {
    var form = document.getElementById("paste-form");
    if (!form) return;
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      var busy = form.querySelector(".busy");
      if (button) button.disabled = true;
      if (busy) busy.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    layerSwitches();
    quoteHover();
    pasteBusy();
  });
})();
