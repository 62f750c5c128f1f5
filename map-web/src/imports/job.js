// job: the "current job" panel. watch(id) polls GET /api/v1/imports/{id} every second until the
// job is done and shows its phase, rows read and rejected so far, a progress bar, and at the end
// the counts (新增/更新/未变/拒绝/警告) with a link to the rejected rows and warnings.
// Test hooks: #job[data-job-id][data-status][data-done], [data-count=…] numbers, a#job-rejects.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import {
  COUNTS, PHASES, badge, count, datasetLabel, el, formatBytes, formatElapsed, formatTime, rejectsUrl,
} from './format.js';

const POLL_MS = 1000;

export function jobPanel({ onChange, onDone }) {
  const panel = document.getElementById('job');
  const body = document.getElementById('job-body');
  const badgeEl = document.getElementById('job-badge');
  let job = null;
  let timer = null;
  let watching = null;
  let pollError = false;

  function render() {
    if (!job) {
      panel.dataset.state = 'empty';
      badgeEl.hidden = true;
      const empty = el('div', 'job-empty');
      empty.append(el('p', null, t('imports.job.empty')));
      body.replaceChildren(empty);
      return;
    }
    panel.dataset.state = job.done ? 'done' : 'running';
    panel.dataset.jobId = job.id;
    panel.dataset.status = job.status;
    panel.dataset.done = String(job.done);
    badge(job.status, badgeEl);

    const head = el('div', 'job-head');
    const name = el('div', 'job-file', job.fileName);
    name.title = job.fileName;
    const meta = el('dl', 'job-meta');
    const fact = (key, value, cls) => {
      const d = el('div');
      d.append(el('dt', null, t(key)), el('dd', cls, value));
      meta.append(d);
    };
    fact('imports.form.dataset', datasetLabel(job.dataset));
    fact('imports.job.format', (job.format || '—').toUpperCase());
    fact('imports.job.size', formatBytes(job.bytes), 'num');
    fact('imports.job.by', job.submittedBy);
    fact('imports.job.started', formatTime(job.startedAt), 'num');
    fact('imports.job.elapsed', formatElapsed(job.startedAt, job.finishedAt), 'num');
    head.append(name, meta);

    body.replaceChildren(head, steps(), progress(), counters());
    if (job.message) {
      const m = el('p', 'job-message', job.message);
      m.dataset.kind = job.status === 'succeeded' || job.status === 'dry_run' ? 'info' : 'error';
      body.append(m);
    }
    if (pollError && !job.done) {
      body.append(el('p', 'job-message', t('imports.error.poll')));
    }
    body.append(footer());
  }

  /** reading → placing → merging → indexing → done, the current one lit. */
  function steps() {
    const list = el('ol', 'steps');
    const at = Math.max(0, PHASES.indexOf(job.phase));
    const finished = job.done && job.status !== 'failed' && job.status !== 'aborted' && job.status !== 'interrupted';
    PHASES.forEach((phase, i) => {
      const li = el('li', 'step');
      li.dataset.phase = phase;
      let state = i < at ? 'past' : i === at ? 'current' : 'future';
      if (finished) {
        state = 'past';
      } else if (job.done && i === at) {
        state = 'stopped';
      }
      li.dataset.state = state;
      li.append(el('span', 'step-dot', state === 'past' ? '✓' : String(i + 1)), el('span', 'step-label', t('imports.phase.' + phase)));
      list.append(li);
    });
    return list;
  }

  function progress() {
    const wrap = el('div', 'job-progress');
    wrap.dataset.status = job.status;
    const bar = el('div', 'bar');
    const fill = el('span');
    const at = Math.max(0, PHASES.indexOf(job.phase));
    const share = job.done ? 1 : Math.min(0.95, (at + 0.5) / PHASES.length);
    fill.style.width = (share * 100).toFixed(1) + '%';
    bar.classList.toggle('live', !job.done);
    bar.append(fill);
    wrap.append(bar, el('span', 'job-phase', t('imports.phase.' + (job.phase || 'reading'))));
    return wrap;
  }

  /** Rows read, then the outcome counts; rejected and warned are the ones that grow live. */
  function counters() {
    const grid = el('div', 'counts');
    for (const key of ['rowsRead', ...COUNTS]) {
      const card = el('div', 'count');
      card.dataset.countCard = key;
      // the merge outcome is known only at the end; rows read and rejected grow live
      const pending = !job.done && ['inserted', 'updated', 'unchanged'].includes(key);
      const value = el('span', 'count-value num', pending ? '—' : count(job[key]));
      value.dataset.count = key;
      value.dataset.value = String(job[key] ?? 0);
      card.append(el('span', 'count-label', t('imports.count.' + key)), value);
      grid.append(card);
    }
    return grid;
  }

  function footer() {
    const foot = el('div', 'job-foot');
    const warned = job.warned ?? 0;
    if (job.rejected > 0 || warned > 0) {
      let text;
      if (warned === 0) {
        text = t('imports.job.rejects', { count: count(job.rejected) });
      } else if (job.rejected === 0) {
        text = t('imports.job.warnings', { count: count(warned) });
      } else {
        text = t('imports.job.rejectsAndWarnings', { count: count(job.rejected), warned: count(warned) });
      }
      const a = el('a', 'btn rejects-link', text);
      a.id = 'job-rejects';
      a.href = rejectsUrl(job.id);
      a.download = 'rejects-' + job.id + '.csv';
      foot.append(a);
    } else if (job.done) {
      foot.append(el('span', 'muted', t('imports.job.noRejects')));
    }
    if (job.status === 'dry_run') {
      foot.append(el('span', 'dry-note', t('imports.job.dryRunNote')));
    }
    const sha = el('span', 'sha num', job.sha256 ? 'SHA-256 ' + job.sha256.slice(0, 16) + '…' : '');
    sha.title = job.sha256 || '';
    foot.append(sha);
    return foot;
  }

  function show(next) {
    const changed = !job || job.id !== next.id || job.status !== next.status || job.phase !== next.phase;
    job = next;
    render();
    if (changed) {
      onChange(job);
    }
  }

  async function poll(id) {
    timer = null;
    try {
      const next = await api('/api/v1/imports/' + encodeURIComponent(id));
      if (watching !== id) {
        return;
      }
      pollError = false;
      show(next);
      if (next.done) {
        watching = null;
        onDone(next);
        return;
      }
    } catch (err) {
      if (watching !== id) {
        return;
      }
      if (err.status === 404 || err.status === 403) {
        watching = null;
        return;
      }
      pollError = true;
      render();
    }
    timer = setTimeout(() => poll(id), POLL_MS);
  }

  return {
    render,
    /** Shows job at once and, unless it is done, follows it until it is. */
    watch(first) {
      if (timer) {
        clearTimeout(timer);
        timer = null;
      }
      watching = first.done ? null : first.id;
      pollError = false;
      show(first);
      if (!first.done) {
        timer = setTimeout(() => poll(first.id), POLL_MS);
      }
    },
    current: () => job,
  };
}
