/* Draw every server-built plotly figure on the page. Figures arrive as JSON in
   <script type="application/json"> blocks, so a strict Content-Security-Policy holds.
   This is the only place that calls plotly, and CONFIG below is the only plotly configuration. */
(function () {
  // Nothing here may send a chart off the site (the charts are classroom survey results):
  // an explicit list of buttons, so a plotly upgrade cannot add one (its default list has
  // "Share chart…", which uploads the figure to plotly's cloud); no cloud address; no logo
  // linking out. tests/pdcycles/test_charts_config.py reads this object: keep it plain JSON.
  var CONFIG = {
    "responsive": true,
    "displaylogo": false,
    "showSendToCloud": false,
    "plotlyServerURL": "",
    "showTips": false,
    "modeBarButtons": [["toImage", "zoomIn2d", "zoomOut2d", "resetScale2d"]]
  };

  function accessible(el) {
    // The container is role="img" with a text alternative until the chart is drawn; once it
    // holds focusable modebar buttons it becomes a labelled figure (an image may not contain
    // controls), and the drawing itself, already described by the label, is hidden from
    // screen readers.
    if (el.getAttribute("role") === "img") el.setAttribute("role", "figure");
    el.querySelectorAll("svg.main-svg").forEach(function (svg) {
      svg.setAttribute("aria-hidden", "true");
    });
    el.dataset.drawn = "true";
  }

  function localise() {
    // The reader's language (base.html writes it on every non-English page): plotly.js's month
    // and weekday names, date orders and button words, registered once.
    var src = document.getElementById("chart-locale");
    if (!src || !window.Plotly || CONFIG.locale) return;
    var locale = JSON.parse(src.textContent);
    window.Plotly.register({moduleType: "locale", name: locale.name, dictionary: locale.dictionary, format: locale.format});
    CONFIG.locale = locale.name;
  }

  function draw() {
    localise();
    document.querySelectorAll("[data-figure]").forEach(function (el) {
      var src = document.getElementById(el.dataset.figure);
      if (!src || !window.Plotly) return;
      var fig = JSON.parse(src.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, CONFIG).then(accessible);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
