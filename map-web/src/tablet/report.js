// report: 上报事件, a new case at the worker's current position with photos and a category.
// The case id is made here, so the report can wait in the outbox and still be one case however
// often it is sent. Where the device gives no position, the worker taps it on the map of their
// grids. "已现场自行处置" queues a 自行处置 action on the new case right behind the report.

import { t } from '/assets/i18n.js';
import { label, newId } from '/assets/cases.js';
import { createPickMap } from '/assets/pickmap.js';
import { locate, photoPicker } from './field.js';

/** ctx: {outbox, catalogue(), toast(text), changed()}. Returns {open(), render()}. */
export function reportView(ctx) {
  const form = document.getElementById('report-form');
  const major = document.getElementById('report-major');
  const category = document.getElementById('report-category');
  const line = document.getElementById('report-location');
  const error = document.getElementById('report-error');
  const submit = document.getElementById('report-submit');
  const picker = photoPicker(document.getElementById('report-photo'), document.getElementById('report-previews'));
  let map = null;
  let where = null; // {lon, lat, source: gps|map, accuracy?}

  function fill() {
    const cat = ctx.catalogue();
    if (!cat) {
      return;
    }
    // 事件 first: what a patrol mostly finds (garbage, street vendors, graffiti)
    const majors = [...cat.majors].sort((a, b) => (a.kindZh === b.kindZh ? 0 : a.kindZh === '事件' ? -1 : 1));
    const keep = major.value;
    major.replaceChildren(...majors.map((m) => new Option(label(m), m.key)));
    if (keep) {
      major.value = keep;
    }
    fillCategories();
  }

  function fillCategories() {
    const cat = ctx.catalogue();
    const m = cat.majors.find((x) => x.key === major.value) || cat.majors[0];
    const keep = category.value;
    category.replaceChildren(...m.categories.map((c) => new Option(label(c), c.code)));
    if (keep && [...category.options].some((o) => o.value === keep)) {
      category.value = keep;
    }
  }

  function renderWhere() {
    if (!where) {
      line.textContent = t('tablet.report.locating');
      line.dataset.source = '';
      return;
    }
    line.dataset.source = where.source;
    line.textContent = t(where.source === 'gps' ? 'tablet.report.gps' : 'tablet.report.picked', {
      lon: where.lon.toFixed(6), lat: where.lat.toFixed(6), m: where.accuracy ?? '?',
    });
  }

  async function open() {
    fill();
    if (!map) {
      map = createPickMap(document.getElementById('report-map'), {
        grids: true,
        onPick: (lon, lat) => {
          where = { lon, lat, source: 'map' };
          renderWhere();
        },
      });
    }
    map.invalidate();
    if (!where || where.source === 'gps') {
      where = null;
      renderWhere();
      const found = await locate(null);
      if (found && (!where || where.source !== 'map')) {
        where = found;
        map.setPoint(found.lon, found.lat);
      } else if (!found && !where) {
        line.textContent = t('tablet.report.noGps');
      }
      if (where) {
        renderWhere();
      }
    }
  }

  major.addEventListener('change', fillCategories);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const fail = (key) => {
      error.textContent = t(key);
      error.hidden = false;
    };
    const title = form.title.value.trim();
    if (!category.value) {
      fail('tablet.report.missingCategory');
      return;
    }
    if (!title) {
      fail('tablet.report.missingTitle');
      return;
    }
    if (!where) {
      fail('tablet.report.missingLocation');
      return;
    }
    submit.disabled = true;
    const location = { lon: where.lon, lat: where.lat };
    const caseId = newId();
    const number = title.length > 12 ? title.slice(0, 12) + '…' : title;
    const ids = [];
    for (const p of picker.photos()) {
      const id = newId();
      ids.push(id);
      await ctx.outbox.enqueue({ kind: 'photo', key: id, caseId, blob: p.blob, fileName: p.name, location,
        label: t('tablet.outbox.photoOf', { number }) });
    }
    const body = { id: caseId, source: 'patrol', category: category.value, urgency: 'normal', title, location };
    const description = form.description.value.trim();
    if (description) {
      body.description = description;
    }
    if (form.address.value.trim()) {
      body.address = form.address.value.trim();
    }
    if (ids.length) {
      body.attachments = ids; // kept on the case's first history row (上报)
    }
    await ctx.outbox.enqueue({ kind: 'report', key: caseId, body, label: t('tablet.outbox.reportOf', { title: number }) });
    if (form.selfHandle.checked) {
      const action = { action: 'self_handle', clientActionId: newId(), location, comment: description || title };
      await ctx.outbox.enqueue({ kind: 'action', key: action.clientActionId, caseId, body: action,
        label: `${t('case.action.self_handle')} · ${number}` });
    }
    form.title.value = '';
    form.description.value = '';
    form.address.value = '';
    form.selfHandle.checked = false;
    picker.clear();
    submit.disabled = false;
    ctx.toast(t('tablet.queued', { what: t('tablet.report.title') }));
    ctx.changed();
  });

  return { open, render: () => { fill(); renderWhere(); } };
}
