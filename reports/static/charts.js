/* Draws every chart on the page from its JSON block. The figure data sit in
   <script type="application/json"> so that the page needs no inline script (strict CSP), and the
   shared plotly.js is loaded once from the site's own assets folder: no network is ever used.

   Breakdown selection (indicator pages): a chart whose JSON holds "views" ([{key, label, data,
   layout}], the first view being the figure itself) has a <select data-view-select="<chart id>">,
   drawn hidden and shown here. Choosing a view redraws the chart from that view's data and shows
   only the table <div data-view-table="<chart id>" data-view="<key>"> of the same key; without
   script every view's table stays visible. The chart's aria-label names the view shown.

   Cite this figure: <span data-cite-url> holds the page's site-relative path; it is replaced by the
   address the reader has open, which the static page cannot know. */
(function () {
  "use strict";
  var CONFIG = { displaylogo: false, displayModeBar: false, responsive: true, staticPlot: false };

  function figureOf(div) {
    var source = document.getElementById(div.getAttribute("data-figure"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function viewOf(figure, key) {
    var views = figure.views || [];
    for (var i = 0; i < views.length; i += 1) {
      if (views[i].key === key) {
        return { data: views[i].data || figure.data, layout: views[i].layout || figure.layout,
                 label: views[i].label };
      }
    }
    return { data: figure.data, layout: figure.layout, label: null };
  }

  function showTables(chartId, key) {
    document.querySelectorAll("[data-view-table]").forEach(function (box) {
      if (box.getAttribute("data-view-table") === chartId) {
        box.hidden = box.getAttribute("data-view") !== key;
      }
    });
  }

  function wireSelect(select) {
    var chartId = select.getAttribute("data-view-select");
    var div = document.getElementById(chartId);
    if (!div) { return; }
    var figure = figureOf(div);
    if (!figure) { return; }
    var baseLabel = div.getAttribute("aria-label") || "";
    function apply() {
      var view = viewOf(figure, select.value);
      if (typeof Plotly !== "undefined") { Plotly.react(div, view.data, view.layout, CONFIG); }
      div.setAttribute("aria-label", view.label ? baseLabel + " – " + view.label : baseLabel);
      div.setAttribute("data-view-current", select.value);
      showTables(chartId, select.value);
    }
    select.addEventListener("change", apply);
    var control = document.querySelector('[data-view-control="' + chartId + '"]');
    if (control) { control.hidden = false; }
    showTables(chartId, select.value);
    div.setAttribute("data-view-current", select.value);
  }

  function draw() {
    if (typeof Plotly !== "undefined") {
      document.querySelectorAll("[data-figure]").forEach(function (div) {
        var figure = figureOf(div);
        if (figure) { Plotly.newPlot(div, figure.data, figure.layout, CONFIG); }
      });
    }
    document.querySelectorAll("select[data-view-select]").forEach(wireSelect);
    document.querySelectorAll("[data-cite-url]").forEach(function (span) {
      if (/^https?:$/.test(window.location.protocol)) {
        span.textContent = window.location.href.split("#")[0];
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
