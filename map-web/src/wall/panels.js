// panels: everything around the map — the signed-in user, the KPI strip, the street list, the
// metric selector with its legend, and the grid detail panel. Each render function takes the
// data and rewrites its own element; text always comes from t(), so a language switch is a re-render.

import { t, formatNumber } from '/assets/i18n.js';
import { METRICS } from './choropleth.js';

const KPIS = ['streets', 'communities', 'grids', 'houses', 'persons', 'enterprises'];

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined && text !== null) {
    e.textContent = text;
  }
  return e;
}

/** The header's user block: display name and role. */
export function renderUser(me) {
  document.getElementById('user-name').textContent = me ? me.displayName || me.username : '';
  const role = document.getElementById('user-role');
  role.textContent = me ? t('header.role.' + me.role) : '';
  role.hidden = !me;
  renderImportsLink(me);
  renderAppLink(me, 'desk-link', '/desk/', 'header.desk', ['dispatcher', 'command', 'admin']);
  renderAppLink(me, 'tablet-link', '/tablet/', 'header.tablet', ['worker']);
}

/** A header link to another app (调度台 for the desk roles, 网格员端 for grid workers). */
function renderAppLink(me, id, href, key, roles) {
  let link = document.getElementById(id);
  const allowed = Boolean(me && roles.includes(me.role) && (me.permissions || []).includes('cases.read'));
  if (!allowed) {
    link?.remove();
    return;
  }
  if (!link) {
    link = el('a', 'btn header-link');
    link.id = id;
    link.href = href;
    link.style.textDecoration = 'none';
    document.querySelector('.header-tools').prepend(link);
  }
  link.textContent = t(key);
}

/** A link to the import console (/imports/), only for roles that may import (imports.run). */
function renderImportsLink(me) {
  let link = document.getElementById('imports-link');
  const allowed = Boolean(me && (me.permissions || []).includes('imports.run'));
  if (!allowed) {
    link?.remove();
    return;
  }
  if (!link) {
    link = el('a', 'btn header-link');
    link.id = 'imports-link';
    link.href = '/imports/';
    link.style.textDecoration = 'none';
    document.querySelector('.header-tools').prepend(link);
  }
  link.textContent = t('header.imports');
}

/** The KPI strip: district totals (or '—' when the stats are not available). */
export function renderKpis(totals) {
  const strip = document.getElementById('kpi-strip');
  strip.replaceChildren(
    ...KPIS.map((key) => {
      const card = el('div', 'kpi');
      card.dataset.kpi = key;
      const value = el('span', 'kpi-value num', totals ? formatNumber(totals[key]) : '—');
      value.dataset.value = totals ? String(totals[key]) : '';
      const unit = t('unit.' + key);
      const line = el('div', 'kpi-line');
      line.append(value);
      if (unit) {
        line.append(el('span', 'kpi-unit', unit));
      }
      card.append(el('span', 'kpi-label', t('kpi.' + key)), line);
      return card;
    }),
  );
}

/**
 * The area list beside the map: per-street totals, or per-community ones when the caller sees
 * a single street (kind "streets" or "communities"). Clicking a row calls onSelect(code), or
 * onSelect(null) when the row was already selected.
 */
export function renderAreaList(kind, rows, selectedCode, onSelect) {
  for (const [id, key] of [['area-list-title', kind + '.title'], ['area-list-hint', kind + '.hint']]) {
    const e = document.getElementById(id);
    e.dataset.i18n = key;
    e.textContent = t(key);
  }
  const list = document.getElementById('street-list');
  list.dataset.kind = kind;
  const head = el('div', 'street-row street-head');
  head.append(el('span', 'col-name', t(kind + '.name')));
  for (const key of ['grids', 'persons', 'houses', 'enterprises']) {
    head.append(el('span', 'col-' + key, t('list.' + key)));
  }
  if (!rows || rows.length === 0) {
    list.replaceChildren(head, el('p', 'empty', t(kind + '.empty')));
    return;
  }
  const maxPersons = Math.max(1, ...rows.map((s) => s.persons));
  const items = rows.map((s) => {
    const row = el('button', 'street-row');
    row.type = 'button';
    row.dataset.code = s.code;
    row.title = s.name;
    row.setAttribute('aria-pressed', String(s.code === selectedCode));
    row.style.setProperty('--share', (s.persons / maxPersons).toFixed(3));
    row.append(
      el('span', 'col-name', s.name),
      el('span', 'col-grids num', formatNumber(s.grids)),
      el('span', 'col-persons num', formatNumber(s.persons)),
      el('span', 'col-houses num', formatNumber(s.houses)),
      el('span', 'col-enterprises num', formatNumber(s.enterprises)),
    );
    row.addEventListener('click', () => onSelect(s.code === selectedCode ? null : s.code));
    return row;
  });
  list.replaceChildren(head, ...items);
}

