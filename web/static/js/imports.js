// An import job's page: refreshes the state, progress bar, counts and failures from GET /api/v1/imports/{id}
// every two seconds until the job ends.
(function () {
  const section = document.getElementById('import-job');
  if (!section || section.dataset.finished === 'true') return;
  const id = section.dataset.job;
  const kinds = ['experiments', 'runs', 'metric_points', 'artifacts', 'logged_models', 'models', 'versions'];

  function text(el, value) { if (el) el.textContent = String(value); }

  function percent(job) {
    if (job.state === 'SUCCEEDED' || job.state === 'FAILED') return 100;
    let total = 0, done = 0;
    for (const k of kinds) {
      const c = job.progress[k];
      if (!c || k === 'metric_points') continue;
      total += c.total; done += c.copied + c.skipped + c.failed;
    }
    return total === 0 ? 0 : Math.min(99, Math.floor(done * 100 / total));
  }

  function render(job) {
    text(document.getElementById('import-state'), job.state);
    text(document.getElementById('import-attempts'), job.attempts);
    const bar = document.getElementById('import-bar');
    bar.value = percent(job);
    text(bar, bar.value + ' %');
    text(document.getElementById('import-rates'), job.rates.runs_per_second + ' runs/s · '
      + job.rates.metric_points_per_second + ' metric points/s · ' + job.bytes_copied + ' bytes copied');
    for (const k of kinds) {
      const row = document.querySelector('#import-counts tr[data-kind="' + k + '"]');
      const c = job.progress[k];
      if (!row || !c) continue;
      const cells = row.querySelectorAll('td');
      text(cells[0], c.total); text(cells[1], c.copied); text(cells[2], c.skipped); text(cells[3], c.failed);
    }
    const summary = document.getElementById('import-summary');
    summary.replaceChildren();
    if (job.summary && job.summary.error) {
      const p = document.createElement('p');
      p.className = 'alert error';
      p.textContent = job.summary.error;
      summary.append(p);
    }
    if (job.summary && job.summary.failures && job.summary.failures.length) {
      const ul = document.createElement('ul');
      for (const f of job.summary.failures) {
        const li = document.createElement('li');
        li.textContent = f.kind + ' ' + f.source_id + ': ' + f.reason;
        ul.append(li);
      }
      summary.append(ul);
    }
  }

  async function poll() {
    try {
      const r = await fetch('/api/v1/imports/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } });
      if (r.ok) {
        const job = await r.json();
        render(job);
        if (job.state === 'SUCCEEDED' || job.state === 'FAILED') return;
      }
    } catch (e) { /* the next poll tries again */ }
    setTimeout(poll, 2000);
  }
  setTimeout(poll, 2000);
})();
