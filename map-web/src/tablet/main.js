// main: the grid worker's tablet app (网格员, served at /tablet/). Views: 我的任务, one task,
// 上报事件, 发送记录. Everything the worker does goes into the outbox (outbox.js) and is sent in
// order when the network allows; the header says how many items wait (待发送 N 条) and whether
// the tablet is online. New assignments arrive over SSE; the list also reloads every minute.
// Test hooks: body[data-tablet-ready] once started; #outbox-count[data-count]; body[data-online];
// window.gridctlOutbox (the queue, to look into it and replay an item in the offline test);
// body[data-shell-cached] once the service worker (sw.js) holds the page for an offline start.
// Signing out leaves nothing of the worker on the tablet (forget.js), asking first when items are
// still waiting to be sent (#signout-dialog).

import { api } from '/assets/api.js';
import { applyI18n, bindLangSwitch, lang, t } from '/assets/i18n.js';
import './i18n.js';
import { el, formatTime, refusalText, setWorkingHours } from '/assets/cases.js';
import { endSession, loginPage, renderNodeTitle, renderUser, tick as clockTick } from '/assets/header.js';
import { caseEvents } from '/assets/live.js';
import { forgetOthers, forgetTablet } from './forget.js';
import { openOutbox } from './outbox.js';
import { reportView } from './report.js';
import { taskStore } from './tasks.js';
import { taskViews } from './taskview.js';

const RELOAD_MS = 60000;
const CATALOGUE_KEY = 'gridctl.tablet.catalogue';
const ME_KEY = 'gridctl.tablet.me';
/**
 * Set while a sign-out has not reached the server (the tablet was offline): the next start ends
 * the session before anything else. Outside gridctl.tablet.*, which a sign-out clears.
 */
const LOGOUT_PENDING_KEY = 'gridctl.logoutPending';

let me = null;
let store = null;
let outbox = null;
let tasks = null;
let report = null;
let catalogue = null;
let queued = [];
let view = 'tasks';
let toastTimer = null;

function notice(text) {
  const n = document.getElementById('page-notice');
  n.textContent = text || '';
  n.hidden = !text;
}

function toast(text) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, 4000);
}

function show(next) {
  view = next;
  document.querySelectorAll('.view').forEach((v) => {
    v.hidden = v.dataset.view !== next;
  });
  document.querySelectorAll('.tabs [data-view]').forEach((b) => {
    b.setAttribute('aria-selected', String(b.dataset.view === next || (next === 'task' && b.dataset.view === 'tasks')));
  });
  if (next === 'report') {
    report.open();
  }
  if (next === 'outbox') {
    renderOutbox();
  }
  window.scrollTo(0, 0);
}

function renderNet() {
  const online = navigator.onLine;
  const chip = document.getElementById('net-status');
  chip.dataset.online = String(online);
  chip.textContent = t(online ? 'tablet.net.online' : 'tablet.net.offline');
  document.body.dataset.online = String(online);
}

/** The header chip "待发送 N 条" and everything that shows queued state. */
async function queueChanged() {
  queued = await outbox.all();
  const chip = document.getElementById('outbox-count');
  chip.dataset.count = String(queued.length);
  chip.textContent = t('tablet.outbox.count', { n: queued.length });
  chip.hidden = queued.length === 0;
  chip.dataset.waiting = outbox.lastError() || '';
  tasks.renderList();
  const current = tasks.current();
  if (current && !current.form && view === 'task') {
    tasks.renderTask();
  }
  if (view === 'outbox') {
    renderOutbox();
  }
}

function renderOutbox() {
  const list = document.getElementById('outbox-list');
  list.replaceChildren(...queued.map((item) => {
    const li = el('li', 'outbox-item');
    li.dataset.kind = item.kind;
    li.dataset.key = item.key;
    li.append(el('strong', '', outbox.describe(item)),
      el('span', 'muted', `${formatTime(item.createdAt)} · ${t('tablet.outbox.attempts', { n: item.attempts })}`));
    return li;
  }));
  if (queued.length === 0) {
    list.append(el('li', 'muted', t('tablet.outbox.none')));
  }
  const why = outbox.lastError();
  document.getElementById('outbox-why').textContent = why ? t('tablet.outbox.why.' + why) : '';
  const results = document.getElementById('result-list');
  results.replaceChildren(...outbox.results().map((r) => {
    const li = el('li', 'outbox-item ' + (r.ok ? 'ok' : 'refused'));
    li.dataset.ok = String(r.ok);
    li.append(el('strong', '', r.label || r.kind),
      el('span', 'muted', `${formatTime(r.at)} · ${r.ok ? t(r.replayed ? 'tablet.result.replayed' : 'tablet.result.ok')
        : t('tablet.result.refused', { reason: lang() === 'en' ? r.en : r.zh })}`));
    return li;
  }));
}

/** A definitive answer: tell the worker, and take the server's view of the case. */
function onResult({ item, ok, body }) {
  if (ok) {
    if (item.kind !== 'photo') {
      toast(t('tablet.sent', { what: outbox.describe(item) }));
    }
  } else {
    const error = body && body.error;
    const reason = error && error.details && (lang() === 'en' ? error.details.en : error.details.zh);
    toast(t('tablet.refused', { what: outbox.describe(item), reason: reason || (error && error.message) || '' }));
  }
  if (ok && body && body.id && item.kind === 'action') {
    store.put(body);
    tasks.accept(body);
  }
  reloadSoon();
}

let reloadTimer = null;
function reloadSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(reloadTasks, 300);
}

