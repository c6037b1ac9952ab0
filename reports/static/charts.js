/* Draws every chart on the page from its JSON block. The figure data sit in
   <script type="application/json"> so that the page needs no inline script (strict CSP), and the
   shared plotly.js is loaded once from the site's own assets folder: no network is ever used. */
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("[data-figure]").forEach(function (div) {
      var source = document.getElementById(div.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(div, figure.data, figure.layout,
        { displaylogo: false, displayModeBar: false, responsive: true, staticPlot: false });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
