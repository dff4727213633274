// Run page: one chart per metric, refreshed whenever htmx swaps in a new live section
// (the run is RUNNING; polling stops by itself once it ends).
(function () {
  'use strict';
  var config = CairnCharts.readJson('chart-config');
  var container = document.getElementById('charts');
  if (!config || !container || !config.keys.length) { return; }
  var runs = config.runs.map(function (r, i) { return {id: r.id, name: r.name, color: i}; });
  var charts = CairnCharts.metricCharts(container, config.keys, runs, {legend: true});
  document.body.addEventListener('htmx:afterSwap', function (e) {
    if (e.target && e.target.id === 'live') {
      charts.forEach(function (c) { if (c.requested && !c.zoom) { c.load(); } });
    }
  });
})();
