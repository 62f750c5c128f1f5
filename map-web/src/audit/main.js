// main: the personal-data audit page (served at /audit/), for roles holding audit.read. Alerts on
// top; below, who read whose personal data, when and why, newest first, with filters. Everything
// shown comes from users (names, purposes), so it is written as text, never as HTML.
// Test hook: body[data-audit-ready="page"|"denied"] once the page has decided.

import { api } from '/assets/api.js';
import { el } from '/assets/dom.js';
import { renderNodeTitle, renderUser, signOut, tick } from '/assets/header.js';
import { applyI18n, bindLangSwitch, t } from '/assets/i18n.js';
import './i18n.js';

const PERMISSION = 'audit.read';

let me = null;
let filters = {};
let next = null;
let entries = [];
let alerts = [];

function notice(text) {
  const n = document.getElementById('page-notice');
  n.textContent = text || '';
  n.hidden = !text;
}

function when(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function query(extra) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  return q.toString();
}

function renderAlerts() {
  const list = document.getElementById('alerts');
  list.replaceChildren();
  if (alerts.length === 0) {
    list.append(el('li', 'none', t('audit.alerts.none')));
    return;
  }
  for (const a of alerts) {
    const li = el('li');
    li.append(el('strong', null, t('audit.alert.' + a.kind, { username: a.username, misses: (a.details || {}).misses })));
    li.append(el('span', 'num', '  ' + when(a.at)));
    list.append(li);
  }
}

function personCell(entry) {
  const td = el('td', 'persons');
  entry.personIds.slice(0, 20).forEach((id, i) => {
    const name = entry.personNames[i];
    const b = el('button', 'person-link', name || id.slice(0, 8));
    b.type = 'button';
    b.title = id;
    b.addEventListener('click', () => {
      document.getElementById('filter-person').value = id;
      apply();
    });
    td.append(b);
  });
  if (entry.personIds.length > 20) {
    td.append(el('span', null, t('audit.morePersons', { n: entry.personIds.length - 20 })));
  }
  return td;
}

function renderEntries() {
  const body = document.getElementById('entries-body');
  body.replaceChildren();
  for (const e of entries) {
    const tr = el('tr');
    tr.dataset.id = e.id;
    tr.append(el('td', 'num', when(e.at)));
    tr.append(el('td', null, `${e.username} · ${t('header.role.' + e.role)}`));
    tr.append(el('td', null, t('audit.action.' + e.action)));
    tr.append(el('td', 'purpose', e.purpose || '—'));
    tr.append(el('td', null, e.masked ? t('audit.view.masked') : t('audit.view.unmasked')));
    // an export's entry is written before its first row: it has no count (the server log has it)
    tr.append(el('td', 'n num', e.rowCount == null ? '—' : String(e.rowCount)));
    tr.append(personCell(e));
    tr.append(el('td', 'num', e.clientAddress || ''));
    body.append(tr);
  }
  if (entries.length === 0) {
    const tr = el('tr');
    const td = el('td', 'empty', t('audit.entries.none'));
    td.colSpan = 8;
    tr.append(td);
    body.append(tr);
  }
  document.getElementById('more').hidden = next === null;
}

async function loadEntries(append) {
  const page = await api('/api/v1/audit/personal-data?' + query(append && next ? { before: next } : {}));
  entries = append ? entries.concat(page.items) : page.items;
  next = page.next;
  renderEntries();
}

async function loadAlerts() {
  alerts = (await api('/api/v1/audit/alerts?limit=20')).items;
  renderAlerts();
}

function dayStart(value) {
  return value ? new Date(value + 'T00:00:00').toISOString() : '';
}

function apply(event) {
  if (event) {
    event.preventDefault();
  }
  const to = document.getElementById('filter-to').value;
  filters = {
    user: document.getElementById('filter-user').value.trim(),
    person: document.getElementById('filter-person').value.trim(),
    from: dayStart(document.getElementById('filter-from').value),
    to: to ? new Date(new Date(to + 'T00:00:00').getTime() + 86400000).toISOString() : '',
  };
  loadEntries(false).then(() => notice(null)).catch((err) => notice(t('error.generic', { status: err.status, message: err.message })));
}

function renderAll() {
  renderUser(me);
  renderNodeTitle(me);
  tick();
  renderAlerts();
  renderEntries();
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', signOut);
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
    document.body.dataset.auditReady = 'denied';
    return;
  }
  document.getElementById('audit').hidden = false;
  document.getElementById('filters').addEventListener('submit', apply);
  document.getElementById('filter-clear').addEventListener('click', () => {
    document.getElementById('filters').reset();
    apply();
  });
  document.getElementById('more').addEventListener('click', () => loadEntries(true));
  await Promise.all([loadEntries(false), loadAlerts()]);
  document.body.dataset.auditReady = 'page';
}

start();
