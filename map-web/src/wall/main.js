// main: the map wall's start-up and its live loop. Loads who is signed in, the map settings, the
// district statistics, the area names, the grids' counts and the open cases (all limited by the
// server to the caller's scope), draws the vector-tile map, then keeps everything current:
// case events over SSE (new cases pulse on the map, the ticker and the charts follow), the tile
// change feed (changed tiles are fetched again), and a slow refresh of the KPIs.
//
// What the wall shows follows the node it runs on (/api/v1/me, node: code, level, name): a district
// node its district and streets, a street node its street and communities, a city node its
// districts, filled by what the city holds of each (zero until their records come by sync). The
// header names the platform. Where the node is in the exchange's network, the wall shows its links
// too (wall/network.js): the one above in the header, each street's (a city: district's) on the map
// and in the network card, and the alarms over the map.
//
// Test hooks: body[data-node-level] (city, district or street, once /api/v1/me answered),
// body[data-districts-drawn] (at a city: how many districts are on the map),
// body[data-grids-drawn] (grid codes drawn once the first tiles are in),
// body[data-grids-drawn-ms] (when they were, in ms since navigation start: bench/wall),
// body[data-live=open|connecting], body[data-live-resets] (how many stream.reset the wall acted on),
// window.gridctlWall (map and counters, for the browser tests).

import { api } from '/assets/api.js';
import { applyI18n, bindLangSwitch, lang, t } from '/assets/i18n.js';
import './i18n.js';
import { el } from '/assets/dom.js';
import { renderNodeTitle, renderUser, signOut, tick as clockTick } from '/assets/header.js';
import { caseEvents } from '/assets/live.js';
import { exportButton } from '/assets/exportmenu.js';
import { allOf, inArea, openCases } from '/assets/exportfilters.js';
import { caseCharts } from './charts.js';
import { caseLine, liveCases } from './livecases.js';
import { createWallMap } from './map.js';
import { fitFigures, gridPanel, notify, placePanel, renderAppLinks, renderAreaList, renderKpis, renderMetric, ticker } from './panels.js';
import { searchBox } from './search.js';
import { networkView, PERMISSION as LINKS_PERMISSION } from './network.js';

const L = window.L;
/** How often the wall asks where tiles changed (imports, grid edits) and re-reads the case KPIs. */
const TILE_POLL_MS = 20000;
const KPI_REFRESH_MS = 60000;
/** Case events come in bursts; the per-grid counts are re-read at most this often. */
const COUNTS_DEBOUNCE_MS = 1500;
/**
 * And the KPIs and the charts are redrawn at most this often: each redraw counts every case shown,
 * and a burst (the failover drill reports 200 cases a second) redrawn event by event keeps the page
 * so busy that it reads its event stream late.
 */
const CASES_RENDER_MS = 250;
const DAY_MS = 24 * 3600 * 1000;

const state = {
  me: null,
  stats: null,
  area: null,
  list: { kind: 'streets', rows: [] },
  streets: [],
  areaNames: new Map(), // code → name of every district, street and community shown
  gridStreet: new Map(), // grid code → street code
  caseCounts: [],
  caseKpis: null,
  tileVersion: null,
};

let wall = null;
let cases = null;
let charts = null;
const panel = gridPanel(() => {
  wall.selectGrid(null);
  gridExport?.close();
});
const place = placePanel(() => {});
const tick = ticker();
let gridRequest = null;
let placeRequest = null;
let network = null;
let areaExport = null;
let gridExport = null;

function errorText(err) {
  if (err.status === 0) {
    return t('error.network');
  }
  if (err.status === 403) {
    return t('error.forbidden', { message: err.message });
  }
  return t('error.generic', { status: err.status, message: err.message });
}

// ── details ──

async function openGrid(code) {
  place.close();
  gridExport?.close();
  const known = wall.gridValues(code);
  panel.show({ code, ...(known || {}) });
  gridExport?.render();
  if (gridRequest) {
    gridRequest.abort();
  }
  gridRequest = new AbortController();
  const signal = gridRequest.signal;
  try {
    const [detail, open] = await Promise.all([
      api('/api/v1/grids/' + encodeURIComponent(code), { signal }),
      state.me && state.me.permissions.includes('cases.read')
        ? api(`/api/v1/cases?grid=${encodeURIComponent(code)}&open=true&limit=8`, { signal })
        : Promise.resolve({ items: [] }),
    ]);
    panel.fill(detail);
    panel.cases(open.items);
    wall.selectGrid(code, detail.geometry);
  } catch (err) {
    if (err.name !== 'AbortError') {
      panel.fail(errorText(err));
    }
  }
}

