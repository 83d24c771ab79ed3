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
})();
