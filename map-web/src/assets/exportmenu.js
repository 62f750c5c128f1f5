// exportmenu: the 导出 button of a place that shows records — the wall's area list and grid panel,
// the desk's queue — and its menu: dataset, format, a Shapefile's text encoding, then the download
// (exports.js). What is exported is what the place shows when the menu opens (its scope): the
// datasets the role may export, each with the export API's street and, where that cannot say it, a
// CQL2 filter (exportfilters.js), sent with the download.
//
// Test hooks: besides exports.js's, a menu carries data-filter (sent or none) and data-filter-text
// (the CQL2 text of the dataset chosen).

import { el } from '/assets/dom.js';
import { t } from '/assets/i18n.js';
import { ENCODINGS, FORMATS, downloader, exportUrl, mayExport, select } from '/assets/exports.js';

let openMenu = null;

/**
 * The 导出 button of a place that shows records, put into `host` (a panel's title bar), with its
 * menu: dataset, format, a Shapefile's text encoding, then the download. `id` names the button;
 * its menu is `${id}-menu` and the menu's parts `${id}-collection`, `-format`, `-encoding`,
 * `-download`, `-cancel`, `-status`. scope() tells what the place shows when the menu opens:
 *   { label: the scope as the menu states it ('赤岗街道', 'Grid 440105001001001'),
 *     tag: what goes into the file's name when a filter is sent (optional),
 *     datasets: [{ key (an exports.c.* name), collection, street, filter (CQL2 text, optional) }] }.
 * Datasets the role may not export are left out, and the button hides when none is left.
 * Returns {render (a language change or new data), close, element}.
 */
export function exportButton(host, { id, me, scope }) {
  const button = el('button', 'btn export-btn', t('exports.button'));
  button.type = 'button';
  button.id = id;
  host.append(button);
  const menu = el('div', 'panel export-menu');
  menu.id = id + '-menu';
  menu.setAttribute('role', 'dialog');
  menu.hidden = true;
  document.body.append(menu);
  const status = el('p', 'export-status');
  status.id = id + '-status';
  const choice = { key: null, format: 'gpkg', encoding: 'GBK' };
  let current = null; // the scope while the menu is open, its datasets those the role may export
  const download = downloader(menu, status, (state) => {
    const running = state === 'running';
    const go = document.getElementById(id + '-download');
    const cancel = document.getElementById(id + '-cancel');
    if (go) {
      go.disabled = running;
    }
    if (cancel) {
      cancel.hidden = !running;
    }
  });

  function datasets(s) {
    return (s.datasets || []).filter((d) => mayExport(me, d.collection));
  }

  function dataset() {
    return current.datasets.find((d) => d.key === choice.key) || current.datasets[0];
  }

  /** What the download asks for: the dataset's street and filter. */
  function request() {
    const d = dataset();
    return exportUrl({ collection: d.collection, format: choice.format, street: d.street, encoding: choice.encoding,
      filter: d.filter });
  }

  function place() {
    const r = button.getBoundingClientRect();
    const width = menu.offsetWidth || 380;
    menu.style.top = Math.round(r.bottom + 8) + 'px';
    menu.style.left = Math.round(Math.max(12, Math.min(r.right - width, window.innerWidth - width - 12))) + 'px';
  }

  function render() {
    button.textContent = t('exports.button');
    button.title = t('exports.buttonTitle');
    button.hidden = datasets(scope()).length === 0;
    if (button.hidden) {
      close();
    }
    if (menu.hidden) {
      return;
    }
    const s = scope(); // the page's filters may have changed while the menu is open
    current = { ...s, datasets: datasets(s) };
    const d = dataset();
    choice.key = d.key;
    const head = el('div', 'export-menu-head');
    const title = el('h3', null, t('exports.menuTitle'));
    title.id = id + '-title';
    menu.setAttribute('aria-labelledby', title.id);
    const x = el('button', 'icon-btn', '×');
    x.type = 'button';
    x.title = t('exports.close');
    x.setAttribute('aria-label', t('exports.close'));
    x.addEventListener('click', close);
    head.append(title, x);
    const parts = [head, el('p', 'export-scope', t('exports.scope', { scope: current.label }))];
    parts.push(select(id + '-collection', t('exports.collection'), current.datasets.map((o) => [o.key, t('exports.c.' + o.key)]),
      d.key, (v) => {
        choice.key = v;
        render();
      }));
    parts.push(select(id + '-format', t('exports.format'), FORMATS, choice.format, (v) => {
      choice.format = v;
      render();
    }));
    if (choice.format === 'shp') {
      parts.push(select(id + '-encoding', t('exports.encoding'), ENCODINGS.map((e) => [e, t('exports.encoding.' + e)]),
        choice.encoding, (v) => {
          choice.encoding = v;
          render();
        }));
    }
    menu.dataset.filter = d.filter ? 'sent' : 'none';
    menu.dataset.filterText = d.filter || '';
    const actions = el('div', 'export-actions');
    const go = el('button', 'btn btn-primary', t('exports.download'));
    go.type = 'button';
    go.id = id + '-download';
    go.disabled = download.running();
    go.addEventListener('click', () => download.start(request(), d.filter ? current.tag : null));
    const cancel = el('button', 'btn', t('exports.cancel'));
    cancel.type = 'button';
    cancel.id = id + '-cancel';
    cancel.hidden = !download.running();
    cancel.addEventListener('click', () => download.cancel());
    actions.append(go, cancel);
    parts.push(actions, status);
    menu.replaceChildren(...parts);
    download.render();
    place();
  }

  function open() {
    if (openMenu && openMenu !== self) {
      openMenu.close();
    }
    openMenu = self;
    const s = scope();
    if (datasets(s).length === 0) {
      return;
    }
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    render();
    document.getElementById(id + '-format').focus();
  }

  function close() {
    if (menu.hidden) {
      return;
    }
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (openMenu === self) {
      openMenu = null;
    }
  }

  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => (menu.hidden ? open() : close()));
  // Escape closes the menu only (captured before the page's own Escape, which closes its panels)
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !menu.hidden) {
      e.stopPropagation();
      close();
    }
  }, true);
  document.addEventListener('pointerdown', (e) => {
    if (!menu.hidden && !menu.contains(e.target) && !button.contains(e.target)) {
      close();
    }
  });
  window.addEventListener('resize', () => {
    if (!menu.hidden) {
      place();
    }
  });

  const self = { render, close, element: button };
  render();
  return self;
}
