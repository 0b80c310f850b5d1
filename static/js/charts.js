/* Draw every server-built plotly figure on the page. Figures arrive as JSON in
   <script type="application/json"> blocks, so a strict Content-Security-Policy holds. */
(function () {
  function draw() {
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var src = document.getElementById(el.dataset.figure);
      if (!src || !window.Plotly) return;
      var fig = JSON.parse(src.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, {responsive: true, displaylogo: false});
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
