// main: the dispatcher desk's start-up (调度台, served at /desk/). Loads who is signed in, the
// category catalogue and the streets, then the queue; opens the live stream so that a new case
// or a change appears without a reload (the queue is reloaded, debounced, on each event).
// Test hooks: body[data-desk-ready] once the queue is first drawn; body[data-queue-loaded] counts
// queue loads; body[data-live] is "open" while the event stream is up.

import { api } from '/assets/api.js';
import { applyI18n, bindLangSwitch, t } from '/assets/i18n.js';
import './i18n.js';
import { refusalText, setWorkingHours } from '/assets/cases.js';
import { renderNodeTitle, renderUser, signOut, tick as clockTick } from '/assets/header.js';
import { caseEvents } from '/assets/live.js';
import { exportButton } from '/assets/exportmenu.js';
import { casePanel } from './casepanel.js';
import { intakeForm } from './intake.js';
import { caseQueue } from './queue.js';

/** Lists are reloaded this often anyway: holidays, and anything a dropped stream missed. */
const RELOAD_MS = 60000;
/** Events come in bursts (one per action); one reload per burst. */
const DEBOUNCE_MS = 300;

let me = null;
let queue = null;
let panel = null;
let intake = null;
let queueExport = null;
let liveState = 'connecting';

function notice(text) {
  const n = document.getElementById('page-notice');
  n.textContent = text || '';
  n.hidden = !text;
}

function renderLive() {
  const chip = document.getElementById('live-status');
  chip.dataset.state = liveState;
  chip.textContent = t(liveState === 'open' ? 'live.open' : 'live.connecting');
  document.body.dataset.live = liveState;
}

function renderAll() {
  renderUser(me);
  renderNodeTitle(me);
  clockTick();
  renderLive();
  queue?.render();
  panel?.render();
  intake?.render();
  queueExport?.render();
}

function openCase(id, preloaded = null) {
  intake.close();
  document.getElementById('detail-empty').hidden = true;
  queue.select(id);
  panel.show(id, preloaded);
}

function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  clockTick();
  let me_, catalogue, streets;
  try {
    [me_, catalogue, streets] = await Promise.all([
      api('/api/v1/me'),
      api('/api/v1/case-categories'),
      api('/api/v1/areas?level=street'),
    ]);
  } catch (err) {
    notice(refusalText(err));
    return;
  }
  me = me_;
  renderUser(me);
  renderNodeTitle(me);
  setWorkingHours(catalogue.workingHours);

  queue = caseQueue({ onSelect: (c) => openCase(c.id), onError: (err) => notice(refusalText(err)) });
  const streetList = (streets.items || []).map((s) => ({ code: s.code, name: s.name }));
  queue.streets(streetList);
  // 导出: the queue as it is filtered now (the open menu follows a change of the filters)
  queueExport = exportButton(document.getElementById('queue-export-slot'), { id: 'queue-export', me, scope: queue.exportScope });
  document.getElementById('filters').addEventListener('change', () => queueExport.render());
  const names = new Map(streetList.map((s) => [s.code, s.name]));
  panel = casePanel(document.getElementById('case-view'), {
    streetName: (code) => names.get(code) || code,
    departments: catalogue.departments || [],
    onChanged: () => queue.reload(),
    onOpen: (id) => openCase(id),
  });
  intake = intakeForm(catalogue, {
    onCreated: (created) => {
      queue.reload();
      openCase(created.id, created);
    },
  });
  document.getElementById('new-intake').addEventListener('click', () => {
    panel.clear();
    queue.select(null);
    document.getElementById('detail-empty').hidden = true;
    intake.open();
  });

  await queue.reload();
  document.body.dataset.deskReady = 'true';

  const reloadSoon = debounce(() => queue.reload(), DEBOUNCE_MS);
  const refreshPanel = debounce(() => panel.refresh(), DEBOUNCE_MS);
  caseEvents((event) => {
    reloadSoon();
    const shown = panel.current();
    if (shown && (event.type === 'case.bulk' || event.id === shown.id)) {
      refreshPanel();
    }
  }, (state, reconnected) => {
    liveState = state;
    renderLive();
    if (reconnected) {
      reloadSoon(); // what happened while the stream was down
    }
  }, () => {
    // the server could not replay what the desk missed: the queue and the open case afresh
    reloadSoon();
    if (panel.current()) {
      refreshPanel();
    }
  });

  setInterval(() => {
    clockTick();
    queue.tick();
    panel.tick();
  }, 1000);
  setInterval(() => {
    if (!document.hidden) {
      queue.reload();
    }
  }, RELOAD_MS);
}

start();
