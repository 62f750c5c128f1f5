// exports: the 导出 panel a page puts where officers and command staff look at records. The choices
// (collection, format, street, DBF encoding) make a plain link to GET /api/v1/exports/{collection}:
// the browser downloads the file itself with the session cookie, streamed, never through page memory.
// Only the collections the signed-in role may read are offered (cases need cases.read).
// Test hook: the link is #export-link; its href is the export asked for.

import { addStrings, t } from '/assets/i18n.js';
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
    'exports.download': '导出下载',
    'exports.help': 'GeoPackage 与 Shapefile 先在服务器生成再下载，全区房屋约需数十秒；CSV 带 BOM，Excel 直接打开不乱码。',
    'exports.c.streets': '街道',
    'exports.c.communities': '社区',
    'exports.c.grids': '网格',
    'exports.c.houses': '房屋',
    'exports.c.enterprises': '企业',
    'exports.c.cases': '案件',
  },
  en: {
    'exports.title': 'Export data',
    'exports.hint': 'Within your data scope; opens in QGIS, ArcGIS or Excel',
    'exports.collection': 'Dataset',
    'exports.format': 'Format',
    'exports.street': 'Street',
    'exports.allStreets': 'All (within your scope)',
    'exports.encoding': 'Shapefile text encoding',
    'exports.download': 'Export',
    'exports.help': 'GeoPackage and Shapefile are built on the server first (tens of seconds for all houses); the CSV has a BOM so Excel reads the Chinese.',
    'exports.c.streets': 'Streets',
    'exports.c.communities': 'Communities',
    'exports.c.grids': 'Grids',
    'exports.c.houses': 'Houses',
    'exports.c.enterprises': 'Enterprises',
    'exports.c.cases': 'Cases',
  },
});

const COLLECTIONS = [
  ['houses', 'records.read'], ['enterprises', 'records.read'], ['grids', 'areas.read'],
  ['communities', 'areas.read'], ['streets', 'areas.read'], ['cases', 'cases.read'],
];
const FORMATS = [['gpkg', 'GeoPackage (.gpkg)'], ['shp', 'Shapefile (.zip)'], ['csv', 'CSV (Excel)'],
  ['xlsx', 'Excel (.xlsx)'], ['geojson', 'GeoJSON']];

/**
 * Fills `root` (an element of the page) with the export form for the signed-in user `me`
 * (/api/v1/me) and the streets of their scope [{code, name}]. Returns {render} to redraw on a
 * language change.
 */
export function exportPanel(root, me, streets) {
  const permissions = new Set(me.permissions || []);
  const state = { collection: 'houses', format: 'gpkg', street: '', encoding: 'GBK' };
  const offered = COLLECTIONS.filter(([, p]) => permissions.has(p)).map(([c]) => c);
  if (!offered.includes(state.collection)) {
    state.collection = offered[0];
  }
  const streetScoped = me.scope && me.scope.kind === 'street';

  function select(id, label, options, key) {
    const field = el('label', 'field');
    field.append(el('span', 'field-label', label));
    const s = el('select');
    s.id = id;
    for (const [value, text] of options) {
      const o = el('option', null, text);
      o.value = value;
      o.selected = value === state[key];
      s.append(o);
    }
    s.addEventListener('change', () => {
      state[key] = s.value;
      render();
    });
    field.append(s);
    return field;
  }

  function href() {
    const q = new URLSearchParams({ format: state.format });
    if (state.street) {
      q.set('street', state.street);
    }
    if (state.format === 'shp') {
      q.set('encoding', state.encoding);
    }
    return '/api/v1/exports/' + encodeURIComponent(state.collection) + '?' + q.toString();
  }

  function render() {
    root.replaceChildren();
    const title = el('div', 'panel-title');
    const h = el('h2', null, t('exports.title'));
    h.id = 'export-title';
    title.append(h, el('span', 'panel-hint', t('exports.hint')));
    const form = el('div', 'import-form export-form');
    const row = el('div', 'field-row');
    row.append(select('export-collection', t('exports.collection'), offered.map((c) => [c, t('exports.c.' + c)]), 'collection'),
      select('export-format', t('exports.format'), FORMATS, 'format'));
    form.append(row);
    if (!streetScoped && streets.length > 0) {
      form.append(select('export-street', t('exports.street'),
        [['', t('exports.allStreets')], ...streets.map((s) => [s.code, s.name + ' ' + s.code])], 'street'));
    }
    if (state.format === 'shp') {
      form.append(select('export-encoding', t('exports.encoding'), [['GBK', 'GBK'], ['UTF-8', 'UTF-8']], 'encoding'));
    }
    const link = el('a', 'btn btn-primary submit', t('exports.download'));
    link.id = 'export-link';
    link.href = href();
    link.setAttribute('download', '');
    form.append(link, el('p', 'field-help', t('exports.help')));
    root.append(title, form);
  }

  render();
  return { render };
}
