// exports: taking records away as a file (导出), the one way every page does it. The file is
// GET /api/v1/exports/{collection}?format=&street=&encoding=&filter=, asked with the page's own
// session (fetch, same origin, the cookie every API call of the page carries), so that a refusal
// comes back as the server's error and is shown in the page's language rather than as a broken
// download; a file that comes is handed to the browser's downloads under the server's name.
//
// Here: what a role may export, as the server checks it (the route needs records.read, and each
// collection its own permission: cases need cases.read), the export's URL, the download and its
// outcome, the words of a refusal; and exportPanel, the 数据导出 panel of the import page (any
// collection of any street in the scope). The 导出 button a page puts where it shows records, with
// what it shows as the scope, is exportmenu.js; the CQL2 text that says what a page shows where the
// API's street= cannot is exportfilters.js.
//
// Test hooks: the panel's link is #export-link (its href is the export asked for); the panel and
// every menu carry data-state (idle, running, done, error, cancelled), data-url (the last export
// asked) and data-file (the last file's name).

import { ApiError, failure } from '/assets/api.js';
import { addStrings, formatNumber, lang, t } from '/assets/i18n.js';
import { el } from '/assets/dom.js';

addStrings({
  'zh-CN': {
    'exports.title': '数据导出',
    'exports.hint': '按当前权限范围导出，可直接用 QGIS / ArcGIS / Excel 打开',
    'exports.collection': '数据集',
    'exports.format': '格式',
    'exports.street': '街道',
    'exports.allStreets': '全部（权限范围内）',
    'exports.encoding': 'Shapefile 文字编码',
    'exports.encoding.GBK': 'GBK（ArcGIS 等中文软件默认）',
    'exports.encoding.UTF-8': 'UTF-8',
    'exports.download': '导出下载',
    'exports.help': 'GeoPackage 与 Shapefile 先在服务器生成再下载，全区房屋约需数十秒；CSV 带 BOM，Excel 直接打开不乱码。',
    'exports.c.streets': '街道',
    'exports.c.communities': '社区',
    'exports.c.grids': '网格',
    'exports.c.houses': '房屋',
    'exports.c.enterprises': '企业',
    'exports.c.cases': '案件',
    'exports.c.openCases': '在办案件',
    'exports.button': '导出',
    'exports.buttonTitle': '将当前显示的记录导出为文件',
    'exports.menuTitle': '导出数据',
    'exports.close': '关闭',
    'exports.scope': '范围：{scope}',
    'exports.wholeScope': '权限范围内全部',
    'exports.cancel': '取消',
    'exports.running': '正在生成文件…',
    'exports.done': '已下载 {name}（{size}）',
    'exports.cancelled': '已取消导出',
    'exports.error.forbidden': '无权导出：{message}',
    'exports.error.badRequest': '导出条件有误：{message}',
    'exports.error.filter': '筛选条件无法用于导出：{message}',
    'exports.error.notFound': '没有可导出的数据：{message}',
    'exports.error.tooLarge': '数据量超过 Shapefile 格式的上限，请改用 GeoPackage 或 CSV 导出',
    'exports.error.busy': '导出请求过多，请稍后再试',
    'exports.error.broken': '导出中断，文件不完整，请重试',
    'exports.error.session': '登录已过期，请重新登录后导出',
  },
  en: {
    'exports.title': 'Export data',
    'exports.hint': 'Within your data scope; opens in QGIS, ArcGIS or Excel',
    'exports.collection': 'Dataset',
    'exports.format': 'Format',
    'exports.street': 'Street',
    'exports.allStreets': 'All (within your scope)',
    'exports.encoding': 'Shapefile text encoding',
    'exports.encoding.GBK': 'GBK (default of Chinese ArcGIS)',
    'exports.encoding.UTF-8': 'UTF-8',
    'exports.download': 'Export',
    'exports.help': 'GeoPackage and Shapefile are built on the server first (tens of seconds for all houses); the CSV has a BOM so Excel reads the Chinese.',
    'exports.c.streets': 'Streets',
    'exports.c.communities': 'Communities',
    'exports.c.grids': 'Grids',
    'exports.c.houses': 'Houses',
    'exports.c.enterprises': 'Enterprises',
    'exports.c.cases': 'Cases',
    'exports.c.openCases': 'Open cases',
    'exports.button': 'Export',
    'exports.buttonTitle': 'Export the records shown as a file',
    'exports.menuTitle': 'Export data',
    'exports.close': 'Close',
    'exports.scope': 'Scope: {scope}',
    'exports.wholeScope': 'everything in your scope',
    'exports.cancel': 'Cancel',
    'exports.running': 'Building the file…',
    'exports.done': 'Downloaded {name} ({size})',
    'exports.cancelled': 'Export cancelled',
    'exports.error.forbidden': 'You may not export this: {message}',
    'exports.error.badRequest': 'The export was refused: {message}',
    'exports.error.filter': 'The filter cannot be used for an export: {message}',
    'exports.error.notFound': 'Nothing to export: {message}',
    'exports.error.tooLarge': 'Too much data for a Shapefile; export as GeoPackage or CSV instead',
    'exports.error.busy': 'Too many exports at once; try again shortly',
    'exports.error.broken': 'The export broke off and the file is incomplete; try again',
    'exports.error.session': 'Your session has ended; sign in again to export',
  },
});