async function reloadTasks() {
  try {
    await store.reload();
    document.getElementById('tasks-stale').hidden = true;
    notice(null);
  } catch (err) {
    if (err.status === 0) {
      const stale = document.getElementById('tasks-stale');
      stale.textContent = t('tablet.tasks.stale', { at: formatTime(new Date(store.loadedAt()).toISOString()) });
      stale.hidden = false;
    } else {
      notice(refusalText(err));
    }
  }
  tasks.renderList();
  const current = tasks.current();
  if (current && !current.form && view === 'task') {
    tasks.refreshOpen();
  }
}

/** The catalogue (categories, reasons, working hours), kept for the offline start of a form. */
async function loadCatalogue() {
  try {
    catalogue = await api('/api/v1/case-categories');
    localStorage.setItem(CATALOGUE_KEY, JSON.stringify(catalogue));
  } catch (err) {
    try {
      catalogue = JSON.parse(localStorage.getItem(CATALOGUE_KEY) || 'null');
    } catch (e) {
      catalogue = null;
    }
  }
  if (catalogue) {
    setWorkingHours(catalogue.workingHours);
  }
}

/**
 * Who is signed in. Without a network (the page itself then comes from the service worker) it is
 * the last user this tablet saw, so their tasks and queue are there; signing out forgets them.
 */
async function loadMe() {
  try {
    const fresh = await api('/api/v1/me');
    localStorage.setItem(ME_KEY, JSON.stringify(fresh));
    return fresh;
  } catch (err) {
    let kept = null;
    try {
      kept = err.status === 0 ? JSON.parse(localStorage.getItem(ME_KEY) || 'null') : null;
    } catch (e) {
      kept = null;
    }
    if (!kept) {
      throw err;
    }
    return kept;
  }
}

/** The app shell for an offline start; browsers allow it on https and localhost only. */
function keepShell() {
  if (!('serviceWorker' in navigator)) {
    return;
  }
  navigator.serviceWorker.register('/tablet/sw.js')
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      document.body.dataset.shellCached = 'true';
    })
    .catch(() => {
      // plain http on a LAN: the page works as before, it just cannot open without the network
    });
}

/** Asks whether to sign out although n items are not sent; resolves true to sign out and lose them. */
function confirmDiscard(n) {
  const dialog = document.getElementById('signout-dialog');
  document.getElementById('signout-text').textContent = t('tablet.signOut.unsent', { n });
  document.getElementById('signout-discard').textContent = t('tablet.signOut.discard', { n });
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'discard'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/**
 * Signs out and forgets the worker: their task list, answers log and (once they agree) unsent
 * items go from this tablet. Choosing to stay shows the queue and tries to send it now.
 */
async function signOutHere() {
  const unsent = outbox ? (await outbox.all()).length : 0;
  if (unsent > 0 && !(await confirmDiscard(unsent))) {
    show('outbox');
    outbox.drain();
    return;
  }
  store?.forget();
  await outbox?.forget();
  await forgetTablet();
  await finishSignOut();
}

/**
 * Ends the session on the server and goes to the login page. Offline the session would go on
 * there (its cookie is out of the page's reach), so the tablet remembers to end it at its next start.
 */
async function finishSignOut() {
  // nothing of the worker stays on screen either, while the server is told
  document.querySelectorAll('.tabs, .tablet-main, #outbox-count').forEach((e) => {
    e.hidden = true;
  });
  renderUser(null);
  localStorage.setItem(LOGOUT_PENDING_KEY, 'true');
  if (await endSession()) {
    localStorage.removeItem(LOGOUT_PENDING_KEY);
    location.replace(loginPage('/tablet/'));
    return;
  }
  notice(t('tablet.signOut.offline'));
  window.addEventListener('online', finishSignOut, { once: true });
}

function renderAll() {
  renderUser(me);
  renderNodeTitle(me);
  clockTick(true);
  renderNet();
  tasks?.renderList();
  if (tasks?.current() && view === 'task') {
    tasks.renderTask();
  }
  report?.render();
  if (outbox) {
    queueChanged();
  }
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', signOutHere);
  clockTick(true);
  renderNet();
  if (localStorage.getItem(LOGOUT_PENDING_KEY)) {
    await finishSignOut();
    return;
  }
  window.addEventListener('online', () => {
    renderNet();
    reloadSoon();
  });
  window.addEventListener('offline', renderNet);
  try {
    me = await loadMe();
  } catch (err) {
    notice(refusalText(err));
    return;
  }
  renderUser(me);
  renderNodeTitle(me);
  forgetOthers(me.username);
  await loadCatalogue();
  store = taskStore(me.username);
  outbox = await openOutbox(me.username, {
    onChange: () => queueChanged(),
    onResult,
    onAuth: () => notice(t('tablet.outbox.why.auth')),
  });
  window.gridctlOutbox = outbox;
  const ctx = {
    store,
    outbox,
    queued: () => queued,
    reasons: () => catalogue || { returnReasons: [], extensionReasons: [] },
    catalogue: () => catalogue,
    show,
    toast,
    changed: () => queueChanged(),
  };
  tasks = taskViews(ctx);
  report = reportView(ctx);
  document.querySelectorAll('.tabs [data-view]').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  document.getElementById('outbox-count').addEventListener('click', () => show('outbox'));
  document.getElementById('outbox-retry').addEventListener('click', () => outbox.drain());

  await queueChanged();
  await reloadTasks();
  outbox.drain();
  document.body.dataset.tabletReady = 'true';
  keepShell();

  caseEvents(() => reloadSoon(), (state, reconnected) => {
    if (reconnected) {
      reloadSoon();
    }
  }, reloadSoon); // stream.reset: the server could not replay what the tablet missed
  setInterval(() => {
    clockTick(true);
    tasks.tick();
  }, 1000);
  setInterval(reloadTasks, RELOAD_MS);
}

start();