async function openPlace(kind, props) {
  panel.close();
  gridExport?.close();
  wall.selectGrid(null);
  if (placeRequest) {
    placeRequest.abort();
  }
  placeRequest = new AbortController();
  const signal = placeRequest.signal;
  try {
    if (kind === 'house') {
      place.show('house', { code: props.code, use: props.use });
      const code = encodeURIComponent(props.code);
      const [house, residents] = await Promise.allSettled([
        api('/api/v1/houses/' + code, { signal }),
        api(`/api/v1/persons?house=${code}&limit=50`, { signal }),
      ]);
      if (house.status === 'rejected') {
        throw house.reason;
      }
      place.fill('house', house.value);
      place.residents(residents.value || null, residents.status === 'rejected' ? errorText(residents.reason) : null);
    } else {
      place.show('enterprise', { creditCode: props.credit_code, name: props.name });
      place.fill('enterprise', await api('/api/v1/enterprises/' + encodeURIComponent(props.credit_code), { signal }));
    }
  } catch (err) {
    if (err.name !== 'AbortError') {
      place.fail(errorText(err));
    }
  }
}

function closeDetails() {
  panel.close();
  gridExport?.close();
  place.close();
  wall.selectGrid(null);
}

/** A search result: fly there and open what it names. */
function pickResult(item) {
  if (item.kind === 'street' || item.kind === 'community') {
    selectArea(item.code);
  } else if (item.kind === 'grid') {
    wall.flyToBox(item.bbox);
    openGrid(item.code);
  } else if (item.kind === 'house') {
    wall.flyTo(item.lat, item.lon, 17.5);
    openPlace('house', { code: item.code, use: item.use });
  } else if (item.kind === 'enterprise') {
    wall.flyTo(item.lat, item.lon, 16.5);
    openPlace('enterprise', { credit_code: item.code, name: item.name });
  }
}

/** Marks a row of the area list and (unless fly is false) flies the map there; null: whole view. */
function selectArea(code, fly = true) {
  state.area = code;
  renderAreaList(state.list.kind, state.list.rows, code, selectArea);
  areaExport?.render();
  if (fly) {
    wall.focusArea(code);
  }
}

// ── exports ──

/** What the wall exports of an area, in the menu's order: its records, the open cases it shows, and all its cases. */
const AREA_DATASETS = ['houses', 'enterprises', 'grids', 'communities', 'streets', 'openCases', 'cases'];

/**
 * The export scope (assets/exportmenu.js) of an area: a district, street, community or grid code, or
 * null for the whole scope; each dataset the area holds, with the street and filter that keep its
 * records (assets/exportfilters.js).
 */
function exportScope(code, label) {
  const datasets = [];
  for (const key of AREA_DATASETS) {
    const collection = key === 'openCases' ? 'cases' : key;
    const where = inArea(collection, code);
    if (where) {
      const filter = key === 'openCases' ? allOf(where.filter, openCases()) : where.filter;
      datasets.push({ key, collection, street: where.street, filter });
    }
  }
  return { label, tag: code && code.length !== 9 ? code : null, datasets };
}

/** The export buttons of the area list and the grid panel, for a role that may export. */
function startExports() {
  areaExport = exportButton(document.getElementById('area-export-slot'), {
    id: 'area-export',
    me: state.me,
    scope: () => exportScope(state.area, state.area ? state.areaNames.get(state.area) || state.area : t('exports.wholeScope')),
  });
  gridExport = exportButton(document.getElementById('grid-export-slot'), {
    id: 'grid-export',
    me: state.me,
    scope: () => (panel.code ? exportScope(panel.code, t('grid.exportScope', { code: panel.code })) : { datasets: [] }),
  });
}

// ── the lists and counts ──