/** The collections in the panel's order, with the permission each needs beyond the route's records.read. */
const COLLECTIONS = [
  ['houses', 'records.read'], ['enterprises', 'records.read'], ['grids', 'areas.read'],
  ['communities', 'areas.read'], ['streets', 'areas.read'], ['cases', 'cases.read'],
];
const PERMISSION = new Map(COLLECTIONS);
/** What the route itself needs (server: Routes, GET /api/v1/exports/:collection). */
const ROUTE_PERMISSION = 'records.read';
export const FORMATS = [['gpkg', 'GeoPackage (.gpkg)'], ['shp', 'Shapefile (.zip)'], ['csv', 'CSV (Excel)'],
  ['xlsx', 'Excel (.xlsx)'], ['geojson', 'GeoJSON']];
export const ENCODINGS = ['GBK', 'UTF-8'];

/** Whether the signed-in user `me` (/api/v1/me) may export collection, as the server decides it. */
export function mayExport(me, collection) {
  const permissions = new Set((me && me.permissions) || []);
  return permissions.has(ROUTE_PERMISSION) && permissions.has(PERMISSION.get(collection));
}

/** The export's URL: {collection, format, street ('' or absent: the whole scope), encoding (Shapefile), filter (CQL2 text)}. */
export function exportUrl({ collection, format, street, encoding, filter }) {
  const q = new URLSearchParams({ format });
  if (street) {
    q.set('street', street);
  }
  if (format === 'shp') {
    q.set('encoding', encoding || 'GBK');
  }
  if (filter) {
    q.set('filter', filter);
  }
  return '/api/v1/exports/' + encodeURIComponent(collection) + '?' + q.toString();
}

/** The file name a Content-Disposition header gives (its UTF-8 filename* first), or null. */
function dispositionName(header) {
  if (!header) {
    return null;
  }
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch (e) {
      // a malformed name: the plain one below
    }
  }
  const plain = /filename="([^"]*)"/i.exec(header);
  return plain ? plain[1] : null;
}

/** The server's name with a tag of what was filtered before the extension: 房屋-440105001.gpkg → 房屋-440105001003001.gpkg. */
function taggedName(name, tag) {
  if (!tag) {
    return name;
  }
  const dot = name.lastIndexOf('.');
  const base = (dot < 0 ? name : name.slice(0, dot)).split('-')[0];
  return base + '-' + tag + (dot < 0 ? '' : name.slice(dot));
}

/**
 * Downloads the export at url into the browser's downloads. Resolves with {name, size} once the
 * file is saved; rejects with the server's error as an ApiError (status 0: no answer, or the
 * answer broke off), or an AbortError when signal aborts. tag, when given, goes into the file name.
 * The file is in the page as a Blob (the browser keeps a large one on disk) until it is saved.
 */
export async function downloadExport(url, { signal, tag } = {}) {
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal });
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'network', e.message);
  }
  if (!response.ok) {
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      // not the error shape: the status says it
    }
    throw failure(response, data);
  }
  let blob;
  try {
    blob = await response.blob();
  } catch (e) {
    if (e.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'broken', e.message); // the server cuts the connection when an export fails midway
  }
  const name = taggedName(dispositionName(response.headers.get('Content-Disposition')) || 'export', tag);
  const href = URL.createObjectURL(blob);
  const link = el('a');
  link.href = href;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
  return { name, size: blob.size };
}

/** A refused or failed export as a sentence in the page's language, with the server's reason where it gave one. */
export function exportErrorText(err) {
  const d = err && err.details;
  if (d && (d.zh || d.en)) {
    return lang() === 'en' ? d.en || d.zh : d.zh || d.en;
  }
  const message = err ? err.message : '';
  if (!err || err.status === 0) {
    return t(err && err.code === 'broken' ? 'exports.error.broken' : 'error.network');
  }
  if (err.status === 401) {
    return t('exports.error.session');
  }
  if (err.status === 403) {
    return t('exports.error.forbidden', { message });
  }
  if (err.status === 404) {
    return t('exports.error.notFound', { message });
  }
  if (err.status === 429) {
    return t('exports.error.busy');
  }
  if (err.status === 400 && err.code === 'export_too_large') {
    return t('exports.error.tooLarge');
  }
  if (err.status === 400 && err.code === 'invalid_filter') {
    return t('exports.error.filter', { message });
  }
  if (err.status === 400) {
    return t('exports.error.badRequest', { message });
  }
  return t('error.generic', { status: err.status, message });
}

