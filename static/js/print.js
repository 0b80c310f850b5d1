/* Buttons marked data-print print the page (a logic model, a facilitator's paper agenda).
   One listener on the document, no inline handlers, so a strict Content-Security-Policy holds. */
(function () {
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
