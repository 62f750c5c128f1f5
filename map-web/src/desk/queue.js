// queue: the dispatcher's list of open cases, by deadline (the API sorts), with the filters
// above it and a countdown per row that ticks every second between reloads. A row that was not
// in the previous load is flashed: that is how a case pushed over SSE shows up.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { countdown, el, formatTime, label, stateLabel } from '/assets/cases.js';
import { allOf, casesIn, openCases, overdueAt } from '/assets/exportfilters.js';

const LIMIT = 200;

/**
 * The queue. onSelect(case) when a row is clicked; onError(err) when a load fails.
 * Returns {reload(), tick(), render(), select(id), streets(list), exportScope()}.
 */
export function caseQueue({ onSelect, onError }) {
  const body = document.getElementById('queue-body');
  const empty = document.getElementById('queue-empty');
  const count = document.getElementById('queue-count');
  const form = document.getElementById('filters');
  let items = [];
  let loadedAt = Date.now();
  let known = null; // ids of the previous load; null before the first
  let selected = null;
  let streetNames = new Map();
  let request = null;

  form.addEventListener('change', () => {
    known = null; // a new filter is not news
    reload();
  });

  function query() {
    const p = new URLSearchParams({ open: 'true', limit: String(LIMIT) });
    if (form.state.value) {
      p.set('state', form.state.value);
    }
    if (form.street.value) {
      p.set('street', form.street.value);
    }
    if (form.overdue.checked) {
      p.set('overdue', 'true');
    }
    return '/api/v1/cases?' + p;
  }

  /**
   * The queue as it is filtered, as an export's scope (assets/exportmenu.js): the same cases as
   * query() asks for, all of them rather than a page. The street is the export API's own; the
   * rest — open only, the states, overdue — is its CQL2 filter, term for term as the queue's
   * (server: cases/queue_filter.sql), the deadline as of the click.
   */
  function exportScope() {
    const states = form.state.value ? form.state.value.split(',') : null;
    const street = form.street.value;
    const overdue = form.overdue.checked;
    const now = new Date();
    const streetName = street ? streetNames.get(street) || street : null;
    const label = [streetName || t('desk.filter.allStreets'), form.state.selectedOptions[0].textContent,
      overdue ? t('desk.filter.overdue') : null].filter(Boolean).join(' · ');
    const two = (n) => String(n).padStart(2, '0');
    const stamp = `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}`;
    return {
      label,
      tag: [street, stamp].filter(Boolean).join('-'),
      datasets: [{
        key: 'openCases',
        collection: 'cases',
        street,
        filter: allOf(openCases(), states ? casesIn(states) : null, overdue ? overdueAt(now) : null),
      }],
    };
  }

  async function reload() {
    if (request) {
      request.abort();
    }
    request = new AbortController();
    try {
      const page = await api(query(), { signal: request.signal });
      const fresh = known ? page.items.filter((c) => !known.has(c.id)).map((c) => c.id) : [];
      items = page.items;
      loadedAt = Date.now();
      known = new Set(items.map((c) => c.id));
      render(new Set(fresh));
      // counted up to a cap: past it the server says totalCapped
      count.textContent = t('desk.queue.count', { n: page.totalCapped ? page.total + '+' : page.total });
      document.body.dataset.queueLoaded = String(Number(document.body.dataset.queueLoaded || 0) + 1);
    } catch (err) {
      if (err.name !== 'AbortError') {
        onError(err);
      }
    }
  }

  function render(fresh = new Set()) {
    body.replaceChildren(...items.map((c) => row(c, fresh.has(c.id))));
    empty.hidden = items.length > 0;
    tick();
  }

  function row(c, isFresh) {
    const tr = el('tr', isFresh ? 'fresh' : '');
    tr.dataset.caseId = c.id;
    tr.dataset.state = c.state;
    tr.tabIndex = 0;
    if (c.id === selected) {
      tr.classList.add('selected');
    }
    tr.append(el('td', 'num case-number', c.number));
    const what = el('td', 'case-cell');
    const title = el('div', 'case-title');
    if (c.urgency === 'urgent') {
      title.append(el('span', 'chip chip-urgent', t('case.urgency.urgent')));
    }
    if (c.extensionPending) {
      title.append(el('span', 'chip chip-warn', t('case.extensionPending')));
    }
    if (c.origin) {
      // a work order from above: its deadline there holds here (the case view shows it in full)
      const chip = el('span', 'chip chip-origin', t('case.origin.short') + ' ' + formatTime(c.origin.deadline));
      chip.dataset.originNode = c.origin.node;
      title.append(chip);
    }
    if (c.flags && (c.flags.nearBoundary || c.flags.outsideDistrict)) {
      title.append(el('span', 'chip chip-warn', t(c.flags.outsideDistrict ? 'case.flag.outsideShort' : 'case.flag.nearShort')));
    }
    title.append(document.createTextNode(c.title));
    what.append(title, el('div', 'case-sub', label(c.category)));
    tr.append(what);
    const st = el('td');
    st.append(el('span', 'state-chip', stateLabel(c)));
    tr.append(st);
    tr.append(el('td', 'case-sub', [streetNames.get(c.streetCode) || c.streetCode || '—', c.gridCode || ''].join(' ')));
    tr.append(el('td', '', c.assignee ? c.assignee.name : '—'));
    const cd = el('td', 'n');
    cd.append(el('span', 'countdown num'));
    tr.append(cd);
    tr.addEventListener('click', () => onSelect(c));
    tr.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        onSelect(c);
      }
    });
    return tr;
  }

  /** Updates the countdowns in place (once a second). */
  function tick() {
    const now = Date.now();
    body.querySelectorAll('tr[data-case-id]').forEach((tr, i) => {
      const c = items[i];
      if (!c || c.id !== tr.dataset.caseId) {
        return;
      }
      const cd = countdown(c, loadedAt, now);
      const span = tr.querySelector('.countdown');
      span.textContent = cd.text;
      span.dataset.tone = cd.tone;
      tr.dataset.tone = cd.tone;
    });
  }

  function select(id) {
    selected = id;
    body.querySelectorAll('tr[data-case-id]').forEach((tr) => tr.classList.toggle('selected', tr.dataset.caseId === id));
  }

  /** Fills the street filter from the areas API ({code, name} list) and keeps the names for rows. */
  function streets(list) {
    streetNames = new Map(list.map((s) => [s.code, s.name]));
    const select = form.street;
    for (const s of list) {
      const o = el('option', '', s.name);
      o.value = s.code;
      select.append(o);
    }
    render();
  }

  return { reload, tick, render: () => render(), select, streets, items: () => items, exportScope };
}