/** 12.3 MB, 845 KB, 320 B. */
function formatSize(bytes) {
  if (bytes >= 1024 * 1024) {
    return formatNumber(bytes / 1024 / 1024, 1) + ' MB';
  }
  return bytes >= 1024 ? formatNumber(bytes / 1024, 0) + ' KB' : formatNumber(bytes) + ' B';
}

/**
 * One export at a time from one place of a page, and what became of it: `host` carries data-state
 * (idle, running, done, error), data-url and data-file; `status` shows it as text. render() redraws
 * the text (a language change).
 */
export function downloader(host, status, onChange = () => {}) {
  let last = { state: 'idle' };
  let controller = null;

  function render() {
    host.dataset.state = last.state;
    status.classList.toggle('notice', last.state === 'error');
    status.setAttribute('role', last.state === 'error' ? 'alert' : 'status');
    status.hidden = last.state === 'idle';
    if (last.state === 'running') {
      status.textContent = t('exports.running');
    } else if (last.state === 'done') {
      status.textContent = t('exports.done', { name: last.name, size: formatSize(last.size) });
    } else if (last.state === 'error') {
      status.textContent = exportErrorText(last.error);
    } else if (last.state === 'cancelled') {
      status.textContent = t('exports.cancelled');
    }
    onChange(last.state);
  }

  async function start(url, tag) {
    cancel();
    const mine = new AbortController();
    controller = mine;
    host.dataset.url = url;
    delete host.dataset.file;
    last = { state: 'running' };
    render();
    try {
      const file = await downloadExport(url, { signal: mine.signal, tag });
      last = { state: 'done', ...file };
      host.dataset.file = file.name;
    } catch (e) {
      if (mine.signal.aborted) {
        return; // cancelled, or replaced by the next export
      }
      last = { state: 'error', error: e };
    } finally {
      if (controller === mine) {
        controller = null;
      }
    }
    render();
  }

  function cancel() {
    if (controller) {
      controller.abort();
      controller = null;
      last = { state: 'cancelled' };
      render();
    }
  }

  return { start, cancel, render, running: () => controller !== null };
}

/** A labelled select of [value, text] options; onChange(value). */
export function select(id, label, options, value, onChange) {
  const field = el('label', 'field');
  field.append(el('span', 'field-label', label));
  const s = el('select');
  s.id = id;
  for (const [v, text] of options) {
    const o = el('option', null, text);
    o.value = v;
    o.selected = v === value;
    s.append(o);
  }
  s.addEventListener('change', () => onChange(s.value));
  field.append(s);
  return field;
}

/**
 * Fills `root` (an element of the page) with the export form for the signed-in user `me`
 * (/api/v1/me) and the streets of their scope [{code, name}]. Returns {render} to redraw on a
 * language change.
 */
export function exportPanel(root, me, streets) {
  const state = { collection: 'houses', format: 'gpkg', street: '', encoding: 'GBK' };
  const offered = COLLECTIONS.map(([c]) => c).filter((c) => mayExport(me, c));
  if (!offered.includes(state.collection)) {
    state.collection = offered[0];
  }
  const streetScoped = me.scope && me.scope.kind === 'street';
  const status = el('p', 'field-help export-status');
  status.id = 'export-status';
  const download = downloader(root, status);

  function choose(key) {
    return (value) => {
      state[key] = value;
      render();
    };
  }

  function render() {
    root.replaceChildren();
    const title = el('div', 'panel-title');
    const h = el('h2', null, t('exports.title'));
    h.id = 'export-title';
    title.append(h, el('span', 'panel-hint', t('exports.hint')));
    if (offered.length === 0) {
      root.hidden = true;
      return;
    }
    const form = el('div', 'import-form export-form');
    const row = el('div', 'field-row');
    row.append(select('export-collection', t('exports.collection'), offered.map((c) => [c, t('exports.c.' + c)]),
      state.collection, choose('collection')),
    select('export-format', t('exports.format'), FORMATS, state.format, choose('format')));
    form.append(row);
    if (!streetScoped && streets.length > 0) {
      form.append(select('export-street', t('exports.street'),
        [['', t('exports.allStreets')], ...streets.map((s) => [s.code, s.name + ' ' + s.code])], state.street, choose('street')));
    }
    if (state.format === 'shp') {
      form.append(select('export-encoding', t('exports.encoding'), ENCODINGS.map((e) => [e, t('exports.encoding.' + e)]),
        state.encoding, choose('encoding')));
    }
    // a plain link still (open in a new tab, copy the address); a click downloads it here, so a refusal is shown
    const link = el('a', 'btn btn-primary submit', t('exports.download'));
    link.id = 'export-link';
    link.href = exportUrl(state);
    link.setAttribute('download', '');
    link.addEventListener('click', (e) => {
      e.preventDefault();
      download.start(link.getAttribute('href'));
    });
    form.append(link, status, el('p', 'field-help', t('exports.help')));
    root.append(title, form);
    download.render();
  }

  render();
  return { render };
}