/** Per-area totals summed from the grids' counts: {code, name, grids, houses, persons, enterprises}. */
function sumGrids(grids, key, areas) {
  const rows = new Map(areas.map((a) => [a.code, {
    code: a.code, name: a.name.replace(/居委会$/, ''), grids: 0, houses: 0, persons: 0, enterprises: 0,
  }]));
  for (const g of grids) {
    const row = rows.get(g[key]);
    if (row) {
      row.grids++;
      row.houses += g.houses;
      row.persons += g.persons;
      row.enterprises += g.enterprises;
    }
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** The streets with their totals; for a caller who sees one street, its communities instead. */
function areaList(stats, streets, communities, grids) {
  const streetRows = stats ? stats.streets : sumGrids(grids, 'streetCode', streets);
  if (streetRows.length === 1 && communities.length > 0) {
    return { kind: 'communities', rows: sumGrids(grids, 'communityCode', communities) };
  }
  return { kind: 'streets', rows: streetRows };
}

/** Open and overdue cases per street, summed from the per-grid counts. */
function streetCaseRows() {
  const rows = new Map(state.streets.map((s) => [s.code, { name: s.name, open: 0, overdue: 0 }]));
  for (const c of state.caseCounts) {
    const row = rows.get(state.gridStreet.get(c.grid));
    if (row) {
      row.open += c.open;
      row.overdue += c.overdue;
    }
  }
  return [...rows.values()];
}

function caseKpiValues() {
  const summary = cases ? cases.summary() : null;
  const overdue = state.caseCounts.reduce((n, c) => n + c.overdue, 0);
  const open = state.caseCounts.reduce((n, c) => n + c.open, 0);
  const k = state.caseKpis;
  return {
    openCases: summary ? Math.max(open, summary.drawn) : open,
    overdueCases: overdue,
    closure: k ? k.closure.value : null,
    onTimeClosure: k ? k.onTimeClosure.value : null,
  };
}

let countsTimer = 0;
let countsAt = 0;
/** Re-reads the per-grid case counts soon (bursts of events make one request). */
function countsSoon() {
  if (countsTimer) {
    return;
  }
  const wait = Math.max(0, COUNTS_DEBOUNCE_MS - (Date.now() - countsAt));
  countsTimer = setTimeout(async () => {
    countsTimer = 0;
    countsAt = Date.now();
    await loadCaseCounts();
  }, wait);
}

async function loadCaseCounts() {
  try {
    state.caseCounts = (await api('/api/v1/cases/by-grid')).items;
    wall.setCaseCounts(state.caseCounts);
    renderCases();
  } catch (err) {
    notify(errorText(err));
  }
}

async function loadCaseKpis() {
  try {
    const from = new Date(Date.now() - 30 * DAY_MS).toISOString();
    state.caseKpis = (await api('/api/v1/cases/kpis?by=street&from=' + encodeURIComponent(from))).total;
    renderCases();
  } catch (err) {
    // the KPIs are a panel, not the wall: keep the last ones and say so
    notify(errorText(err));
  }
}

function renderCases() {
  renderKpis(state.stats ? state.stats.totals : null, caseKpiValues());
  if (charts && cases) {
    charts.phases(cases.summary());
    charts.streets(streetCaseRows());
  }
  if (wall && (wall.metric === 'openCases' || wall.metric === 'overdueCases')) {
    renderMetric(wall.metric, wall.classes, changeMetric);
  }
}

let casesRenderTimer = 0;
/** Redraws the case figures soon: one redraw for the events of a burst. */
function renderCasesSoon() {
  if (!casesRenderTimer) {
    casesRenderTimer = setTimeout(() => {
      casesRenderTimer = 0;
      renderCases();
    }, CASES_RENDER_MS);
  }
}

function changeMetric(metric) {
  renderMetric(metric, wall.setMetric(metric), changeMetric);
}

function renderLayerSwitch() {
  const box = document.getElementById('layer-switch');
  box.querySelectorAll('input[type=checkbox]').forEach((input) => {
    input.onchange = () => {
      if (input.name === 'cases') {
        cases.show(input.checked);
      } else {
        wall.showLayer(input.name, input.checked);
      }
    };
  });
}

/** At a city: each district with what the city holds of it (zero before its records come by sync). */
function districtRows(stats, districts) {
  const counted = new Map((stats && stats.districts ? stats.districts : []).map((d) => [d.code, d]));
  return districts.map((d) => counted.get(d.code)
    || { code: d.code, name: d.name, grids: 0, houses: 0, persons: 0, enterprises: 0 });
}

function renderAll() {
  renderNodeTitle(state.me);
  renderUser(state.me);
  renderAppLinks(state.me);
  renderAreaList(state.list.kind, state.list.rows, state.area, selectArea);
  if (wall) {
    renderMetric(wall.metric, wall.classes, changeMetric);
    wall.refreshTooltip();
  }
  panel.rerender();
  place.rerender();
  areaExport?.render();
  gridExport?.render();
  if (network) {
    network.rerender();
  }
  renderCases();
  clockTick();
}

// ── live ──

function startLive() {
  caseEvents((event) => {
    cases.handle(event);
    countsSoon();
  }, (status, recovered) => {
    document.body.dataset.live = status;
    document.getElementById('live-state').dataset.state = status;
    document.getElementById('live-state').textContent = t('wall.live.' + status);
    if (recovered) {
      // events may have been missed while the stream was down
      cases.reload().catch(() => {});
      loadCaseCounts();
    }
  }, () => {
    // the server could not replay what the wall missed: the cases, their counts and the KPIs afresh
    document.body.dataset.liveResets = String(Number(document.body.dataset.liveResets || 0) + 1);
    cases.reload().catch(() => {});
    loadCaseCounts();
    loadCaseKpis();
  });
}

/** Asks where tile data changed since the last answer and refreshes those layers. */
async function pollTileChanges() {
  try {
    const since = state.tileVersion === null ? '' : '?since=' + state.tileVersion;
    const answer = await api('/tiles/changes' + since);
    const first = state.tileVersion === null;
    state.tileVersion = answer.version;
    if (first) {
      return;
    }
    const layers = answer.reload ? ['district', 'streets', 'communities', 'grids', 'houses', 'enterprises']
      : [...new Set(answer.changes.map((c) => c.layer))];
    if (layers.length) {
      wall.refreshLayers(layers);
      if (layers.includes('grids')) {
        loadGrids();
      }
    }
  } catch (err) {
    // the next poll tries again
  }
}

async function loadGrids() {
  const grids = await api('/api/v1/grids?limit=5000');
  state.gridStreet = new Map(grids.items.map((g) => [g.code, g.streetCode]));
  wall.setGrids(grids.items);
  return grids.items;
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', () => signOut());
  // the KPI cards narrow with the window: their figures are fitted again
  window.addEventListener('resize', () => fitFigures());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      closeDetails();
    }
  });
  setInterval(clockTick, 1000);
  clockTick();
  renderKpis(null);

  let config = { baseMap: null };
  try {
    config = await api('/api/v1/map-config');
  } catch (err) {
    notify(errorText(err));
  }
  wall = createWallMap(document.getElementById('map'), {
    onGridClick: openGrid,
    onHouseClick: (props) => openPlace('house', props),
    onEnterpriseClick: (props) => openPlace('enterprise', props),
    onHome: () => selectArea(null, false),
    obstacles: () => [...document.querySelectorAll('#map-side > :not([hidden]), .leaflet-top.leaflet-left, #link-alarms:not([hidden])')],
  }, config.baseMap, config.bounds);
  cases = liveCases(wall.map, {
    onChange: renderCasesSoon,
    onEvent: (kind, c) => tick.add(kind, c, caseLine(c)),
    // the popup gets an element holding the line as text: a title from a peer system is data, not markup
    onClick: (c) => L.popup({ className: 'case-popup' }).setLatLng([c.lat, c.lon])
      .setContent(el('div', 'case-line', caseLine(c))).openOn(wall.map),
  });
  charts = caseCharts(document.getElementById('chart-phases'), document.getElementById('chart-streets'));
  searchBox({
    input: document.getElementById('search'),
    list: document.getElementById('search-results'),
    onPick: pickResult,
    onError: (err) => notify(errorText(err)),
  });
  renderLayerSwitch();
  // the cards over the map change size (the legend fills, the network card comes): a whole view follows
  const cards = new ResizeObserver(() => wall.keepHome());
  document.querySelectorAll('#map-side .metric-card, #network-card').forEach((card) => cards.observe(card));
  // For bench/wall: when the first full view of grids is on the canvas, in ms since navigation start.
  wall.gridsLoaded().then(() => { document.body.dataset.gridsDrawnMs = String(Math.round(performance.now())); });
  window.gridctlWall = {
    map: wall.map,
    drawnGridCodes: wall.drawnGridCodes,
    layers: wall.layers,
    cases: () => cases.summary(),
  };

  // Each part is drawn with what came back; a failed part leaves a notice, not a blank wall.
  const [me, stats, district, streets, communities, grids] = await Promise.allSettled([
    api('/api/v1/me'),
    api('/api/v1/stats/district'),
    api('/api/v1/areas?level=district'),
    api('/api/v1/areas?level=street'),
    api('/api/v1/areas?level=community'),
    loadGrids(),
  ]);
  const failed = [me, stats, district, streets, communities, grids].find((r) => r.status === 'rejected');
  if (failed) {
    notify(errorText(failed.reason));
  }
  state.me = me.value || null;
  state.stats = stats.value || null;
  const items = (r) => (r.value ? r.value.items : []);
  const level = state.me && state.me.node ? state.me.node.level : 'district';
  document.body.dataset.nodeLevel = level;
  state.streets = items(streets);
  for (const a of [...items(district), ...items(streets), ...items(communities)]) {
    state.areaNames.set(a.code, a.name);
  }
  if (level === 'city') {
    await drawCity(items(district), items(streets), items(communities));
  } else {
    wall.drawAreas({ district: items(district), streets: items(streets), communities: items(communities) });
    state.list = areaList(state.stats, items(streets), items(communities), grids.value || []);
  }
  if (state.me) {
    startExports();
  }
  renderAll();
  // once the cards over the map are filled: the whole view goes into the part of the map they leave
  wall.fitHome();

  if (state.me && state.me.permissions.includes(LINKS_PERMISSION)) {
    network = networkView({ wall, onAlarm: (kind, text) => tick.note(kind, text), onError: (err) => notify(errorText(err)) });
  }

  const canReadCases = Boolean(state.me && state.me.permissions.includes('cases.read'));
  document.body.classList.toggle('no-cases', !canReadCases);
  if (canReadCases) {
    await Promise.allSettled([cases.reload(), loadCaseCounts(), loadCaseKpis()]);
    startLive();
    setInterval(loadCaseKpis, KPI_REFRESH_MS);
  }
  pollTileChanges();
  setInterval(pollTileChanges, TILE_POLL_MS);

  if (level === 'city') {
    // the districts are the city's map; grids are drawn as the records of each come by sync
    showMapStatus(state.stats && state.stats.totals.grids > 0 ? null : 'map.awaitingSync');
    return;
  }
  await wall.gridsLoaded();
  const drawn = wall.drawnGridCodes().length;
  showMapStatus(drawn > 0 ? null : level === 'street' ? 'map.awaitingSync' : 'map.gridsEmpty');
  document.body.dataset.gridsDrawn = String(drawn);
}

/** The notice over the map (null hides it). */
function showMapStatus(key) {
  const status = document.getElementById('map-status');
  status.hidden = key === null;
  if (key) {
    status.textContent = t(key);
    status.dataset.i18n = key;
  }
}

/** A city's wall: its districts outlined, named, filled by persons, and listed beside the map. */
async function drawCity(districts, streets, communities) {
  const [city, outlines] = await Promise.allSettled([
    api('/api/v1/areas?level=city'),
    api('/api/v1/areas?level=district&format=geojson'),
  ]);
  if (city.status === 'rejected' || outlines.status === 'rejected') {
    notify(errorText((city.status === 'rejected' ? city : outlines).reason));
  }
  const rows = districtRows(state.stats, districts);
  wall.drawAreas({
    district: [...(city.value ? city.value.items : []), ...districts], streets, communities, named: districts,
  });
  const drawn = wall.drawDistricts(outlines.value || { type: 'FeatureCollection', features: [] }, rows);
  document.body.dataset.districtsDrawn = String(drawn);
  state.list = { kind: 'districts', rows };
}

start();

