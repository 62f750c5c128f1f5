// main: the map wall's start-up. Loads who is signed in, the district statistics, the area
// outlines and the grids (all limited by the server to the caller's scope), then wires the
// header, panels and map together. Test hook: body[data-grids-drawn] once the grids are drawn.

import { api } from '/assets/api.js';
import { applyI18n, bindLangSwitch, lang, t } from '/assets/i18n.js';
import { createWallMap } from './map.js';
import { gridPanel, notify, renderAreaList, renderKpis, renderMetric, renderUser } from './panels.js';

const state = { me: null, stats: null, area: null, list: { kind: 'streets', rows: [] } };

const wall = createWallMap(document.getElementById('map'), {
  onGridClick: openGrid,
  onHome: () => selectArea(null, false),
  obstacles: () => [...document.querySelectorAll('#map-side > :not([hidden]), .leaflet-top.leaflet-left')],
});
const panel = gridPanel(() => {
  wall.selectGrid(null);
  wall.relabel();
});
let gridRequest = null;

function errorText(err) {
  if (err.status === 0) {
    return t('error.network');
  }
  if (err.status === 403) {
    return t('error.forbidden', { message: err.message });
  }
  return t('error.generic', { status: err.status, message: err.message });
}

async function openGrid(code, props) {
  panel.show(props);
  wall.selectGrid(code);
  wall.relabel();
  if (gridRequest) {
    gridRequest.abort();
  }
  gridRequest = new AbortController();
  try {
    panel.fill(await api('/api/v1/grids/' + encodeURIComponent(code), { signal: gridRequest.signal }));
  } catch (err) {
    if (err.name !== 'AbortError') {
      panel.fail(errorText(err));
    }
  }
}

function closeGrid() {
  panel.close();
  wall.selectGrid(null);
  wall.relabel();
}

/** Marks a row of the area list and (unless fly is false) flies the map there; null: whole view. */
function selectArea(code, fly = true) {
  state.area = code;
  renderAreaList(state.list.kind, state.list.rows, code, selectArea);
  if (fly) {
    wall.focusArea(code);
  }
}

/** Per-area totals summed from the grids' counts: {code, name, grids, houses, persons, enterprises}. */
function sumGrids(grids, key, areas) {
  const rows = new Map(
    areas.features.map((f) => [f.properties.code, {
      code: f.properties.code,
      name: f.properties.name.replace(/居委会$/, ''),
      grids: 0,
      houses: 0,
      persons: 0,
      enterprises: 0,
    }]),
  );
  for (const { properties: p } of grids.features) {
    const row = rows.get(p[key]);
    if (row) {
      row.grids++;
      row.houses += p.houses;
      row.persons += p.persons;
      row.enterprises += p.enterprises;
    }
  }
  return [...rows.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * What the list beside the map shows: the streets with their totals from the statistics; for a
 * caller who sees one street, that street's communities instead (summed from its grids).
 */
function areaList(stats, streets, communities, grids) {
  const streetRows = stats ? stats.streets : sumGrids(grids, 'streetCode', streets);
  if (streetRows.length === 1 && communities.features.length > 0) {
    return { kind: 'communities', rows: sumGrids(grids, 'communityCode', communities) };
  }
  return { kind: 'streets', rows: streetRows };
}

function changeMetric(metric) {
  renderMetric(metric, wall.setMetric(metric), changeMetric);
}

function renderAll() {
  renderUser(state.me);
  renderKpis(state.stats ? state.stats.totals : null);
  renderAreaList(state.list.kind, state.list.rows, state.area, selectArea);
  renderMetric(wall.metric, wall.classes, changeMetric);
  panel.rerender();
  wall.refreshTooltips();
  tick();
}

/** The header clock: 2026-11-28 星期六 10:24:05 (weekday in the current language). */
function tick() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const weekday = new Intl.DateTimeFormat(lang(), { weekday: 'long' }).format(now);
  const time = `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  const clock = document.getElementById('clock');
  clock.dateTime = now.toISOString();
  clock.textContent = `${date}  ${weekday}  ${time}`;
}

async function signOut() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', redirectOnUnauthorized: false });
  } catch (err) {
    // the cookie is cleared or already gone; the login page is where we go either way
  }
  location.replace('/login');
}

async function start() {
  applyI18n();
  bindLangSwitch();
  document.addEventListener('langchange', renderAll);
  document.getElementById('sign-out').addEventListener('click', signOut);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      closeGrid();
    }
  });
  renderAll();
  setInterval(tick, 1000);

  // Each part is drawn with what came back; a failed part leaves a notice, not a blank wall.
  const [me, stats, district, streets, communities, grids] = await Promise.allSettled([
    api('/api/v1/me'),
    api('/api/v1/stats/district'),
    api('/api/v1/areas?level=district&format=geojson'),
    api('/api/v1/areas?level=street&format=geojson'),
    api('/api/v1/areas?level=community&format=geojson'),
    api('/api/v1/grids?format=geojson'),
  ]);
  const failed = [me, stats, district, streets, communities, grids].find((r) => r.status === 'rejected');
  if (failed) {
    notify(errorText(failed.reason));
  }
  state.me = me.value || null;
  state.stats = stats.value || null;
  const empty = { type: 'FeatureCollection', features: [] };
  const areas = {
    district: district.value || empty,
    streets: streets.value || empty,
    communities: communities.value || empty,
  };
  wall.drawAreas(areas);
  const drawn = wall.drawGrids(grids.value || empty);
  state.list = areaList(state.stats, areas.streets, areas.communities, grids.value || empty);
  wall.fitHome();
  renderAll();
  const status = document.getElementById('map-status');
  status.hidden = drawn > 0;
  status.textContent = t('map.gridsEmpty');
  status.dataset.i18n = 'map.gridsEmpty';
  document.body.dataset.gridsDrawn = String(drawn);
}

start();
