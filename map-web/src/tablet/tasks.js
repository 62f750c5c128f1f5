// tasks: the worker's open cases (我的任务: assignee = me), kept in localStorage so the list is
// there when the network is not, and seen through the outbox: a case with actions still queued
// shows the state those actions will lead to (optimistic), marked 待发送. The copy is the
// worker's alone (its key names them) and goes when they sign out (forget.js).

import { api } from '/assets/api.js';

export const CACHE_KEY = 'gridctl.tablet.tasks';

/**
 * The grid worker's side of CaseWorkflow: which actions the assignee (or the reporter, for 自行处置)
 * may take in a state, and where each leads. Used only while actions are queued; with nothing
 * queued the page shows the server's availableActions.
 */
const FIELD_ACTIONS = {
  reported: ['self_handle'],
  verifying: ['report_verification'],
  dispatched: ['sign', 'return'],
  signed: ['start_handling', 'return', 'request_extension'],
  in_process: ['feedback', 'request_extension'],
};
const LEADS_TO = {
  sign: 'signed',
  return: 'returned',
  start_handling: 'in_process',
  feedback: 'done_feedback',
  self_handle: 'self_handled',
};

/** The state after the queued actions (in order), and whether an extension request is among them. */
export function optimistic(c, queued) {
  let state = c.state;
  let extensionPending = Boolean(c.extensionPending);
  for (const item of queued) {
    if (item.kind === 'action' && item.caseId === c.id) {
      state = LEADS_TO[item.body.action] || state;
      if (item.body.action === 'request_extension') {
        extensionPending = true;
      }
    }
  }
  return { state, extensionPending };
}

/** The worker's actions in a state, as the tablet guesses them while offline. */
export function localActions(state, extensionPending) {
  return (FIELD_ACTIONS[state] || []).filter((a) => a !== 'request_extension' || !extensionPending);
}

export function taskStore(user) {
  const key = CACHE_KEY + '.' + user;
  let cached = null;
  try {
    cached = JSON.parse(localStorage.getItem(key) || 'null');
  } catch (e) {
    cached = null;
  }
  let items = cached ? cached.items : [];
  let loadedAt = cached ? cached.loadedAt : Date.now();
  let fromCache = Boolean(cached);
  let forgotten = false;

  /** Loads the list; on a network failure keeps the cached one and rethrows. */
  async function reload() {
    const page = await api('/api/v1/cases?assignee=me&open=true&limit=200');
    if (forgotten) { // an answer arriving after sign-out is not kept
      return items;
    }
    items = page.items;
    loadedAt = Date.now();
    fromCache = false;
    try {
      localStorage.setItem(key, JSON.stringify({ items, loadedAt }));
    } catch (e) {
      // too big or private mode: the list just is not there offline
    }
    return items;
  }

  /** Sign-out: the copy goes, and nothing is kept from now on. */
  function forget() {
    forgotten = true;
    items = [];
    localStorage.removeItem(key);
  }

  /** Keeps a case the server sent (after an action or a detail load) in the list and cache. */
  function put(c) {
    const i = items.findIndex((x) => x.id === c.id);
    const { history, availableActions, event, replayed, duplicates, ...plain } = c;
    plain._loadedAt = Date.now(); // its clock is as of now, not as of the list
    if (i >= 0) {
      items[i] = plain;
    }
  }

  return {
    reload,
    put,
    forget,
    items: () => items,
    loadedAt: () => loadedAt,
    fromCache: () => fromCache,
    find: (id) => items.find((c) => c.id === id),
  };
}
