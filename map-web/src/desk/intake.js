// intake: 受理 a 12345 work order (or a command-center or external report). The category comes
// from the catalogue (大类 → 小类, with its department and time limits), the location from a click
// on the small map or typed lon/lat. Sending it creates the case in 已上报 and answers with the
// routing and possible duplicates, which the case panel then shows before 立案 or 不予立案.
// The form keeps one case id until it succeeds, so a retry after a lost answer is not a second case.

import { api } from '/assets/api.js';
import { t } from '/assets/i18n.js';
import { label, newId, refusalText } from '/assets/cases.js';
import { createPickMap, round } from '/assets/pickmap.js';

/** Haizhu's box, generous: a typo like swapped lon/lat is caught before the server sees it. */
const BOX = { lon: [113.1, 113.6], lat: [22.9, 23.3] };

/** The form. onCreated(caseWithDuplicates) once the server has taken the case. Returns {open(), close(), render()}. */
export function intakeForm(catalogue, { onCreated }) {
  const form = document.getElementById('intake');
  const major = document.getElementById('intake-major');
  const category = document.getElementById('intake-category');
  const help = document.getElementById('intake-category-help');
  const error = document.getElementById('intake-error');
  const submitButton = document.getElementById('intake-submit');
  let map = null;
  let caseId = newId();

  function fillMajors() {
    const keep = major.value;
    major.replaceChildren(...catalogue.majors.map((m) => new Option(`${m.kindZh === '部件' ? t('case.kind.component') : t('case.kind.event')} · ${label(m)}`, m.key)));
    if (keep) {
      major.value = keep;
    }
    fillCategories();
  }

  function fillCategories() {
    const m = catalogue.majors.find((x) => x.key === major.value) || catalogue.majors[0];
    const keep = category.value;
    category.replaceChildren(...(m ? m.categories : []).map((c) => new Option(`${c.code} ${label(c)}`, c.code)));
    if (keep && [...category.options].some((o) => o.value === keep)) {
      category.value = keep;
    }
    describe();
  }

  /** Which department handles it and its time limits, so the dispatcher picks the right one. */
  function describe() {
    const c = catalogue.majors.flatMap((m) => m.categories).find((x) => x.code === category.value);
    if (!c) {
      help.textContent = '';
      return;
    }
    const dept = catalogue.departments.find((d) => d.code === c.department);
    help.textContent = t('desk.intake.categoryHelp', {
      dept: dept ? label(dept) : c.department, normal: c.normalHours, urgent: c.urgentHours,
    });
  }

  major.addEventListener('change', fillCategories);
  category.addEventListener('change', describe);
  document.getElementById('intake-close').addEventListener('click', () => close());
  form.addEventListener('input', (e) => {
    if (e.target.name === 'lon' || e.target.name === 'lat') {
      map.setPoint(Number(form.lon.value), Number(form.lat.value));
    }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send();
  });

  function showError(text) {
    error.textContent = text || '';
    error.hidden = !text;
  }

  function open() {
    form.hidden = false;
    if (!map) {
      map = createPickMap(document.getElementById('intake-map'), {
        onPick: (lon, lat) => {
          form.lon.value = String(lon);
          form.lat.value = String(lat);
        },
      });
    }
    map.invalidate();
    form.title.focus();
  }

  function close() {
    form.hidden = true;
    showError(null);
  }

  async function send() {
    showError(null);
    const lon = Number(form.lon.value);
    const lat = Number(form.lat.value);
    if (!form.title.value.trim()) {
      showError(t('desk.intake.missingTitle'));
      return;
    }
    if (!form.lon.value || !form.lat.value || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      showError(t('desk.intake.missingLocation'));
      return;
    }
    if (lon < BOX.lon[0] || lon > BOX.lon[1] || lat < BOX.lat[0] || lat > BOX.lat[1]) {
      showError(t('desk.intake.farLocation'));
      return;
    }
    const body = {
      id: caseId,
      source: form.source.value,
      category: form.category.value,
      urgency: form.urgency.value,
      title: form.title.value.trim(),
      location: { lon: round(lon), lat: round(lat) },
    };
    if (form.description.value.trim()) {
      body.description = form.description.value.trim();
    }
    if (form.address.value.trim()) {
      body.address = form.address.value.trim();
    }
    submitButton.disabled = true;
    try {
      const created = await api('/api/v1/cases', { method: 'POST', body });
      caseId = newId();
      form.title.value = '';
      form.description.value = '';
      form.address.value = '';
      close();
      onCreated(created);
    } catch (err) {
      showError(refusalText(err));
    } finally {
      submitButton.disabled = false;
    }
  }

  fillMajors();
  return { open, close, render: fillMajors, isOpen: () => !form.hidden };
}
