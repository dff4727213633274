// Metric charts for the run and compare pages (uPlot). Data comes from the downsampling API:
// GET /api/v1/metrics/downsampled?key=..&run_id=..&x=step|time|relative&buckets=..&from=..&to=..
// Each run is drawn as its per-bucket last value (optionally EMA-smoothed) over a min-max band, so
// spikes stay visible. Dragging zooms and reloads the visible range at full resolution;
// double-click resets. No inline script anywhere: configuration arrives in JSON blocks.
(function () {
  'use strict';

  var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
                 '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#7f7f7f'];

  function color(i) { return PALETTE[i % PALETTE.length]; }

  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((n >> 16) & 255) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  /** Fetches one metric of several runs; from/to are in the axis' API units (steps or milliseconds). */
  function fetchSeries(key, runIds, x, buckets, from, to) {
    var q = new URLSearchParams();
    q.set('key', key);
    runIds.forEach(function (id) { q.append('run_id', id); });
    q.set('x', x);
    q.set('buckets', String(buckets));
    if (from != null) { q.set('from', String(from)); }
    if (to != null) { q.set('to', String(to)); }
    return fetch('/api/v1/metrics/downsampled?' + q.toString(), {headers: {'Accept': 'application/json'}})
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body && body.message ? body.message : 'HTTP ' + r.status); }
          return body;
        });
      });
  }

  /** TensorBoard-style exponential moving average with bias correction; nulls pass through. */
  function ema(values, weight) {
    if (!weight) { return values; }
    var out = new Array(values.length);
    var last = 0;
    var n = 0;
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (v == null) { out[i] = null; continue; }
      last = last * weight + (1 - weight) * v;
      n++;
      out[i] = last / (1 - Math.pow(weight, n));
    }
    return out;
  }

  /** API x values to what the axis shows: seconds for the time axes (uPlot's time unit), steps as they are. */
  function toAxis(x, mode) { return mode === 'step' ? x : x / 1000; }
  function fromAxis(v, mode, up) {
    var raw = mode === 'step' ? v : v * 1000;
    return up ? Math.ceil(raw) : Math.floor(raw);
  }

  /**
   * A chart card for one metric key over the given runs.
   * options(): {x: 'step'|'time'|'relative', smooth: 0..0.99, log: bool}
   */
  function MetricChart(card, key, runs, options, settings) {
    this.card = card;
    this.key = key;
    this.runs = runs;
    this.options = options;
    this.settings = settings || {};
    this.plotEl = card.querySelector('.chart');
    this.statusEl = card.querySelector('.chart-status');
    this.plot = null;
    this.raw = null;      // last API response
    this.zoom = null;     // {from, to} in API units, or null
    this.loading = 0;
  }

  MetricChart.prototype.status = function (text) { this.statusEl.textContent = text; };

  MetricChart.prototype.buckets = function () {
    var w = this.plotEl.clientWidth || 600;
    return Math.max(100, Math.min(1000, Math.round(w)));
  };

  MetricChart.prototype.load = function () {
    var self = this;
    var opts = this.options();
    var ticket = ++this.loading;
    this.status('Loading…');
    var from = this.zoom ? this.zoom.from : null;
    var to = this.zoom ? this.zoom.to : null;
    // One request per run, in parallel: the server works on several series at once and the
    // browser combines them (the API also takes many run ids in one request).
    var key = this.key;
    var buckets = this.buckets();
    return Promise.all(this.runs.map(function (r) { return fetchSeries(key, [r.id], opts.x, buckets, from, to); }))
      .then(function (bodies) {
        return {key: key, x: bodies[0].x, series: bodies.map(function (b) { return b.series[0]; })};
      })
      .then(function (body) {
        if (ticket !== self.loading) { return; } // a newer request superseded this one
        self.raw = body;
        self.render();
      })
      .catch(function (e) {
        if (ticket === self.loading) { self.status('Could not load the data: ' + e.message); }
      });
  };

  /** Builds uPlot data from the last response: per run [last(smoothed), min, max] aligned on one x array. */
  MetricChart.prototype.data = function () {
    var opts = this.options();
    var mode = this.raw.x;
    var tables = [];
    var points = 0;
    var nonFinite = 0;
    var buckets = 0;
    var log = opts.log;
    function clean(arr) {
      return arr.map(function (v) { return v == null || (log && v <= 0) ? null : v; });
    }
    this.raw.series.forEach(function (s) {
      points += s.points;
      nonFinite += s.nonFinite;
      buckets += s.x.length;
      var xs = s.x.map(function (v) { return toAxis(v, mode); });
      tables.push([xs, clean(ema(s.last, opts.smooth)), clean(s.min), clean(s.max)]);
    });
    return {tables: tables, points: points, nonFinite: nonFinite, buckets: buckets};
  };

  MetricChart.prototype.render = function () {
    var self = this;
    var opts = this.options();
    var built = this.data();
    var nonEmpty = built.tables.filter(function (t) { return t[0].length > 0; });
    if (this.plot) { this.plot.destroy(); this.plot = null; }
    this.plotEl.textContent = '';
    if (nonEmpty.length === 0) {
      this.status(this.zoom ? 'No points in this range (double-click the chart area to reset).' : 'No data.');
      if (!this.zoom) { return; }
    }
    var data = uPlot.join(built.tables.length ? built.tables : [[[], [], [], []]]);
    var series = [{label: this.raw.x === 'step' ? 'step' : this.raw.x === 'time' ? 'time' : 'seconds'}];
    var bands = [];
    this.runs.forEach(function (r, i) {
      var c = color(r.color != null ? r.color : i);
      var base = series.length;
      series.push({label: r.name, stroke: c, width: 1.5, spanGaps: true}); // uPlot draws points when sparse
      series.push({label: r.name + ' min', stroke: alpha(c, 0.35), width: 0.5, spanGaps: true, points: {show: false}});
      series.push({label: r.name + ' max', stroke: alpha(c, 0.35), width: 0.5, spanGaps: true, points: {show: false}});
      bands.push({series: [base + 2, base + 1], fill: alpha(c, 0.12)});
    });
    var mode = this.raw.x;
    var width = this.plotEl.clientWidth || 600;
    var plotOpts = {
      width: width,
      height: 240,
      scales: {x: {time: mode === 'time'}, y: {distr: opts.log ? 3 : 1}},
      series: series,
      bands: bands,
      axes: [{label: mode === 'relative' ? 'seconds since first point' : mode === 'step' ? 'step' : ''}, {size: 60}],
      legend: {show: !!this.settings.legend},
      cursor: {drag: {x: true, y: false, setScale: true}, bind: {dblclick: function () {
        return function () { self.resetZoom(); return null; };
      }}},
      hooks: {setSelect: [function (u) {
        if (u.select.width < 3) { return; }
        var lo = u.posToVal(u.select.left, 'x');
        var hi = u.posToVal(u.select.left + u.select.width, 'x');
        self.zoom = {from: fromAxis(lo, mode, false), to: fromAxis(hi, mode, true)};
        self.load();
      }]}
    };
    this.plot = new uPlot(plotOpts, data, this.plotEl);
    if (this.zoom) {
      this.plot.setScale('x', {min: toAxis(this.zoom.from, mode), max: toAxis(this.zoom.to, mode)});
    }
    var text = built.points.toLocaleString() + ' points' + (this.runs.length > 1 ? ' (' + this.runs.length + ' runs)' : '')
      + ', ' + built.buckets.toLocaleString() + ' buckets drawn';
    if (built.nonFinite) { text += '; ' + built.nonFinite.toLocaleString() + ' NaN/Infinity values left out'; }
    if (this.zoom) { text += ' (zoomed; double-click to reset)'; }
    if (nonEmpty.length) { this.status(text); }
    this.plotEl.setAttribute('data-points', String(built.points));
  };

  MetricChart.prototype.resetZoom = function () {
    this.zoom = null;
    this.load();
  };

  MetricChart.prototype.resize = function () {
    if (this.plot) { this.plot.setSize({width: this.plotEl.clientWidth || 600, height: 240}); }
  };

  /** Shared chart controls (x axis, smoothing, log scale) wired to every chart of the page. */
  function controls(onChange) {
    var box = document.getElementById('chart-controls');
    if (!box) { return function () { return {x: 'step', smooth: 0, log: false}; }; }
    box.hidden = false;
    var x = document.getElementById('chart-x');
    var smooth = document.getElementById('chart-smooth');
    var smoothOut = document.getElementById('chart-smooth-value');
    var log = document.getElementById('chart-log');
    function read() { return {x: x.value, smooth: parseFloat(smooth.value) || 0, log: log.checked}; }
    x.addEventListener('change', function () { onChange('x'); });
    smooth.addEventListener('input', function () { smoothOut.textContent = smooth.value; onChange('smooth'); });
    log.addEventListener('change', function () { onChange('log'); });
    return read;
  }

  /**
   * Creates one card per key in the container (more can be added later); charts load when they scroll
   * into view. Returns {charts, add(key), keys()}.
   */
  function metricCharts(container, keys, runs, settings) {
    var charts = [];
    var read = controls(function (what) {
      charts.forEach(function (c) {
        if (what === 'x') { c.zoom = null; if (c.raw || c.requested) { c.load(); } }
        else if (c.raw) { c.render(); }
      });
    });
    var observer = null;
    function start(chart) {
      if (!chart.requested) { chart.requested = true; chart.load(); }
    }
    if ('IntersectionObserver' in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          if (e.isIntersecting) {
            charts.forEach(function (c) { if (c.card === e.target) { start(c); observer.unobserve(e.target); } });
          }
        });
      }, {rootMargin: '200px'});
    }
    function add(key) {
      var i = charts.length;
      var card = document.createElement('div');
      card.className = 'chart-card';
      var h = document.createElement('h3');
      h.id = 'chart-title-' + i;
      h.textContent = key;
      var plot = document.createElement('div');
      plot.className = 'chart';
      plot.setAttribute('role', 'img');
      plot.setAttribute('aria-labelledby', h.id);
      var status = document.createElement('p');
      status.className = 'chart-status';
      status.setAttribute('aria-live', 'polite');
      card.appendChild(h);
      card.appendChild(plot);
      card.appendChild(status);
      container.appendChild(card);
      var chart = new MetricChart(card, key, runs, read, settings);
      charts.push(chart);
      if (observer) { observer.observe(card); } else { start(chart); }
      return chart;
    }
    keys.forEach(add);
    var resizeTimer = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
    return {charts: charts, add: add, keys: function () { return charts.map(function (c) { return c.key; }); }};
  }

  window.CairnCharts = {palette: PALETTE, color: color, readJson: readJson, fetchSeries: fetchSeries, ema: ema,
    metricCharts: metricCharts};
})();