/** Metric buttons and the legend of class breaks for the current metric. */
export function renderMetric(metric, classes, onChange) {
  const buttons = document.getElementById('metric-buttons');
  buttons.replaceChildren(
    ...METRICS.map((m) => {
      const b = el('button', 'metric-btn', t('metric.' + m));
      b.type = 'button';
      b.dataset.metric = m;
      b.setAttribute('aria-pressed', String(m === metric));
      b.addEventListener('click', () => onChange(m));
      return b;
    }),
  );
  document.getElementById('legend-title').textContent = t('legend.title.' + metric);
  const list = document.getElementById('legend');
  if (!classes.length) {
    list.replaceChildren(el('li', 'legend-empty', t('legend.noData')));
    return;
  }
  list.replaceChildren(
    ...classes.map((c, i) => {
      const li = el('li', 'legend-row');
      const swatch = el('span', 'legend-swatch');
      swatch.style.background = c.colour;
      const range = legendRange(c, i === classes.length - 1, metric !== 'density');
      li.append(swatch, el('span', 'legend-range num', range), el('span', 'legend-count num', formatNumber(c.count)));
      return li;
    }),
  );
}

/**
 * A class as the legend shows it. Class i holds from <= v < to (the last one: v <= to), so for
 * whole counts "3 – 7" means 3 to 6 and is shown as such; a class of one value shows just it.
 */
function legendRange(c, last, whole) {
  const upper = whole && !last ? c.to - 1 : c.to;
  if (upper <= c.from) {
    return formatNumber(c.from);
  }
  return `${formatNumber(c.from)} – ${formatNumber(upper)}`;
}

/**
 * The grid detail panel (#grid-panel). show(props) opens it at once with what the map knows;
 * fill(detail) completes it from GET /api/v1/grids/{code}; close() hides it.
 */
export function gridPanel(onClose) {
  const panel = document.getElementById('grid-panel');
  const field = (name) => panel.querySelector(`[data-field="${name}"]`);
  let current = null;
  let loaded = false;

  panel.querySelector('[data-action=close]').addEventListener('click', () => {
    close();
    onClose();
  });

  function set(name, value) {
    field(name).textContent = value === null || value === undefined || value === '' ? '—' : value;
  }

  function render() {
    const d = current;
    set('code', d.code);
    set('name', d.name);
    set('community', d.communityName || d.communityCode);
    set('street', d.streetName || d.streetCode);
    set('area', d.areaKm2 !== undefined ? `${formatNumber(d.areaKm2, 2)} km²` : null);
    set('persons', formatNumber(d.persons));
    set('houses', formatNumber(d.houses));
    set('enterprises', formatNumber(d.enterprises));
    set('density', d.areaKm2 > 0 ? formatNumber(d.persons / d.areaKm2) : null);
    const workers = field('workers');
    if (!loaded) {
      workers.replaceChildren(el('li', 'muted', t('grid.loading')));
    } else if (!d.workers || d.workers.length === 0) {
      workers.replaceChildren(el('li', 'muted', t('grid.noWorkers')));
    } else {
      workers.replaceChildren(
        ...d.workers.map((w) => {
          const li = el('li', 'worker');
          const phone = el('span', 'worker-phone num', w.phone || '—');
          phone.title = t('grid.phoneMasked');
          li.append(el('span', 'worker-name', w.name), el('span', 'worker-duty', t('grid.duty.' + w.duty)), phone);
          return li;
        }),
      );
    }
  }

  function show(props) {
    current = { ...props };
    loaded = false;
    panel.hidden = false;
    panel.dataset.state = 'loading';
    render();
  }

  function fill(detail) {
    if (!current || detail.code !== current.code) {
      return;
    }
    current = { ...current, ...detail };
    loaded = true;
    panel.dataset.state = 'ready';
    render();
  }

  function fail(message) {
    panel.dataset.state = 'error';
    field('workers').replaceChildren(el('li', 'error', message));
  }

  function close() {
    current = null;
    panel.hidden = true;
    delete panel.dataset.state;
  }

  return {
    show,
    fill,
    fail,
    close,
    rerender: () => current && render(),
    get code() {
      return current ? current.code : null;
    },
  };
}

/** A short-lived notice at the top of the map (API errors). */
export function notify(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => {
    box.hidden = true;
  }, 8000);
}
