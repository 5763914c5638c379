// Draws every [data-plotly] chart div once plotly.min.js has loaded (also after
// an htmx swap). The same text is cxplan.deck.charts.layout.CHART_LOADER_JS,
// which a test keeps in step with this file.
(function () {
  function draw(root) {
    if (!window.Plotly) { return; }
    var sel = "[data-plotly]:not([data-drawn])";
    (root || document).querySelectorAll(sel).forEach(function (el) {
      var spec = JSON.parse(el.getAttribute("data-plotly"));
      el.setAttribute("data-drawn", "1");
      window.Plotly.newPlot(el, spec.data, spec.layout, spec.config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
  document.addEventListener("htmx:afterSettle", function (e) { draw(e.target); });
})();
