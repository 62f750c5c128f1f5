// history: the table of recent imports (GET /api/v1/imports?limit=50, newest first) with status
// badges, who and when, the counts and a download link for rejected rows. Test hook: each row is
// tr[data-job-id][data-status].

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { badge, count, datasetLabel, el, formatBytes, formatTime, rejectsUrl } from './format.js';

const COLUMNS = 12;

export function historyTable({ onSelect }) {
  const body = document.getElementById('history-body');
  let items = null;
  let error = null;
  let selected = null;

  function message(text, className) {
    const row = el('tr', 'history-message');
    const cell = el('td', className, text);
    cell.colSpan = COLUMNS;
    row.append(cell);
    body.replaceChildren(row);
  }

  function render() {
    if (error && !items) {
      message(t('imports.history.failed', { message: error }), 'error');
      return;
    }
    if (!items) {
      message(t('imports.loading'), 'muted');
      return;
    }
    if (items.length === 0) {
      message(t('imports.history.empty'), 'muted');
      return;
    }
    body.replaceChildren(...items.map(row));
  }

  function row(job) {
    const tr = el('tr');
    tr.dataset.jobId = job.id;
    tr.dataset.status = job.status;
    tr.classList.toggle('selected', job.id === selected);
    tr.tabIndex = 0;
    tr.addEventListener('click', (e) => {
      if (!e.target.closest('a')) {
        onSelect(job);
      }
    });
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        onSelect(job);
      }
    });
    const file = el('td', 'file');
    file.append(el('span', 'file-name', job.fileName), el('span', 'file-size num', formatBytes(job.bytes)));
    file.title = job.fileName;
    const rejects = el('td', 'rejects');
    if (job.rejected > 0 || job.warned > 0) {
      const a = el('a', 'link', t('imports.history.download'));
      a.href = rejectsUrl(job.id);
      a.download = 'rejects-' + job.id + '.csv';
      rejects.append(a);
    } else {
      rejects.append(el('span', 'muted', '—'));
    }
    const pending = (key) => !job.done && ['inserted', 'updated', 'unchanged'].includes(key);
    const n = (key, cls = '') => el('td', ('n num ' + cls).trim(), pending(key) ? '—' : count(job[key]));
    const status = cellWith(badge(job.status));
    if (job.message && job.status !== 'succeeded' && job.status !== 'dry_run') {
      // why a job failed or stopped: the importer's own message, the one the shell prints
      const reason = el('span', 'job-reason', job.message);
      reason.title = job.message;
      status.append(reason);
    }
    tr.append(
      status,
      el('td', null, datasetLabel(job.dataset)),
      file,
      el('td', null, job.submittedBy),
      el('td', 'num when', formatTime(job.startedAt)),
      n('rowsRead'),
      n('inserted', 'inserted'),
      n('updated'),
      n('unchanged'),
      n('rejected', job.rejected > 0 ? 'rejected' : ''),
      n('warned', job.warned > 0 ? 'warned' : ''),
      rejects,
    );
    return tr;
  }

  function cellWith(child) {
    const td = el('td');
    td.append(child);
    return td;
  }

  async function refresh() {
    try {
      items = (await api('/api/v1/imports?limit=50')).items || [];
      error = null;
    } catch (err) {
      error = err.message || String(err.status);
    }
    render();
    return items || [];
  }

  return {
    refresh,
    render,
    select(id) {
      selected = id;
      render();
    },
  };
}
