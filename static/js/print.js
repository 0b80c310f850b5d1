/* Buttons marked data-print print the page (a facilitator's paper agenda); no inline script under the CSP. */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
