/* Cycles pages: a print button (no inline handlers, so a strict Content-Security-Policy holds). */
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) window.print();
  });
})();
