// Run page: one chart per metric. While the run is RUNNING, htmx swaps in a fresh live section
// every 5 s; the charts then reload, and metrics that appeared since get a chart of their own.
// Polling stops by itself once the run ends (the new section carries no hx-trigger).
(function () {
  'use strict';
  var config = CairnCharts.readJson('chart-config');
  var container = document.getElementById('charts');
  if (!config || !container) { return; }
  var runs = config.runs.map(function (r, i) { return {id: r.id, name: r.name, color: i}; });
  var set = CairnCharts.metricCharts(container, config.keys, runs, {legend: true});
  document.body.addEventListener('htmx:afterSwap', function (e) {
    if (!e.target || e.target.id !== 'live') { return; }
    set.charts.forEach(function (c) { if (c.requested && !c.zoom) { c.load(); } });
    var known = set.keys();
    document.querySelectorAll('#live tbody th[scope="row"]').forEach(function (th) {
      var key = th.textContent;
      if (known.indexOf(key) < 0) { set.add(key); known.push(key); }
    });
  });
})();
