// Compare page: overlaid metric charts (see charts.js), a parallel-coordinates plot of params
// against a chosen metric, and a scatter plot of any two columns, drawn on canvases from the
// JSON block the server embeds (#compare-data).
(function () {
  'use strict';
  var data = CairnCharts.readJson('compare-data');
  if (!data) { return; }
  var runs = data.runs;

  var chartBox = document.getElementById('charts');
  if (chartBox && data.keys.length) {
    CairnCharts.metricCharts(chartBox, data.keys, runs, {legend: false});
  }

  // ---- shared plotting helpers --------------------------------------------------------------

  /** A column of values per run: params as strings, metrics as numbers (null when missing). */
  function column(id) {
    var kind = id.charAt(0);
    var key = id.slice(2);
    return runs.map(function (r) {
      var values = (kind === 'm' ? data.metrics[r.id] : data.params[r.id]) || {};
      // own keys only: a run without a key named "constructor" must not plot Object.prototype's member
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : null;
    });
  }

  /** Maps a column to [0, 1]: numeric (linear) when every present value parses as a number, else categorical. */
  function scale(values) {
    var present = values.filter(function (v) { return v != null && v !== ''; });
    var numeric = present.length > 0 && present.every(function (v) { return isFinite(Number(v)); });
    if (numeric) {
      var nums = present.map(Number);
      var lo = Math.min.apply(null, nums);
      var hi = Math.max.apply(null, nums);
      return {
        numeric: true, lo: lo, hi: hi,
        pos: function (v) { return v == null || v === '' ? null : hi === lo ? 0.5 : (Number(v) - lo) / (hi - lo); },
        ticks: hi === lo ? [[0.5, fmt(lo)]] : [[0, fmt(lo)], [0.5, fmt((lo + hi) / 2)], [1, fmt(hi)]]
      };
    }
    var cats = Array.from(new Set(present.map(String))).sort();
    return {
      numeric: false,
      pos: function (v) {
        if (v == null || v === '') { return null; }
        return cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1);
      },
      ticks: cats.slice(0, 12).map(function (c, i) { return [cats.length === 1 ? 0.5 : i / (cats.length - 1), c]; })
    };
  }

  function fmt(n) {
    if (Math.abs(n) >= 1e5 || (Math.abs(n) < 1e-3 && n !== 0)) { return n.toExponential(2); }
    return String(Math.round(n * 1e4) / 1e4);
  }

  function clip(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + '…' : s; }

  /** Sizes a canvas to its box at device resolution and returns a 2D context in CSS pixels. */
  function prepare(canvas, height) {
    var width = canvas.parentElement.clientWidth - 2 || 800;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    return {ctx: ctx, width: width, height: height};
  }

  // ---- parallel coordinates -----------------------------------------------------------------

  var parallel = document.getElementById('parallel');
  var parallelMetric = document.getElementById('parallel-metric');

  function drawParallel() {
    var metric = parallelMetric.value;
    // Params that differ come first; at most 12 param axes, then the metric.
    var keys = data.paramKeys.slice().sort(function (a, b) {
      return distinct(column('p:' + b)) - distinct(column('p:' + a));
    }).slice(0, 12);
    var ids = keys.map(function (k) { return 'p:' + k; }).concat(['m:' + metric]);
    var labels = keys.concat([metric]);
    var c = prepare(parallel, 380);
    var ctx = c.ctx;
    var top = 40, bottom = c.height - 30, left = 70, right = c.width - 70;
    var n = ids.length;
    var xs = ids.map(function (_, i) { return n === 1 ? (left + right) / 2 : left + (right - left) * i / (n - 1); });
    var scales = ids.map(function (id) { return scale(column(id)); });
    // lines first, axes on top
    runs.forEach(function (r, ri) {
      ctx.strokeStyle = CairnCharts.color(r.color);
      ctx.lineWidth = 2;
      ctx.globalAlpha = 0.85;
      ctx.beginPath();
      var drawing = false;
      ids.forEach(function (id, ai) {
        var p = scales[ai].pos(column(id)[ri]);
        if (p == null) { drawing = false; return; }
        var y = bottom - p * (bottom - top);
        if (drawing) { ctx.lineTo(xs[ai], y); } else { ctx.moveTo(xs[ai], y); drawing = true; }
      });
      ctx.stroke();
    });
    ctx.globalAlpha = 1;
    ids.forEach(function (id, ai) {
      ctx.strokeStyle = '#5b6475';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(xs[ai], top);
      ctx.lineTo(xs[ai], bottom);
      ctx.stroke();
      ctx.fillStyle = ai === ids.length - 1 ? '#225244' : '#1d2330';
      ctx.textAlign = 'center';
      ctx.font = 'bold 12px system-ui, sans-serif';
      ctx.fillText(clip(labels[ai], 18), xs[ai], top - 22);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#5b6475';
      ctx.fillText(ai === ids.length - 1 ? 'metric' : 'param', xs[ai], top - 8);
      ctx.textAlign = 'left';
      scales[ai].ticks.forEach(function (t) {
        var y = bottom - t[0] * (bottom - top);
        ctx.fillText(clip(t[1], 12), xs[ai] + 4, y + 4);
      });
    });
    if (!data.paramKeys.length) {
      ctx.fillStyle = '#5b6475';
      ctx.fillText('These runs logged no parameters.', left, bottom + 20);
    }
  }

  function distinct(values) { return new Set(values.map(String)).size; }

  // ---- scatter --------------------------------------------------------------------------------

  var scatter = document.getElementById('scatter');
  var sx = document.getElementById('scatter-x');
  var sy = document.getElementById('scatter-y');

  function fillColumns(select, preferred) {
    function group(label, prefix, keys) {
      if (!keys.length) { return; }
      var g = document.createElement('optgroup');
      g.label = label;
      keys.forEach(function (k) {
        var o = document.createElement('option');
        o.value = prefix + k;
        o.textContent = k;
        g.appendChild(o);
      });
      select.appendChild(g);
    }
    group('Metrics', 'm:', data.keys);
    group('Params', 'p:', data.paramKeys);
    if (preferred) { select.value = preferred; }
  }

  function drawScatter() {
    var c = prepare(scatter, 420);
    var ctx = c.ctx;
    var left = 70, right = c.width - 30, top = 20, bottom = c.height - 50;
    var xv = column(sx.value), yv = column(sy.value);
    var xs = scale(xv), ys = scale(yv);
    ctx.strokeStyle = '#5b6475';
    ctx.beginPath();
    ctx.moveTo(left, top); ctx.lineTo(left, bottom); ctx.lineTo(right, bottom);
    ctx.stroke();
    ctx.fillStyle = '#5b6475';
    ctx.textAlign = 'center';
    xs.ticks.forEach(function (t) { ctx.fillText(clip(t[1], 14), left + t[0] * (right - left), bottom + 16); });
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.fillStyle = '#1d2330';
    ctx.fillText(clip(sx.value.slice(2), 40), (left + right) / 2, bottom + 36);
    ctx.save();
    ctx.translate(16, (top + bottom) / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(clip(sy.value.slice(2), 40), 0, 0);
    ctx.restore();
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.fillStyle = '#5b6475';
    ys.ticks.forEach(function (t) { ctx.fillText(clip(t[1], 10), left - 6, bottom - t[0] * (bottom - top) + 4); });
    ctx.textAlign = 'left';
    var shown = 0;
    runs.forEach(function (r, i) {
      var px = xs.pos(xv[i]), py = ys.pos(yv[i]);
      if (px == null || py == null) { return; }
      shown++;
      var x = left + 8 + px * (right - left - 16), y = bottom - 8 - py * (bottom - top - 16);
      ctx.fillStyle = CairnCharts.color(r.color);
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, 2 * Math.PI);
      ctx.fill();
      if (runs.length <= 20) {
        ctx.fillStyle = '#1d2330';
        ctx.fillText(clip(r.name, 24), x + 9, y - 6);
      }
    });
    scatter.setAttribute('aria-label', 'Scatter plot of ' + sy.value.slice(2) + ' against ' + sx.value.slice(2)
      + ': ' + shown + ' of ' + runs.length + ' runs have both values');
  }

  if (parallel && parallelMetric) {
    parallelMetric.addEventListener('change', drawParallel);
    drawParallel();
  }
  if (scatter && sx && sy) {
    fillColumns(sx, data.paramKeys.length ? 'p:' + data.paramKeys[0] : 'm:' + data.keys[0]);
    fillColumns(sy, 'm:' + data.keys[0]);
    sx.addEventListener('change', drawScatter);
    sy.addEventListener('change', drawScatter);
    drawScatter();
  }
  var timer = null;
  window.addEventListener('resize', function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (parallel && parallelMetric) { drawParallel(); }
      if (scatter && sx && sy) { drawScatter(); }
    }, 150);
  });
})();
