// outbox: the tablet's queue of things to send (待发送). A grid worker's network drops in the
// field; nothing they do may be lost or done twice. So every report, action and photo is first
// written to IndexedDB with an id made here (the case id of a report, the clientActionId of an
// action, the attachment id of a photo), then sent in the order it was made, one at a time:
//
//  - fetch throws (no network), 5xx, 408/429, or 409 concurrent_change: it stays and is retried
//    (on the browser's "online" event, every RETRY_MS, and after each new item);
//  - 401 (the session ended): it stays; the worker signs in again and it goes out then;
//  - 2xx, or any other 4xx (409 illegal_transition, 403, 422, 415 not a photo …): that is the
//    server's definitive answer; the item leaves the queue and the answer is shown.
//
// Exactly once comes from the ids: the server answers a repeat of an id it has applied with the
// first result (replayed: true) instead of doing it again, so a retry after a lost answer is safe.
// Order matters (签收 before 开始处置, a photo before the 反馈 that names it), so a failure stops
// the queue rather than skipping ahead. Two tabs of the tablet app share one queue through the
// Web Locks API, so they never send the same item at the same moment.

import { t } from '/assets/i18n.js';

const DB_NAME = 'gridctl-tablet';
const STORE = 'outbox';
const RETRY_MS = 15000;
export const RESULTS_KEY = 'gridctl.tablet.results';
const MAX_RESULTS = 30;

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Runs fn(store) in one transaction and resolves with what its last request produced. */
function tx(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    let result;
    const req = fn(transaction.objectStore(STORE));
    if (req) {
      req.onsuccess = () => {
        result = req.result;
      };
    }
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** What the answer to one try means for the item: done, refused (both final), or retry / auth (it stays). */
export function verdict(status, code) {
  if (status >= 200 && status < 300) {
    return 'done';
  }
  if (status === 401) {
    return 'auth';
  }
  if (status === 0 || status >= 500 || status === 408 || status === 429 || code === 'concurrent_change') {
    return 'retry';
  }
  return 'refused';
}

/** One try of one item: {status, body} (status 0 when the network failed). */
async function sendOnce(item) {
  let init;
  let url;
  if (item.kind === 'photo') {
    const form = new FormData();
    form.append('id', item.key);
    if (item.location) {
      form.append('lon', String(item.location.lon));
      form.append('lat', String(item.location.lat));
    }
    form.append('file', item.blob, item.fileName || 'photo.jpg');
    url = '/api/v1/attachments';
    init = { method: 'POST', body: form };
  } else {
    url = item.kind === 'report' ? '/api/v1/cases' : '/api/v1/cases/' + item.caseId + '/actions';
    init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(item.body) };
  }
  init.credentials = 'same-origin';
  init.headers = { ...(init.headers || {}), Accept: 'application/json' };
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    return { status: 0, body: null };
  }
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  return { status: response.status, body };
}

/**
 * The queue of user (the signed-in username: a tablet handed to a colleague does not send the
 * first worker's items under the second one's session). onChange() after any change of the
 * queue; onResult({item, ok, status, body}) for each definitive answer; onAuth() on a 401.
 */
export async function openOutbox(user, { onChange = () => {}, onResult = () => {}, onAuth = () => {} } = {}) {
  const db = await openDb();
  let draining = null;
  let lastError = null;
  let forgotten = false;

  async function all() {
    const items = (await tx(db, 'readonly', (s) => s.getAll())) || [];
    return items.filter((i) => i.user === user).sort((a, b) => a.seq - b.seq);
  }

  /** Adds an item ({kind, key, caseId?, body?, blob?, fileName?, location?, label}) and tries to send. */
  async function enqueue(item) {
    const stored = { ...item, user, createdAt: new Date().toISOString(), attempts: 0 };
    stored.seq = await tx(db, 'readwrite', (s) => s.add(stored));
    onChange();
    kick();
    return stored;
  }

  /** Sends soon: now, or right after a run under way (which may have looked before this item was added). */
  function kick() {
    if (draining) {
      draining.then(() => drain());
    } else {
      drain();
    }
  }

  async function remove(seq) {
    await tx(db, 'readwrite', (s) => s.delete(seq));
  }

  async function update(item) {
    await tx(db, 'readwrite', (s) => s.put(item));
  }

  /** Sends what is queued, in order, until the queue is empty or a try must wait. */
  function drain() {
    if (!draining) {
      const run = () => drainNow().finally(() => {
        draining = null;
      });
      draining = navigator.locks ? navigator.locks.request('gridctl-outbox', run) : run();
    }
    return draining;
  }

  async function drainNow() {
    for (;;) {
      const [item] = forgotten ? [] : await all();
      if (!item) {
        lastError = null;
        onChange();
        return;
      }
      const { status, body } = await sendOnce(item);
      const error = body && body.error;
      const what = verdict(status, error && error.code);
      if (what === 'done' || what === 'refused') {
        await remove(item.seq);
        record(item, what === 'done', status, body);
        onResult({ item, ok: what === 'done', status, body });
        onChange();
        continue;
      }
      item.attempts += 1;
      item.lastTry = new Date().toISOString();
      item.lastStatus = status;
      await update(item);
      lastError = what === 'auth' ? 'auth' : status === 0 ? 'network' : 'server';
      if (what === 'auth') {
        onAuth();
      }
      onChange();
      return;
    }
  }

  /** Keeps the last answers for the 待发送 page: what went out, what the server refused and why. */
  function record(item, ok, status, body) {
    const error = body && body.error;
    const entry = {
      label: item.label, kind: item.kind, key: item.key, caseId: item.caseId, ok, status,
      at: new Date().toISOString(),
      zh: ok ? null : (error && error.details && error.details.zh) || (error && error.message) || String(status),
      en: ok ? null : (error && error.details && error.details.en) || (error && error.message) || String(status),
      replayed: Boolean(body && body.replayed),
    };
    const list = results();
    list.unshift(entry);
    if (forgotten) {
      return;
    }
    try {
      localStorage.setItem(RESULTS_KEY + '.' + user, JSON.stringify(list.slice(0, MAX_RESULTS)));
    } catch (e) {
      // the log is a courtesy; the queue itself is in IndexedDB
    }
  }

  function results() {
    try {
      return JSON.parse(localStorage.getItem(RESULTS_KEY + '.' + user) || '[]');
    } catch (e) {
      return [];
    }
  }

  /**
   * Sign-out: this worker's items leave the tablet unsent (main.js asks the worker first) with the
   * log of answers, and nothing more is sent or kept. Other workers' items stay theirs.
   */
  async function forget() {
    forgotten = true;
    const mine = await all();
    await tx(db, 'readwrite', (s) => {
      mine.forEach((item) => s.delete(item.seq));
    });
    localStorage.removeItem(RESULTS_KEY + '.' + user);
    onChange();
  }

  window.addEventListener('online', () => drain());
  setInterval(() => drain(), RETRY_MS);

  return {
    forget,
    enqueue,
    drain,
    all,
    results,
    /** Why the head of the queue is waiting: null, 'network', 'server' or 'auth'. */
    lastError: () => lastError,
    describe: (item) => item.label || t('tablet.outbox.item.' + item.kind),
  };
}
