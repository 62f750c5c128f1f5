// main: the import console's start-up (served at /imports/). Asks who is signed in; a role
// without imports.run sees the 无权限 notice, everyone else the upload form, the live job panel
// and the history. A job still running when the page opens is picked up and watched.
// Test hook: body[data-imports-ready="console"|"denied"] once the page has decided.

import { api } from '/assets/api.js';
import { renderNodeTitle, renderUser, signOut, tick } from '/assets/header.js';
import { applyI18n, bindLangSwitch, t } from '/assets/i18n.js';
import { exportPanel } from '/assets/exports.js';
import './i18n.js';
import { uploadForm } from './form.js';
import { historyTable } from './history.js';
import { jobPanel } from './job.js';

const PERMISSION = 'imports.run';
const HISTORY_MS = 15000;

let me = null;
let form = null;
let jobs = null;
let history = null;
let exporter = null;

function notice(text) {
  const n = document.getElementById('page-notice');
  n.textContent = text || '';
  n.hidden = !text;
}

function renderAll() {
  renderUser(me);
  renderNodeTitle(me);
  tick();
  if (form) {
    form.render();
    jobs.render();
    history.render();
  }
  if (exporter) {
    exporter.render();
  }
}

function startConsole() {
  document.getElementById('console').hidden = false;
  history = historyTable({ onSelect: (job) => jobs.watch(job) });
  jobs = jobPanel({
    onChange: (job) => {
      history.select(job.id);
      history.refresh();
    },
    onDone: () => history.refresh(),
  });
  form = uploadForm({
    onStarted: (job) => jobs.watch(job),
    // a refused file: its job, failed with the importer's reason, in the job panel and the history
    onRefused: (id) => api('/api/v1/imports/' + encodeURIComponent(id)).then((job) => jobs.watch(job), () => history.refresh()),
  });
  form.render();
  jobs.render();
  history.render();
  // the officer's way out: any collection of their scope as a file (GET /api/v1/exports/…)
  api('/api/v1/areas?level=street').then((streets) => {
    exporter = exportPanel(document.getElementById('exports'), me, (streets.items || []).map((s) => ({ code: s.code, name: s.name })));
  }, () => {
    exporter = exportPanel(document.getElementById('exports'), me, []);
  });
  return history.refresh().then((items) => {
    const running = items.find((j) => !j.done);
    if (running) {
      jobs.watch(running);
    }
    setInterval(() => {
      if (!document.hidden) {
        history.refresh();
      }
    }, HISTORY_MS);
  });
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  tick();
  setInterval(tick, 1000);
  try {
    me = await api('/api/v1/me');
  } catch (err) {
    notice(err.status === 0 ? t('error.network') : t('error.generic', { status: err.status, message: err.message }));
    return;
  }
  renderUser(me);
  renderNodeTitle(me);
  if (!(me.permissions || []).includes(PERMISSION)) {
    document.getElementById('no-permission').hidden = false;
    document.body.dataset.importsReady = 'denied';
    return;
  }
  await startConsole();
  document.body.dataset.importsReady = 'console';
}

start();
