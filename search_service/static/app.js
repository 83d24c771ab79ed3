// A few lines of the app's own: progressive enhancement only (every page works without them).
(function () {
  "use strict";
  // Keep the phone's "Filters" disclosure as the reader left it when htmx swaps the results
  // region (the new region's disclosure would otherwise start closed after every click).
  var filtersOpen = false;
  document.addEventListener("htmx:beforeSwap", function () {
    var filters = document.getElementById("filters");
    filtersOpen = Boolean(filters && filters.open);
  });
  document.addEventListener("htmx:afterSwap", function () {
    var filters = document.getElementById("filters");
    if (filters && filtersOpen) { filters.open = true; }
  });

  // A year chart: press on one bar, release on another, and the search asks for that range
  // (the same URL the chart's two year inputs give). A plain click still selects one year.
  var start = null;
  function barOf(event) {
    var bar = event.target.closest ? event.target.closest(".year-chart a.bar[data-year]") : null;
    return bar && bar.closest(".year-chart") ? bar : null;
  }
  document.addEventListener("pointerdown", function (event) {
    var bar = barOf(event);
    start = bar ? { bar: bar, chart: bar.closest(".year-chart") } : null;
    if (start) { start.bar.classList.add("drag-pick"); }
  });
  document.addEventListener("dragstart", function (event) {
    if (barOf(event)) { event.preventDefault(); }  // links would start a native drag
  });
  document.addEventListener("pointerup", function (event) {
    var bar = barOf(event);
    var begun = start;
    start = null;
    if (begun) { begun.bar.classList.remove("drag-pick"); }
    if (!begun || !bar || bar === begun.bar || bar.closest(".year-chart") !== begun.chart) { return; }
    event.preventDefault();
    var a = Number(begun.bar.dataset.year), b = Number(bar.dataset.year);
    var chart = begun.chart, url = new URL(chart.dataset.rangeUrl, window.location.href);
    url.searchParams.set(chart.dataset.fromParam, String(Math.min(a, b)));
    url.searchParams.set(chart.dataset.toParam, String(Math.max(a, b)));
    var target = document.getElementById("search-region");
    if (window.htmx && target) {
      window.htmx.ajax("GET", url.pathname + url.search, { target: target, source: chart }).then(function () {
        window.history.pushState({}, "", url.pathname + url.search);
      });
    } else {
      window.location.assign(url.href);
    }
  });
})();
