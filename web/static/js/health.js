// Health page: one chart per measurement name, drawn from the JSON block the server embedded (no fetches):
// a line per (version, environment) over its min-max band, and dashed training reference lines. Also shows
// only the monitor editor's fields that the chosen rule kind uses (all are shown without JavaScript).
(function () {
  'use strict';

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function card(container, chart, i) {
    var el = document.createElement('div');
    el.className = 'chart-card';
    var h = document.createElement('h3');
    h.id = 'health-chart-title-' + i;
    h.textContent = chart.name;
    var plot = document.createElement('div');
    plot.className = 'chart';
    plot.setAttribute('role', 'img');
    plot.setAttribute('aria-labelledby', h.id);
    plot.setAttribute('data-measurement', chart.name);
    var status = document.createElement('p');
    status.className = 'chart-status';
    el.appendChild(h);
    el.appendChild(plot);
    el.appendChild(status);
    container.appendChild(el);
    return {plot: plot, status: status};
  }

  function draw(chart, where) {
    var tables = chart.lines.map(function (l) {
      return [l.x.map(function (x) { return x / 1000; }), l.last, l.min, l.max];
    });
    var data = uPlot.join(tables.length ? tables : [[[], [], [], []]]);
    var series = [{label: 'time'}];
    var bands = [];
    chart.lines.forEach(function (l, i) {
      var c = CairnCharts.color(i);
      var base = series.length;
      series.push({label: l.label, stroke: c, width: 1.5, spanGaps: true});
      series.push({label: l.label + ' min', stroke: alpha(c, 0.35), width: 0.5, spanGaps: true, points: {show: false}});
      series.push({label: l.label + ' max', stroke: alpha(c, 0.35), width: 0.5, spanGaps: true, points: {show: false}});
      bands.push({series: [base + 2, base + 1], fill: alpha(c, 0.12)});
    });
    // A reference is a constant series over the joined x values: uPlot then scales the y axis to include it.
    chart.references.forEach(function (r, i) {
      data.push(data[0].map(function () { return r.value; }));
      series.push({label: r.label, stroke: CairnCharts.color(chart.lines.length + i), width: 1.5, dash: [6, 4],
        points: {show: false}});
    });
    var opts = {
      width: where.plot.clientWidth || 600,
      height: 240,
      scales: {x: {time: true, range: [chart.from / 1000, chart.to / 1000]}},
      series: series,
      bands: bands,
      axes: [{}, {size: 60}],
      legend: {show: true}
    };
    var u = new uPlot(opts, data, where.plot);
    var points = chart.lines.reduce(function (n, l) { return n + l.x.length; }, 0);
    where.plot.setAttribute('data-lines', String(chart.lines.length));
    where.plot.setAttribute('data-references', String(chart.references.length));
    where.status.textContent = chart.lines.length + ' series, ' + points + ' buckets' + (chart.references.length ? ', ' + chart.references.length + ' training reference' : '');
    return u;
  }

  function charts() {
    var container = document.getElementById('health-charts');
    var data = CairnCharts.readJson('health-data');
    if (!container || !data) { return; }
    var plots = data.map(function (c, i) {
      var where = card(container, c, i);
      return {u: draw(c, where), el: where.plot};
    });
    var timer = null;
    window.addEventListener('resize', function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        plots.forEach(function (p) { p.u.setSize({width: p.el.clientWidth || 600, height: 240}); });
      }, 150);
    });
  }

  function editor() {
    var form = document.getElementById('monitor-form');
    if (!form) { return; }
    var kind = document.getElementById('mf-kind');
    var target = document.getElementById('mf-target-kind');
    function sync() {
      form.querySelectorAll('[data-kinds]').forEach(function (f) {
        f.hidden = f.getAttribute('data-kinds').split(' ').indexOf(kind.value) < 0;
      });
      form.querySelectorAll('[data-target]').forEach(function (f) {
        f.hidden = f.getAttribute('data-target') !== target.value;
      });
    }
    kind.addEventListener('change', sync);
    target.addEventListener('change', sync);
    sync();
  }

  charts();
  editor();
})();
