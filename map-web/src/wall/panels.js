// panels: everything around the map — the header's links to the other apps, the KPI strip, the
// street list, the metric selector with its legend, and the grid detail panel. Each render
// function takes the data and rewrites its own element; text always comes from t(), so a language
// switch is a re-render.

import { el } from '/assets/dom.js';
import { formatNumber, lang, t } from '/assets/i18n.js';
import { METRICS } from './choropleth.js';

const KPIS = ['streets', 'communities', 'grids', 'houses', 'persons', 'enterprises'];

/** The header's links to the other apps the role may use: 数据导入, 调度台, 网格员端. */
export function renderAppLinks(me) {
  const may = (permission) => Boolean(me && (me.permissions || []).includes(permission));
  renderAppLink('imports-link', '/imports/', 'header.imports', may('imports.run'));
  renderAppLink('desk-link', '/desk/', 'header.desk', may('cases.read') && ['dispatcher', 'command', 'admin'].includes(me.role));
  renderAppLink('tablet-link', '/tablet/', 'header.tablet', may('cases.read') && me.role === 'worker');
}

/** A header link to another app, there while allowed. */
function renderAppLink(id, href, key, allowed) {
  let link = document.getElementById(id);
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

/** The case KPIs after the record counts: open, overdue, and the last 30 days' closure rates. */
const CASE_KPIS = ['openCases', 'overdueCases', 'closure', 'onTimeClosure'];

/**
 * From this count on a card shows it in 万 and 亿 (K, M and B in English), as Chinese command
 * centres and statistical bulletins state populations (158.15万人): read across a room it keeps
 * every card's figure the same size and the same few digits, where seven or more digits would have
 * to shrink or be cut. The exact figure stays in the card's title and data-value.
 */
const COMPACT_FROM = 100000;

/**
 * A count as a card shows it: {figure, prefix} where prefix goes before the card's unit
 * (万 of 158.15万人; '' for a count shown whole).
 */
function kpiFigure(n) {
  if (Math.abs(n) < COMPACT_FROM) {
    return { figure: formatNumber(n), prefix: '' };
  }
  const parts = new Intl.NumberFormat(lang() === 'en' ? 'en' : 'zh-CN', {
    notation: 'compact', minimumFractionDigits: 2, maximumFractionDigits: 2,
  }).formatToParts(n);
  return {
    figure: parts.filter((p) => p.type !== 'compact' && p.type !== 'literal').map((p) => p.value).join(''),
    prefix: parts.filter((p) => p.type === 'compact').map((p) => p.value).join(''),
  };
}

/**
 * A figure wider than its card (a narrow window, a long unit) is made smaller until it fits:
 * a number on the wall is never cut, and nobody hovers a wall to read the rest. All lines are
 * measured first, then all sizes written (one layout).
 */
export function fitFigures(strip = document.getElementById('kpi-strip')) {
  const lines = [...strip.querySelectorAll('.kpi-line')];
  lines.forEach((line) => {
    line.querySelector('.kpi-value').style.fontSize = '';
  });
  const over = lines.map((line) => ({ value: line.querySelector('.kpi-value'), need: line.scrollWidth, room: line.clientWidth }))
    .filter((l) => l.need > l.room);
  const sizes = over.map(({ value, need, room }) => {
    const width = value.getBoundingClientRect().width;
    const size = parseFloat(getComputedStyle(value).fontSize);
    // the unit keeps its size: only the figure's share of the line shrinks
    return Math.floor(size * Math.max(0, width - (need - room)) / width * 10) / 10;
  });
  over.forEach(({ value }, i) => {
    value.style.fontSize = sizes[i] + 'px';
  });
}

/**
 * The KPI strip: district totals (or '—' when the stats are not available), then the case KPIs:
 * cases {openCases, overdueCases, closure, onTimeClosure} with the rates as fractions 0…1.
 */
export function renderKpis(totals, cases = null) {
  const strip = document.getElementById('kpi-strip');
  const card = (key, raw, shown, unit) => {
    const c = el('div', 'kpi');
    c.dataset.kpi = key;
    const value = el('span', 'kpi-value num', shown);
    value.dataset.value = raw === null || raw === undefined ? '' : String(raw);
    const line = el('div', 'kpi-line');
    line.append(value);
    if (unit) {
      line.append(el('span', 'kpi-unit', unit));
    }
    c.append(el('span', 'kpi-label', t('kpi.' + key)), line);
    return c;
  };
  /** A record count's card: 158.15 万人 from 100,000 on, with the exact figure in its title. */
  const countCard = (key, n, unit = t('unit.' + key)) => {
    if (n === null || n === undefined) {
      return card(key, null, '—', unit);
    }
    const { figure, prefix } = kpiFigure(n);
    const c = card(key, n, figure, prefix + unit);
    c.title = `${formatNumber(n)} ${unit}`.trim();
    return c;
  };
  // a city counts its districts first, in the place of the communities (the strip holds ten cards)
  const keys = totals && totals.districts !== undefined ? ['districts', ...KPIS.filter((k) => k !== 'communities')] : KPIS;
  const records = keys.map((key) => countCard(key, totals ? totals[key] : null));
  const caseCards = CASE_KPIS.map((key) => {
    const v = cases ? cases[key] : null;
    const rate = key === 'closure' || key === 'onTimeClosure';
    const c = rate ? card(key, v, formatNumber(v === null ? null : v * 100, 1), '%') : countCard(key, v, t('unit.cases'));
    c.classList.add('kpi-case');
    if (key === 'overdueCases' && v > 0) {
      c.classList.add('kpi-alert');
    }
    return c;
  });
  strip.replaceChildren(...records, el('div', 'kpi-divider'), ...caseCards);
  fitFigures(strip);
}

/**
 * The area list beside the map: per-street totals, or per-community ones when the caller sees
 * a single street, or per-district ones at a city (kind "streets", "communities" or "districts"). Clicking a row calls onSelect(code), or
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
      li.dataset.from = String(c.from);
      li.dataset.to = String(c.to);
      li.dataset.colour = c.colour;
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
    set('openCases', d.openCases === undefined ? null : formatNumber(d.openCases));
    set('overdueCases', d.overdueCases === undefined ? null : formatNumber(d.overdueCases));
    const cases = field('cases');
    if (!d.caseList) {
      cases.replaceChildren(el('li', 'muted', t('grid.loading')));
    } else if (d.caseList.length === 0) {
      cases.replaceChildren(el('li', 'muted', t('grid.noCases')));
    } else {
      cases.replaceChildren(...d.caseList.map((c) => {
        const li = el('li', 'grid-case' + (c.overdue ? ' overdue' : ''));
        li.dataset.caseId = c.id;
        li.append(el('span', 'case-state', c.stateZh && lang() !== 'en' ? c.stateZh : c.stateEn || c.state),
          el('span', 'case-title', c.title));
        return li;
      }));
    }
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

  /** The grid's open cases (GET /api/v1/cases?grid=&open=true), newest deadline first. */
  function cases(list) {
    if (!current) {
      return;
    }
    current = { ...current, caseList: list };
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
    cases,
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

/**
 * The place panel (#place-panel): a house (房屋) with its residents, or an enterprise (法人单位),
 * opened by a click on its point. Residents come from the persons API, which masks ID numbers and
 * phones (6+4, 3+4) unless the caller's role may see them; the panel shows what it is given.
 */
export function placePanel(onClose) {
  const panel = document.getElementById('place-panel');
  const body = panel.querySelector('.place-body');
  const title = panel.querySelector('.place-title');
  let current = null; // {kind, data, residents}

  panel.querySelector('[data-action=close]').addEventListener('click', () => {
    close();
    onClose();
  });

  function fact(dl, key, value, className) {
    dl.append(el('dt', '', t(key)), el('dd', className || '', value === null || value === undefined || value === '' ? '—' : String(value)));
  }

  function render() {
    if (!current) {
      return;
    }
    const { kind, data } = current;
    panel.dataset.kind = kind;
    title.textContent = t(kind === 'house' ? 'place.house' : 'place.enterprise');
    const head = el('div', 'grid-head');
    head.append(el('span', 'grid-code num', kind === 'house' ? data.code : data.creditCode || data.credit_code),
      el('span', 'grid-name', kind === 'house' ? data.address || '' : data.name || ''));
    const dl = el('dl', 'grid-facts');
    if (current.state === 'loading') {
      body.replaceChildren(head, el('p', 'muted', t('grid.loading')));
      return;
    }
    if (kind === 'house') {
      fact(dl, 'place.use', data.use ? t('houseUse.' + data.use) : data.use);
      fact(dl, 'place.floor', data.floor, 'num');
      fact(dl, 'grid.code', data.gridCode, 'num');
      fact(dl, 'grid.community', data.communityName);
      fact(dl, 'grid.street', data.streetName);
      fact(dl, 'place.residents', formatNumber(data.residents), 'num');
    } else {
      fact(dl, 'place.industry', data.industry);
      fact(dl, 'place.legalPerson', data.legalPerson);
      fact(dl, 'place.address', data.address);
      fact(dl, 'grid.code', data.gridCode, 'num');
      fact(dl, 'grid.street', data.streetName);
    }
    const parts = [head, dl];
    if (kind === 'house') {
      parts.push(el('h3', '', t('place.residentList')));
      const list = el('ul', 'residents');
      const residents = current.residents;
      if (!residents) {
        list.append(el('li', 'muted', current.residentsError || t('grid.loading')));
      } else if (residents.items.length === 0) {
        list.append(el('li', 'muted', t('place.noResidents')));
      } else {
        for (const p of residents.items) {
          const li = el('li', 'resident');
          li.append(el('span', 'resident-name', p.name), el('span', 'resident-type', t('place.household.' + p.householdType)),
            el('span', 'resident-id num', p.idNumber || '—'), el('span', 'resident-phone num', p.phone || '—'),
            // the document the number belongs to (居民身份证, 护照 …), under the number
            el('span', 'resident-doc', t('place.idType.' + (p.idType || 'resident_id'))));
          list.append(li);
        }
      }
      parts.push(list);
      if (residents && residents.masked) {
        parts.push(el('p', 'panel-note', t('place.masked')));
      }
    }
    body.replaceChildren(...parts);
  }

  function show(kind, data) {
    current = { kind, data, state: 'loading' };
    panel.hidden = false;
    panel.dataset.state = 'loading';
    render();
  }

  function fill(kind, data) {
    if (!current || current.kind !== kind) {
      return;
    }
    current = { ...current, data: { ...current.data, ...data }, state: 'ready' };
    panel.dataset.state = 'ready';
    render();
  }

  function residents(answer, error) {
    if (!current || current.kind !== 'house') {
      return;
    }
    current.residents = answer;
    current.residentsError = error;
    panel.dataset.residents = answer ? String(answer.items.length) : 'error';
    render();
  }

  function fail(message) {
    panel.dataset.state = 'error';
    body.append(el('p', 'error', message));
  }

  function close() {
    current = null;
    panel.hidden = true;
    delete panel.dataset.state;
    delete panel.dataset.residents;
  }

  return { show, fill, residents, fail, close, rerender: render, get open() { return Boolean(current); } };
}

/**
 * The live ticker (#ticker): the latest case events, newest first, never more than 40 lines; and
 * the network's alarms as they go up or end (note).
 */
export function ticker() {
  const list = document.getElementById('ticker-list');
  const MAX = 40;
  function line(kind, text) {
    const li = el('li', 'ticker-item ticker-' + kind);
    const time = new Date();
    const two = (n) => String(n).padStart(2, '0');
    li.append(el('time', 'num', `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`),
      el('span', 'ticker-kind', t('wall.ticker.' + kind)), el('span', 'ticker-text', text));
    list.prepend(li);
    while (list.children.length > MAX) {
      list.lastElementChild.remove();
    }
    document.getElementById('ticker-empty').hidden = true;
    return li;
  }
  return {
    add(kind, c, text) {
      line(kind, text).dataset.caseId = c.id;
    },
    /** A line that is no case's: a link of the network gone into alarm or come back (kind alarm, recovered). */
    note(kind, text) {
      line(kind, text).title = text;
    },
  };
}
