// format: small helpers the import console's parts share: element building (assets/dom.js), job labels
// (status, dataset, phase) and how sizes, times and durations are written.

import { el } from '/assets/dom.js';
import { formatNumber, lang, t } from '/assets/i18n.js';

export const PHASES = ['reading', 'placing', 'merging', 'indexing', 'done'];
// warned: rows that loaded with a warning (a repaired polygon); they are among the first three, not rejected
export const COUNTS = ['inserted', 'updated', 'unchanged', 'rejected', 'warned'];

/** Element building is the pages' one helper (assets/dom.js), offered with the rest of these. */
export { el };

/** The status badge: 进行中 / 成功 / 失败 / 已中止 / 仅校验 / 已中断, coloured by data-status. */
export function badge(status, element = el('span')) {
  element.className = 'badge';
  element.dataset.status = status;
  element.textContent = t('imports.status.' + status);
  element.hidden = false;
  return element;
}

export function datasetLabel(dataset) {
  return t('imports.dataset.' + dataset);
}

/** 1.2 MB, 830 KB, 512 B. */
export function formatBytes(n) {
  if (n === null || n === undefined) {
    return '—';
  }
  if (n < 1024) {
    return n + ' B';
  }
  if (n < 1024 * 1024) {
    return (n / 1024).toFixed(n < 10 * 1024 ? 1 : 0) + ' KB';
  }
  return (n / 1024 / 1024).toFixed(n < 100 * 1024 * 1024 ? 1 : 0) + ' MB';
}

/** 2026-11-28 10:24:05 in the browser's time zone (the server sends ISO 8601 with an offset). */
export function formatTime(iso) {
  if (!iso) {
    return '—';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} `
    + `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** From start to end (or to now while running): 3 秒, 2 分 05 秒. */
export function formatElapsed(startIso, endIso) {
  const start = new Date(startIso).getTime();
  const end = endIso ? new Date(endIso).getTime() : Date.now();
  if (Number.isNaN(start) || Number.isNaN(end)) {
    return '—';
  }
  const total = Math.max(0, Math.round((end - start) / 1000));
  if (total < 60) {
    return t('imports.job.seconds', { n: total });
  }
  return t('imports.job.minutes', { m: Math.floor(total / 60), s: String(total % 60).padStart(2, '0') });
}

export function count(n) {
  return formatNumber(n ?? 0);
}

/** The rejected rows and warnings of a job as CSV (row, severity, field, value, reason). */
export function rejectsUrl(id) {
  return '/api/v1/imports/' + encodeURIComponent(id) + '/rejects.csv';
}

export function isEnglish() {
  return lang() === 'en';
}
